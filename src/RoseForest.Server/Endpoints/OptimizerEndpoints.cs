using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RoseForest.Contracts.Qdrant;
using RoseForest.Server.Http;

namespace RoseForest.Server.Endpoints;

/// <summary>
/// The self-organizing index (RoseForest's, issue 19): <c>GET /collections/{name}/optimizer</c>
/// (settings, telemetry, findings, action history), <c>PUT</c> the same path (settings), and
/// <c>POST /collections/{name}/optimizer/run</c> (one controller pass now).
/// </summary>
internal static class OptimizerEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/collections/{name}/optimizer", static async (HttpContext context, string name, IVectorDatabase db) =>
        {
            var report = Optimizer(db, name).GetOptimizerReport();
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteOptimizerReport(w, report));
        });

        app.MapPut("/collections/{name}/optimizer", static async (HttpContext context, string name, IVectorDatabase db) =>
        {
            var body = await HttpBodies.ReadAsync(context);
            var optimizer = Optimizer(db, name);
            var settings = QdrantJson.ReadOptimizerSettings(body);
            var report = await optimizer.ConfigureOptimizerAsync(settings, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteOptimizerReport(w, report));
        });

        app.MapPost("/collections/{name}/optimizer/run", static async (HttpContext context, string name, IVectorDatabase db) =>
        {
            var report = await Optimizer(db, name).RunOptimizerAsync(context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteOptimizerReport(w, report));
        });
    }

    /// <summary>The collection's controller; a 400 naming the reason when its implementation has none (a cluster router, say).</summary>
    internal static IIndexOptimizer Optimizer(IVectorDatabase db, string name) =>
        db.GetCollection(name) as IIndexOptimizer
        ?? throw new ValidationException("optimizer", $"collection `{name}` is not served by an engine with a self-organizing index here (cluster mode does not expose it).");
}
