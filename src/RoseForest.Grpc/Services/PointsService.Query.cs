using System.Text.Json;
using Grpc.Core;
using RoseForest.Grpc.Mapping;
using G = Qdrant.Client.Grpc;

namespace RoseForest.Grpc.Services;

internal sealed partial class PointsService
{
    public override async Task<G.QueryResponse> Query(G.QueryPoints request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        var points = await Collection(request.CollectionName).QueryAsync(ProtoQueries.ToQueryRequest(request, limits), context.CancellationToken);
        var response = new G.QueryResponse();
        ProtoPoints.AddScored(response.Result, points);
        response.Time = t.Seconds;
        return response;
    }

    public override async Task<G.QueryBatchResponse> QueryBatch(G.QueryBatchPoints request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        var queries = ProtoQueries.ToBatch(request.QueryPoints, "query_points", limits, (q, f) => ProtoQueries.ToQueryRequest(q, limits, f));
        var results = await Collection(request.CollectionName).QueryBatchAsync(queries, context.CancellationToken);
        var response = new G.QueryBatchResponse();
        response.Result.AddRange(results.Select(ProtoPoints.ToBatch));
        response.Time = t.Seconds;
        return response;
    }

    public override async Task<G.QueryGroupsResponse> QueryGroups(G.QueryPointGroups request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        var groups = await Collection(request.CollectionName).QueryGroupsAsync(ProtoQueries.ToQueryGroups(request, limits), context.CancellationToken);
        return new G.QueryGroupsResponse { Result = ToGroups(groups), Time = t.Seconds };
    }

    [Obsolete("Qdrant marks the legacy search, recommend and discover rpcs deprecated in favour of Query; served for the clients that still call them.")]
    public override async Task<G.SearchResponse> Search(G.SearchPoints request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        var points = await Collection(request.CollectionName).QueryAsync(ProtoQueries.ToSearch(request, limits), context.CancellationToken);
        var response = new G.SearchResponse();
        ProtoPoints.AddScored(response.Result, points);
        response.Time = t.Seconds;
        return response;
    }

    [Obsolete("Qdrant marks the legacy search, recommend and discover rpcs deprecated in favour of Query; served for the clients that still call them.")]
    public override async Task<G.SearchBatchResponse> SearchBatch(G.SearchBatchPoints request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        var queries = ProtoQueries.ToBatch(request.SearchPoints, "search_points", limits, (s, f) => ProtoQueries.ToSearch(s, limits, f));
        var results = await Collection(request.CollectionName).QueryBatchAsync(queries, context.CancellationToken);
        var response = new G.SearchBatchResponse();
        response.Result.AddRange(results.Select(ProtoPoints.ToBatch));
        response.Time = t.Seconds;
        return response;
    }

    [Obsolete("Qdrant marks the legacy search, recommend and discover rpcs deprecated in favour of Query; served for the clients that still call them.")]
    public override async Task<G.SearchGroupsResponse> SearchGroups(G.SearchPointGroups request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        var groups = await Collection(request.CollectionName).QueryGroupsAsync(ProtoQueries.ToSearchGroups(request, limits), context.CancellationToken);
        return new G.SearchGroupsResponse { Result = ToGroups(groups), Time = t.Seconds };
    }

    [Obsolete("Qdrant marks the legacy search, recommend and discover rpcs deprecated in favour of Query; served for the clients that still call them.")]
    public override async Task<G.RecommendResponse> Recommend(G.RecommendPoints request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        var points = await Collection(request.CollectionName).QueryAsync(ProtoQueries.ToRecommend(request, limits), context.CancellationToken);
        var response = new G.RecommendResponse();
        ProtoPoints.AddScored(response.Result, points);
        response.Time = t.Seconds;
        return response;
    }

    [Obsolete("Qdrant marks the legacy search, recommend and discover rpcs deprecated in favour of Query; served for the clients that still call them.")]
    public override async Task<G.RecommendBatchResponse> RecommendBatch(G.RecommendBatchPoints request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        var queries = ProtoQueries.ToBatch(request.RecommendPoints, "recommend_points", limits, (r, f) => ProtoQueries.ToRecommend(r, limits, f));
        var results = await Collection(request.CollectionName).QueryBatchAsync(queries, context.CancellationToken);
        var response = new G.RecommendBatchResponse();
        response.Result.AddRange(results.Select(ProtoPoints.ToBatch));
        response.Time = t.Seconds;
        return response;
    }

    [Obsolete("Qdrant marks the legacy search, recommend and discover rpcs deprecated in favour of Query; served for the clients that still call them.")]
    public override async Task<G.RecommendGroupsResponse> RecommendGroups(G.RecommendPointGroups request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        var groups = await Collection(request.CollectionName).QueryGroupsAsync(ProtoQueries.ToRecommendGroups(request, limits), context.CancellationToken);
        return new G.RecommendGroupsResponse { Result = ToGroups(groups), Time = t.Seconds };
    }

    [Obsolete("Qdrant marks the legacy search, recommend and discover rpcs deprecated in favour of Query; served for the clients that still call them.")]
    public override async Task<G.DiscoverResponse> Discover(G.DiscoverPoints request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        var points = await Collection(request.CollectionName).QueryAsync(ProtoQueries.ToDiscover(request, limits), context.CancellationToken);
        var response = new G.DiscoverResponse();
        ProtoPoints.AddScored(response.Result, points);
        response.Time = t.Seconds;
        return response;
    }

    [Obsolete("Qdrant marks the legacy search, recommend and discover rpcs deprecated in favour of Query; served for the clients that still call them.")]
    public override async Task<G.DiscoverBatchResponse> DiscoverBatch(G.DiscoverBatchPoints request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        var queries = ProtoQueries.ToBatch(request.DiscoverPoints, "discover_points", limits, (d, f) => ProtoQueries.ToDiscover(d, limits, f));
        var results = await Collection(request.CollectionName).QueryBatchAsync(queries, context.CancellationToken);
        var response = new G.DiscoverBatchResponse();
        response.Result.AddRange(results.Select(ProtoPoints.ToBatch));
        response.Time = t.Seconds;
        return response;
    }

    private static G.GroupsResult ToGroups(IReadOnlyList<PointGroup> groups)
    {
        var result = new G.GroupsResult();
        foreach (var g in groups)
        {
            var group = new G.PointGroup { Id = ToGroupId(g.Id), Lookup = g.Lookup is { } l ? ProtoPoints.ToRetrieved(l) : null };
            ProtoPoints.AddScored(group.Hits, g.Hits);
            result.Groups.Add(group);
        }

        return result;
    }

    private static G.GroupId ToGroupId(JsonElement id) => id.ValueKind switch
    {
        JsonValueKind.String => new G.GroupId { StringValue = id.GetString()! },
        JsonValueKind.Number when id.TryGetUInt64(out var u) => new G.GroupId { UnsignedValue = u },
        JsonValueKind.Number when id.TryGetInt64(out var i) => new G.GroupId { IntegerValue = i },
        _ => new G.GroupId { StringValue = id.GetRawText() },
    };
}
