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

        // Qdrant's UpdateCollection (see QdrantJson.ReadCollectionUpdate): the change is logged and
        // applied before the answer; optimizers_config and single-node params change nothing.
        app.MapPatch("/collections/{name}", static async (HttpContext context, string name, IVectorDatabase db) =>
        {
            var body = await HttpBodies.ReadAsync(context);
            var collection = db.GetCollection(name);
            var update = QdrantJson.ReadCollectionUpdate(body);

            // RoseForest's hnsw_config.target_recall: the controller's target (and it turns the
            // controller on). A database without the controller refuses before anything changes.
            var tuning = QdrantJson.ReadCollectionUpdateTuning(body) is { } t && (t.TargetRecall is not null || t.ClearTargetRecall) ? t : null;
            var optimizer = tuning is null ? null : OptimizerEndpoints.Optimizer(db, name);
            if (!update.IsEmpty)
            {
                await collection.UpdateCollectionAsync(update, context.RequestAborted);
            }

            if (optimizer is not null)
            {
                await optimizer.ConfigureOptimizerAsync(tuning!.TargetRecall is null ? tuning : tuning with { Enabled = true }, context.RequestAborted);
            }

            await ApiResponse.WriteResultAsync(context, true);
        });

        // Qdrant's create_vector_name and delete_vector_name: an update result, like a point write.
        app.MapPut("/collections/{name}/vectors/{vector_name}", static async (HttpContext context, string name, string vector_name, IVectorDatabase db) =>
        {
            var wait = IndexEndpoints.UpdateParameters(context);
            var collection = db.GetCollection(name);
            var config = QdrantJson.ReadVectorNameConfig(await HttpBodies.ReadAsync(context));
            var result = await collection.CreateVectorAsync(vector_name, config, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteUpdate(w, result, wait));
        });

        app.MapDelete("/collections/{name}/vectors/{vector_name}", static async (HttpContext context, string name, string vector_name, IVectorDatabase db) =>
        {
            var wait = IndexEndpoints.UpdateParameters(context);
            var collection = db.GetCollection(name);
            var result = await collection.DeleteVectorAsync(vector_name, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteUpdate(w, result, wait));
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
