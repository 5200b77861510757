using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RoseForest.Contracts.Qdrant;
using RoseForest.Server.Http;

namespace RoseForest.Server.Endpoints;

/// <summary>
/// Query adapters learned from feedback (RoseForest's own routes, issue 19): POST …/feedback,
/// GET/PUT …/adapter, POST …/adapter/consolidate and …/adapter/rollback. A database whose
/// collections do not learn (<see cref="IQueryAdapters"/> not implemented, e.g. a cluster router)
/// answers 501.
/// </summary>
internal static class AdapterEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/collections/{name}/feedback", static async (HttpContext context, string name, IVectorDatabase db) =>
        {
            if (Learner(db, name) is not { } adapters)
            {
                await NotSupportedAsync(context);
                return;
            }

            var request = QdrantJson.ReadFeedback(await HttpBodies.ReadAsync(context));
            var result = await adapters.FeedbackAsync(request, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteFeedbackResult(w, result));
        });

        app.MapGet("/collections/{name}/adapter", static async (HttpContext context, string name, IVectorDatabase db) =>
        {
            if (Learner(db, name) is not { } adapters)
            {
                await NotSupportedAsync(context);
                return;
            }

            var info = await adapters.GetAdaptersAsync(context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteAdapterInfo(w, info));
        });

        app.MapPut("/collections/{name}/adapter", static async (HttpContext context, string name, IVectorDatabase db) =>
        {
            if (Learner(db, name) is not { } adapters)
            {
                await NotSupportedAsync(context);
                return;
            }

            var settings = QdrantJson.ReadAdapterSettings(await HttpBodies.ReadAsync(context));
            var info = await adapters.ConfigureAdaptersAsync(settings, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteAdapterInfo(w, info));
        });

        app.MapPost("/collections/{name}/adapter/consolidate", static async (HttpContext context, string name, IVectorDatabase db) =>
        {
            if (Learner(db, name) is not { } adapters)
            {
                await NotSupportedAsync(context);
                return;
            }

            var (_, vectorName, tenant) = QdrantJson.ReadAdapterTarget(await HttpBodies.ReadAsync(context), versionRequired: false);
            var version = await adapters.ConsolidateAdapterAsync(vectorName, tenant, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteAdapterVersion(w, version));
        });

        app.MapPost("/collections/{name}/adapter/rollback", static async (HttpContext context, string name, IVectorDatabase db) =>
        {
            if (Learner(db, name) is not { } adapters)
            {
                await NotSupportedAsync(context);
                return;
            }

            var (number, vectorName, tenant) = QdrantJson.ReadAdapterTarget(await HttpBodies.ReadAsync(context), versionRequired: true);
            var version = await adapters.RollbackAdapterAsync(number!.Value, vectorName, tenant, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteAdapterVersion(w, version));
        });
    }

    /// <summary>The collection (404 when there is none) as a learner, or null when this database's collections do not learn.</summary>
    private static IQueryAdapters? Learner(IVectorDatabase db, string name) => db.GetCollection(name) as IQueryAdapters;

    private static Task NotSupportedAsync(HttpContext context) =>
        ApiResponse.WriteErrorAsync(context, StatusCodes.Status501NotImplemented, "Not implemented: this database's collections do not learn query adapters (only the embedded engine's do).");
}
