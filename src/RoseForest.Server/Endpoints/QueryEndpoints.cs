using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RoseForest.Contracts.Qdrant;
using RoseForest.Server.Http;

namespace RoseForest.Server.Endpoints;

/// <summary>POST …/points/query and …/points/query/batch. Each route: parse → call → write.</summary>
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
            var results = new List<IReadOnlyList<ScoredPoint>>(requests.Count);
            foreach (var request in requests)
            {
                results.Add(await collection.QueryAsync(request, context.RequestAborted));
            }

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
    }
}
