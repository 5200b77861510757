using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RoseForest.Contracts.Qdrant;
using RoseForest.Server.Http;

namespace RoseForest.Server.Endpoints;

/// <summary>
/// The routes Qdrant keeps beside the universal query: search, recommend, discover, their batch
/// forms, and search/recommend groups. Their requests read into <see cref="QueryRequest"/>s, so
/// the engine answers them as queries; the responses are Qdrant's plain arrays.
/// </summary>
internal static class SearchEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        MapSingle(app, "search", QdrantJson.ReadSearch);
        MapBatch(app, "search", QdrantJson.ReadSearchBatch);
        MapGroups(app, "search", QdrantJson.ReadSearchGroups);
        MapSingle(app, "recommend", QdrantJson.ReadRecommend);
        MapBatch(app, "recommend", QdrantJson.ReadRecommendBatch);
        MapGroups(app, "recommend", QdrantJson.ReadRecommendGroups);
        MapSingle(app, "discover", QdrantJson.ReadDiscover);
        MapBatch(app, "discover", QdrantJson.ReadDiscoverBatch);
    }

    private static void MapSingle(IEndpointRouteBuilder app, string route, Func<JsonElement, string, QdrantJson.Limits, QueryRequest> read) =>
        app.MapPost($"/collections/{{name}}/points/{route}", async (HttpContext context, string name, IVectorDatabase db, RestApiOptions options) =>
        {
            var collection = db.GetCollection(name);
            var request = read(await HttpBodies.ReadAsync(context), string.Empty, HttpBodies.Limits(options));
            var points = await collection.QueryAsync(request, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteScoredList(w, points, request.WithPayload.Enabled));
        });

    private static void MapBatch(IEndpointRouteBuilder app, string route, Func<JsonElement, QdrantJson.Limits, List<QueryRequest>> read) =>
        app.MapPost($"/collections/{{name}}/points/{route}/batch", async (HttpContext context, string name, IVectorDatabase db, RestApiOptions options) =>
        {
            var collection = db.GetCollection(name);
            var requests = read(await HttpBodies.ReadAsync(context), HttpBodies.Limits(options));
            var results = await collection.QueryBatchAsync(requests, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w =>
            {
                w.WriteStartArray();
                for (var i = 0; i < results.Count; i++)
                {
                    QdrantJson.WriteScoredList(w, results[i], requests[i].WithPayload.Enabled);
                }

                w.WriteEndArray();
            });
        });

    private static void MapGroups(IEndpointRouteBuilder app, string route, Func<JsonElement, QdrantJson.Limits, QueryGroupsRequest> read) =>
        app.MapPost($"/collections/{{name}}/points/{route}/groups", async (HttpContext context, string name, IVectorDatabase db, RestApiOptions options) =>
        {
            var collection = db.GetCollection(name);
            var request = read(await HttpBodies.ReadAsync(context), HttpBodies.Limits(options));
            await QueryEndpoints.WriteGroupsAsync(context, request, await collection.QueryGroupsAsync(request, context.RequestAborted));
        });
}
