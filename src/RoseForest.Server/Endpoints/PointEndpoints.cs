using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RoseForest.Contracts.Qdrant;
using RoseForest.Server.Http;

namespace RoseForest.Server.Endpoints;

/// <summary>Points: upsert, retrieve, delete, payload edits, scroll, count. Each route: parse → call → write.</summary>
internal static class PointEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPut("/collections/{name}/points", static async (HttpContext context, string name, IVectorDatabase db, RestApiOptions options) =>
        {
            var collection = db.GetCollection(name);
            var body = await HttpBodies.ReadAsync(context);
            var points = QdrantJson.ReadUpsert(body, HttpBodies.Limits(options));
            await WriteUpdateAsync(context, await collection.UpsertAsync(points, QdrantJson.ReadUpsertOptions(body), context.RequestAborted));
        });

        app.MapPost("/collections/{name}/points", static async (HttpContext context, string name, IVectorDatabase db, RestApiOptions options) =>
        {
            var collection = db.GetCollection(name);
            var (ids, withPayload, withVector) = QdrantJson.ReadRetrieve(await HttpBodies.ReadAsync(context), HttpBodies.Limits(options));
            var records = await collection.GetAsync(ids, withPayload, withVector, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w =>
            {
                w.WriteStartArray();
                foreach (var r in records)
                {
                    QdrantJson.WriteRecord(w, r, withPayload.Enabled);
                }

                w.WriteEndArray();
            });
        });

        app.MapGet("/collections/{name}/points/{id}", static async (HttpContext context, string name, string id, IVectorDatabase db) =>
        {
            var collection = db.GetCollection(name);
            if (!PointId.TryParse(id, out var pointId))
            {
                throw new ValidationException("id", $"Can not recognize \"{id}\" as point id");
            }

            var records = await collection.GetAsync([pointId], PayloadSelector.All, withVector: true, context.RequestAborted);
            var record = records.Count > 0 ? records[0] : throw new NotFoundException($"Point with id {id} does not exists!");
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteRecord(w, record, payloadRequested: true));
        });

        app.MapPost("/collections/{name}/points/batch", static async (HttpContext context, string name, IVectorDatabase db, RestApiOptions options) =>
        {
            var collection = db.GetCollection(name);
            var operations = QdrantJson.ReadUpdateBatch(await HttpBodies.ReadAsync(context), HttpBodies.Limits(options));
            var results = await collection.UpdateBatchAsync(operations, context.RequestAborted);
            var wait = HttpBodies.QueryBool(context, "wait", false);
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteUpdates(w, results, wait));
        });

        app.MapPut("/collections/{name}/points/vectors", static async (HttpContext context, string name, IVectorDatabase db, RestApiOptions options) =>
        {
            var collection = db.GetCollection(name);
            var body = await HttpBodies.ReadAsync(context);
            var points = QdrantJson.ReadUpdateVectors(body, HttpBodies.Limits(options));
            await WriteUpdateAsync(context, await collection.UpdateVectorsAsync(points, QdrantJson.ReadUpdateFilter(body), context.RequestAborted));
        });

        app.MapPost("/collections/{name}/points/vectors/delete", static async (HttpContext context, string name, IVectorDatabase db) =>
        {
            var collection = db.GetCollection(name);
            var (selector, names) = QdrantJson.ReadDeleteVectors(await HttpBodies.ReadAsync(context));
            await WriteUpdateAsync(context, await collection.DeleteVectorsAsync(selector, names, context.RequestAborted));
        });

        app.MapPost("/collections/{name}/points/delete", static async (HttpContext context, string name, IVectorDatabase db) =>
        {
            var collection = db.GetCollection(name);
            var selector = QdrantJson.ReadDelete(await HttpBodies.ReadAsync(context));
            await WriteUpdateAsync(context, await collection.DeleteAsync(selector, context.RequestAborted));
        });

        app.MapPost("/collections/{name}/points/payload", static (HttpContext context, string name, IVectorDatabase db) => SetPayloadAsync(context, db.GetCollection(name), overwrite: false));
        app.MapPut("/collections/{name}/points/payload", static (HttpContext context, string name, IVectorDatabase db) => SetPayloadAsync(context, db.GetCollection(name), overwrite: true));

        app.MapPost("/collections/{name}/points/payload/delete", static async (HttpContext context, string name, IVectorDatabase db) =>
        {
            var collection = db.GetCollection(name);
            var (selector, keys) = QdrantJson.ReadDeletePayload(await HttpBodies.ReadAsync(context));
            await WriteUpdateAsync(context, await collection.DeletePayloadKeysAsync(selector, keys, context.RequestAborted));
        });

        app.MapPost("/collections/{name}/points/payload/clear", static async (HttpContext context, string name, IVectorDatabase db) =>
        {
            var collection = db.GetCollection(name);
            var selector = QdrantJson.ReadClearPayload(await HttpBodies.ReadAsync(context));
            await WriteUpdateAsync(context, await collection.ClearPayloadAsync(selector, context.RequestAborted));
        });

        app.MapPost("/collections/{name}/points/scroll", static async (HttpContext context, string name, IVectorDatabase db, RestApiOptions options) =>
        {
            var collection = db.GetCollection(name);
            var request = QdrantJson.ReadScroll(await HttpBodies.ReadAsync(context), HttpBodies.Limits(options));
            var page = await collection.ScrollAsync(request, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteScrollPage(w, page, request.WithPayload.Enabled));
        });

        app.MapPost("/collections/{name}/points/count", static async (HttpContext context, string name, IVectorDatabase db) =>
        {
            var collection = db.GetCollection(name);
            var filter = QdrantJson.ReadCount(await HttpBodies.ReadAsync(context));
            var count = await collection.CountAsync(filter, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("count", count);
                w.WriteEndObject();
            });
        });
    }

    private static async Task SetPayloadAsync(HttpContext context, IVectorCollection collection, bool overwrite)
    {
        var (selector, payload, key) = QdrantJson.ReadSetPayload(await HttpBodies.ReadAsync(context), overwrite);
        var result = overwrite
            ? await collection.OverwritePayloadAsync(selector, payload, context.RequestAborted)
            : await collection.SetPayloadAsync(selector, payload, key, context.RequestAborted);
        await WriteUpdateAsync(context, result);
    }

    private static Task WriteUpdateAsync(HttpContext context, UpdateResult result)
    {
        var wait = HttpBodies.QueryBool(context, "wait", false);
        return ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteUpdate(w, result, wait));
    }
}
