using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RoseForest.Contracts.Qdrant;
using RoseForest.Server.Http;

namespace RoseForest.Server.Endpoints;

/// <summary>Payload indexes: create and delete (Qdrant's /index routes). Each route: parse → call → write.</summary>
internal static class IndexEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPut("/collections/{name}/index", static async (HttpContext context, string name, IVectorDatabase db) =>
        {
            var wait = UpdateParameters(context);
            var collection = db.GetCollection(name);
            var (field, schema) = QdrantJson.ReadCreateFieldIndex(await HttpBodies.ReadAsync(context));
            var result = await collection.CreatePayloadIndexAsync(field, schema, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteUpdate(w, result, wait));
        });

        app.MapDelete("/collections/{name}/index/{**field}", static async (HttpContext context, string name, string field, IVectorDatabase db) =>
        {
            var wait = UpdateParameters(context);
            var collection = db.GetCollection(name);
            var result = await collection.DeletePayloadIndexAsync(field, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteUpdate(w, result, wait));
        });
    }

    /// <summary>
    /// Qdrant's update query parameters: <c>wait</c> (returned), <c>ordering</c> (weak, medium or
    /// strong: one node, so every ordering is the same here) and <c>timeout</c> (seconds, at least 1;
    /// the write is applied before the answer either way). A bad value answers 400.
    /// </summary>
    internal static bool UpdateParameters(HttpContext context)
    {
        var ordering = context.Request.Query["ordering"];
        if (ordering.Count > 0 && ordering[0] is not ("weak" or "medium" or "strong"))
        {
            throw new ValidationException("ordering", $"query parameter must be weak, medium or strong, got '{ordering[0]}'.");
        }

        if (HttpBodies.QueryLong(context, "timeout", 1) < 1)
        {
            throw new ValidationException("timeout", "query parameter must be at least 1.");
        }

        return HttpBodies.QueryBool(context, "wait", false);
    }
}
