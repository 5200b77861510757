using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RoseForest.Contracts.Qdrant;
using RoseForest.Server.Http;

namespace RoseForest.Server.Endpoints;

/// <summary>Collections: list, create, info, delete, exists, recover, aliases. Each route: parse → call → write.</summary>
internal static class CollectionEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/collections", static async (HttpContext context, IVectorDatabase db) =>
        {
            var names = await db.ListCollectionsAsync(context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteCollectionList(w, names));
        });

        app.MapPut("/collections/{name}", static async (HttpContext context, string name, IVectorDatabase db) =>
        {
            CollectionOptions.ValidateName(name);
            var options = QdrantJson.ReadCreateCollection(await HttpBodies.ReadAsync(context));
            await db.CreateCollectionAsync(name, options, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, true);
        });

        // A faulted collection still answers here, with status "red" and the reason, so its
        // owner can see why every other call on it answers 503.
        app.MapGet("/collections/{name}", static async (HttpContext context, string name, IVectorDatabase db) =>
        {
            var info = await db.GetCollectionInfoAsync(name, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteCollectionInfo(w, info));
        });

        app.MapDelete("/collections/{name}", static async (HttpContext context, string name, IVectorDatabase db) =>
            await ApiResponse.WriteResultAsync(context, await db.DeleteCollectionAsync(name, context.RequestAborted)));

        app.MapGet("/collections/{name}/exists", static async (HttpContext context, string name, IVectorDatabase db) =>
        {
            var exists = await db.CollectionExistsAsync(name, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("exists", exists);
                w.WriteEndObject();
            });
        });

        // Qdrant's UpdateCollection: what a single node can honour is accepted (see
        // QdrantJson.ReadCollectionUpdate); changes to indexing or scoring answer 400.
        app.MapPatch("/collections/{name}", static async (HttpContext context, string name, IVectorDatabase db) =>
        {
            var body = await HttpBodies.ReadAsync(context);
            _ = await db.GetCollectionInfoAsync(name, context.RequestAborted);
            QdrantJson.ReadCollectionUpdate(body);

            // RoseForest's hnsw_config.target_recall: the controller's target (and it turns the controller on).
            if (QdrantJson.ReadCollectionUpdateTuning(body) is { } tuning && (tuning.TargetRecall is not null || tuning.ClearTargetRecall))
            {
                var optimizer = OptimizerEndpoints.Optimizer(db, name);
                await optimizer.ConfigureOptimizerAsync(tuning.TargetRecall is null ? tuning : tuning with { Enabled = true }, context.RequestAborted);
            }

            await ApiResponse.WriteResultAsync(context, true);
        });

        // Adding or removing a named vector of an existing collection: a 400 that says so, not a bare 404/405.

        app.MapMethods("/collections/{name}/vectors/{vector_name}", ["PUT", "DELETE"], static async (HttpContext context, string name, string vector_name, IVectorDatabase db) =>
        {
            _ = await db.GetCollectionInfoAsync(name, context.RequestAborted);
            throw new ValidationException("vector_name", $"adding or removing the named vector '{vector_name}' of an existing collection is not supported by RoseForest yet; create a new collection with the vectors you need.");
        });

        app.MapPost("/collections/aliases", static async (HttpContext context, IVectorDatabase db) =>
        {
            var actions = QdrantJson.ReadAliasOperations(await HttpBodies.ReadAsync(context));
            await db.UpdateAliasesAsync(actions, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, true);
        });

        app.MapGet("/aliases", static async (HttpContext context, IVectorDatabase db) =>
        {
            var aliases = await db.ListAliasesAsync(null, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteAliases(w, aliases));
        });

        app.MapGet("/collections/{name}/aliases", static async (HttpContext context, string name, IVectorDatabase db) =>
        {
            var aliases = await db.ListAliasesAsync(name, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteAliases(w, aliases));
        });

        app.MapPost("/collections/{name}/recover", static async (HttpContext context, string name, IVectorDatabase db) =>
        {
            var result = await db.RecoverCollectionAsync(name, HttpBodies.QueryBool(context, "salvage", false), context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteRecovery(w, result));
        });
    }
}
