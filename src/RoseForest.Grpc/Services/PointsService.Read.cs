using Grpc.Core;
using RoseForest.Grpc.Mapping;
using G = Qdrant.Client.Grpc;

namespace RoseForest.Grpc.Services;

internal sealed partial class PointsService
{
    public override async Task<G.GetResponse> Get(G.GetPoints request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        ProtoQueries.RefuseShardKey(request.ShardKeySelector, string.Empty);
        var ids = ProtoValues.ToPointIds(request.Ids, "ids", limits.MaxLimit);
        var records = await Collection(request.CollectionName).GetAsync(
            ids, ProtoPoints.ToPayloadSelector(request.WithPayload, PayloadSelector.All), ProtoPoints.ToVectorSelector(request.WithVectors), context.CancellationToken);
        var response = new G.GetResponse();
        foreach (var r in records)
        {
            response.Result.Add(ProtoPoints.ToRetrieved(r));
        }

        response.Time = t.Seconds;
        return response;
    }

    public override async Task<G.ScrollResponse> Scroll(G.ScrollPoints request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        ProtoQueries.RefuseShardKey(request.ShardKeySelector, string.Empty);
        var scroll = new ScrollRequest
        {
            OrderBy = request.OrderBy is null ? null : ProtoQueries.ToOrderBy(request.OrderBy, "order_by"),
            Limit = ProtoQueries.Limit(request.HasLimit ? request.Limit : null, "limit", limits, 10),
            Offset = request.Offset is null ? null : ProtoValues.ToPointId(request.Offset, "offset"),
            Filter = ProtoFilters.ToFilter(request.Filter),
            WithPayload = ProtoPoints.ToPayloadSelector(request.WithPayload, PayloadSelector.All),
            WithVector = ProtoPoints.ToVectorSelector(request.WithVectors),
        };
        var page = await Collection(request.CollectionName).ScrollAsync(scroll, context.CancellationToken);
        var response = new G.ScrollResponse();
        foreach (var r in page.Points)
        {
            response.Result.Add(ProtoPoints.ToRetrieved(r));
        }

        if (page.NextOffset is { } next)
        {
            response.NextPageOffset = ProtoValues.FromPointId(next);
        }

        response.Time = t.Seconds;
        return response;
    }

    public override async Task<G.CountResponse> Count(G.CountPoints request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        ProtoQueries.RefuseShardKey(request.ShardKeySelector, string.Empty);
        var count = await Collection(request.CollectionName).CountAsync(ProtoFilters.ToFilter(request.Filter), context.CancellationToken);
        return new G.CountResponse { Result = new G.CountResult { Count = (ulong)count }, Time = t.Seconds };
    }

    public override async Task<G.FacetResponse> Facet(G.FacetCounts request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        ProtoQueries.RefuseShardKey(request.ShardKeySelector, string.Empty);
        if (string.IsNullOrEmpty(request.Key))
        {
            throw new ValidationException("key", "is required.");
        }

        var facet = new FacetRequest
        {
            Key = request.Key,
            Limit = ProtoQueries.Limit(request.HasLimit ? request.Limit : null, "limit", limits, 10),
            Filter = ProtoFilters.ToFilter(request.Filter),
            Exact = request.HasExact && request.Exact,
        };
        var hits = await Collection(request.CollectionName).FacetAsync(facet, context.CancellationToken);
        var response = new G.FacetResponse();
        foreach (var hit in hits)
        {
            var value = hit.Value.Kind switch
            {
                RoseForest.Core.Filters.FilterValueKind.Integer => new G.FacetValue { IntegerValue = hit.Value.IntegerValue },
                RoseForest.Core.Filters.FilterValueKind.Bool => new G.FacetValue { BoolValue = hit.Value.BoolValue },
                _ => new G.FacetValue { StringValue = hit.Value.KeywordValue },
            };
            response.Hits.Add(new G.FacetHit { Value = value, Count = (ulong)hit.Count });
        }

        response.Time = t.Seconds;
        return response;
    }

    public override async Task<G.SearchMatrixPairsResponse> SearchMatrixPairs(G.SearchMatrixPoints request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        var matrix = await Collection(request.CollectionName).SearchMatrixAsync(ToMatrix(request), context.CancellationToken);
        var pairs = new G.SearchMatrixPairs();
        foreach (var p in matrix.Pairs)
        {
            pairs.Pairs.Add(new G.SearchMatrixPair { A = ProtoValues.FromPointId(p.A), B = ProtoValues.FromPointId(p.B), Score = (float)p.Score });
        }

        return new G.SearchMatrixPairsResponse { Result = pairs, Time = t.Seconds };
    }

    public override async Task<G.SearchMatrixOffsetsResponse> SearchMatrixOffsets(G.SearchMatrixPoints request, ServerCallContext context)
    {
        var t = Elapsed.Start();
        var matrix = await Collection(request.CollectionName).SearchMatrixAsync(ToMatrix(request), context.CancellationToken);
        var position = new Dictionary<PointId, int>(matrix.Ids.Count);
        var offsets = new G.SearchMatrixOffsets();
        for (var i = 0; i < matrix.Ids.Count; i++)
        {
            position[matrix.Ids[i]] = i;
            offsets.Ids.Add(ProtoValues.FromPointId(matrix.Ids[i]));
        }

        foreach (var p in matrix.Pairs)
        {
            offsets.OffsetsRow.Add((ulong)position[p.A]);
            offsets.OffsetsCol.Add((ulong)position[p.B]);
            offsets.Scores.Add((float)p.Score);
        }

        return new G.SearchMatrixOffsetsResponse { Result = offsets, Time = t.Seconds };
    }

    private SearchMatrixRequest ToMatrix(G.SearchMatrixPoints request)
    {
        ProtoQueries.RefuseShardKey(request.ShardKeySelector, string.Empty);
        var sample = request.HasSample ? ProtoQueries.Limit(request.Sample, "sample", limits, null) : 10;
        if (sample < 2)
        {
            throw new ValidationException("sample", "must be at least 2.");
        }

        return new SearchMatrixRequest
        {
            Filter = ProtoFilters.ToFilter(request.Filter),
            Sample = sample,
            Limit = ProtoQueries.Limit(request.HasLimit ? request.Limit : null, "limit", limits, 3),
            Using = request.HasUsing ? request.Using : null,
        };
    }
}
