using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RoseForest.Contracts.Qdrant;
using RoseForest.Server.Http;

namespace RoseForest.Server.Endpoints;

/// <summary>POST …/points/query, …/points/query/batch and …/points/query/groups. Each route: parse → call → write.</summary>
internal static class QueryEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/collections/{name}/points/query", static async (HttpContext context, string name, IVectorDatabase db, RestApiOptions options) =>
        {
            var collection = db.GetCollection(name);
            var request = QdrantJson.ReadQuery(await HttpBodies.ReadAsync(context), string.Empty, HttpBodies.Limits(options));
            var points = await collection.QueryAsync(request, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteQueryResponse(w, points, request.WithPayload.Enabled));
        });

        app.MapPost("/collections/{name}/points/query/batch", static async (HttpContext context, string name, IVectorDatabase db, RestApiOptions options) =>
        {
            var collection = db.GetCollection(name);
            var requests = QdrantJson.ReadQueryBatch(await HttpBodies.ReadAsync(context), HttpBodies.Limits(options));
            var results = await collection.QueryBatchAsync(requests, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w =>
            {
                w.WriteStartArray();
                for (var i = 0; i < results.Count; i++)
                {
                    QdrantJson.WriteQueryResponse(w, results[i], requests[i].WithPayload.Enabled);
                }

                w.WriteEndArray();
            });
        });

        app.MapPost("/collections/{name}/points/query/groups", static async (HttpContext context, string name, IVectorDatabase db, RestApiOptions options) =>
        {
            var collection = db.GetCollection(name);
            var request = QdrantJson.ReadQueryGroups(await HttpBodies.ReadAsync(context), HttpBodies.Limits(options));
            await WriteGroupsAsync(context, request, await collection.QueryGroupsAsync(request, context.RequestAborted));
        });
    }

    /// <summary>A GroupsResult.</summary>
    public static Task WriteGroupsAsync(HttpContext context, QueryGroupsRequest request, IReadOnlyList<PointGroup> groups) =>
        ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteGroupsResponse(w, groups, request.Query.WithPayload.Enabled, request.WithLookup?.WithPayload.Enabled ?? false));
}
