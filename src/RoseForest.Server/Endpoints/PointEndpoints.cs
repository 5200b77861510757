using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RoseForest.Core.Payloads;
using RoseForest.Engine;
using RoseForest.Server.Http;

namespace RoseForest.Server.Endpoints;

/// <summary>Points: upsert, retrieve, delete, payload edits, scroll, count.</summary>
internal static class PointEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapPut("/collections/{name}/points", static async (HttpContext context, string name, RoseForestDatabase db, ServerOptions options) =>
        {
            var collection = db.GetCollection(name);
            var body = RequestJson.Object(await RequestJson.ReadBodyAsync(context), string.Empty, "points", "batch", "shard_key", "update_mode");
            CheckShardKey(body);
            if (RequestJson.String(body, "update_mode", string.Empty) is { } mode && mode != "upsert")
            {
                throw new ValidationException("update_mode", $"only upsert is supported by RoseForest, got {mode}.");
            }

            var points = ParsePoints(body, options.MaxBatchPoints);
            var wait = RequestJson.QueryBool(context, "wait", false);
            var result = await collection.UpsertAsync(points, cancellationToken: context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteUpdate(w, result, wait));
        });

        app.MapPost("/collections/{name}/points", static async (HttpContext context, string name, RoseForestDatabase db, ServerOptions options) =>
        {
            var collection = db.GetCollection(name);
            var body = RequestJson.Object(await RequestJson.ReadBodyAsync(context), string.Empty, "ids", "with_payload", "with_vector", "shard_key");
            CheckShardKey(body);
            var ids = RequestJson.Ids(RequestJson.Get(body, "ids") ?? throw new ValidationException("ids", "is required."), "ids");
            if (ids.Count > options.MaxLimit)
            {
                throw new ValidationException("ids", $"at most {options.MaxLimit} ids per request.");
            }

            var withPayload = QdrantJson.WithPayload(body, string.Empty, PayloadSelector.All);
            var withVector = QdrantJson.WithVector(body, string.Empty, false);
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

        app.MapGet("/collections/{name}/points/{id}", static async (HttpContext context, string name, string id, RoseForestDatabase db) =>
        {
            var collection = db.GetCollection(name);
            if (!PointId.TryParse(id, out var pointId))
            {
                throw new ValidationException("id", $"Can not recognize \"{id}\" as point id");
            }

            var record = await collection.GetAsync(pointId, PayloadSelector.All, withVector: true, context.RequestAborted)
                ?? throw new NotFoundException($"Point with id {id} does not exists!");
            await ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteRecord(w, record, payloadRequested: true));
        });

        app.MapPost("/collections/{name}/points/delete", static async (HttpContext context, string name, RoseForestDatabase db) =>
        {
            var collection = db.GetCollection(name);
            var body = RequestJson.Object(await RequestJson.ReadBodyAsync(context), string.Empty, "points", "filter", "shard_key");
            CheckShardKey(body);
            var result = await collection.DeleteAsync(QdrantJson.Selector(body, string.Empty), context.RequestAborted);
            await WriteUpdateAsync(context, result);
        });

        app.MapPost("/collections/{name}/points/payload", static (HttpContext context, string name, RoseForestDatabase db) => SetPayloadAsync(context, db.GetCollection(name), overwrite: false));
        app.MapPut("/collections/{name}/points/payload", static (HttpContext context, string name, RoseForestDatabase db) => SetPayloadAsync(context, db.GetCollection(name), overwrite: true));

        app.MapPost("/collections/{name}/points/payload/delete", static async (HttpContext context, string name, RoseForestDatabase db) =>
        {
            var collection = db.GetCollection(name);
            var body = RequestJson.Object(await RequestJson.ReadBodyAsync(context), string.Empty, "keys", "points", "filter", "shard_key");
            CheckShardKey(body);
            var keys = QdrantJson.Keys(RequestJson.Get(body, "keys") ?? throw new ValidationException("keys", "is required."), "keys");
            var result = await collection.DeletePayloadKeysAsync(QdrantJson.Selector(body, string.Empty), keys, context.RequestAborted);
            await WriteUpdateAsync(context, result);
        });

        app.MapPost("/collections/{name}/points/payload/clear", static async (HttpContext context, string name, RoseForestDatabase db) =>
        {
            var collection = db.GetCollection(name);
            var body = RequestJson.Object(await RequestJson.ReadBodyAsync(context), string.Empty, "points", "filter", "shard_key");
            CheckShardKey(body);
            var result = await collection.ClearPayloadAsync(QdrantJson.Selector(body, string.Empty), context.RequestAborted);
            await WriteUpdateAsync(context, result);
        });

        app.MapPost("/collections/{name}/points/scroll", static async (HttpContext context, string name, RoseForestDatabase db, ServerOptions options) =>
        {
            var collection = db.GetCollection(name);
            var body = RequestJson.Object(await RequestJson.ReadBodyAsync(context), string.Empty, "offset", "limit", "filter", "with_payload", "with_vector", "order_by", "shard_key");
            CheckShardKey(body);
            if (RequestJson.Get(body, "order_by") is not null)
            {
                throw new ValidationException("order_by", "ordering a scroll by a payload field is not supported by RoseForest; points come in id order.");
            }

            var withPayload = QdrantJson.WithPayload(body, string.Empty, PayloadSelector.All);
            var request = new ScrollRequest
            {
                Limit = RequestJson.Int(body, "limit", string.Empty, 1, options.MaxLimit) ?? 10,
                Offset = RequestJson.Get(body, "offset") is { } offset ? PointId.FromJson(offset, "offset") : null,
                Filter = QdrantJson.Filter(body, string.Empty),
                WithPayload = withPayload,
                WithVector = QdrantJson.WithVector(body, string.Empty, false),
            };
            var page = await collection.ScrollAsync(request, context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("points");
                foreach (var r in page.Points)
                {
                    QdrantJson.WriteRecord(w, r, withPayload.Enabled);
                }

                w.WriteEndArray();
                w.WritePropertyName("next_page_offset");
                if (page.NextOffset is { } next)
                {
                    next.WriteTo(w);
                }
                else
                {
                    w.WriteNullValue();
                }

                w.WriteEndObject();
            });
        });

        app.MapPost("/collections/{name}/points/count", static async (HttpContext context, string name, RoseForestDatabase db) =>
        {
            var collection = db.GetCollection(name);
            var body = RequestJson.Object(await RequestJson.ReadBodyAsync(context), string.Empty, "filter", "exact", "shard_key");
            CheckShardKey(body);
            _ = RequestJson.Bool(body, "exact", string.Empty);
            var count = await collection.CountAsync(QdrantJson.Filter(body, string.Empty), context.RequestAborted);
            await ApiResponse.WriteResultAsync(context, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("count", count);
                w.WriteEndObject();
            });
        });
    }

    private static async Task SetPayloadAsync(HttpContext context, Collection collection, bool overwrite)
    {
        var body = RequestJson.Object(await RequestJson.ReadBodyAsync(context), string.Empty, "payload", "points", "filter", "key", "shard_key");
        CheckShardKey(body);
        var payload = Payload.RequireObject(RequestJson.Get(body, "payload") ?? throw new ValidationException("payload", "is required."), "payload");
        var selector = QdrantJson.Selector(body, string.Empty);
        var key = RequestJson.String(body, "key", string.Empty);
        if (overwrite && key is not null)
        {
            throw new ValidationException("key", "overwrite_payload replaces the whole payload and takes no key.");
        }

        var result = overwrite
            ? await collection.OverwritePayloadAsync(selector, payload, context.RequestAborted)
            : await collection.SetPayloadAsync(selector, payload, key, context.RequestAborted);
        await WriteUpdateAsync(context, result);
    }

    private static Task WriteUpdateAsync(HttpContext context, UpdateResult result)
    {
        var wait = RequestJson.QueryBool(context, "wait", false);
        return ApiResponse.WriteResultAsync(context, w => QdrantJson.WriteUpdate(w, result, wait));
    }

    /// <summary>Shards are not a RoseForest concept: a shard key is refused rather than ignored.</summary>
    private static void CheckShardKey(JsonElement body)
    {
        if (RequestJson.Get(body, "shard_key") is not null)
        {
            throw new ValidationException("shard_key", "sharding is not supported by RoseForest.");
        }
    }

    /// <summary>{"points": [{id, vector, payload}]} or {"batch": {ids, vectors, payloads}}.</summary>
    internal static List<PointStruct> ParsePoints(JsonElement body, int maxPoints)
    {
        var points = RequestJson.Get(body, "points");
        var batch = RequestJson.Get(body, "batch");
        if ((points is null) == (batch is null))
        {
            throw new ValidationException("points", "give either points or batch.");
        }

        var result = new List<PointStruct>();
        if (points is { } list)
        {
            if (list.ValueKind != JsonValueKind.Array)
            {
                throw new ValidationException("points", "expected an array of points.");
            }

            CheckCount(list.GetArrayLength(), maxPoints, "points");
            var i = 0;
            foreach (var p in list.EnumerateArray())
            {
                var field = $"points[{i++}]";
                RequestJson.Object(p, field, "id", "vector", "payload");
                var id = PointId.FromJson(RequestJson.Get(p, "id") ?? throw new ValidationException($"{field}.id", "is required."), $"{field}.id");
                var vector = RequestJson.Vector(RequestJson.Get(p, "vector") ?? throw new ValidationException($"{field}.vector", "is required."), $"{field}.vector");
                var payload = RequestJson.Get(p, "payload") is { } pl ? Payload.RequireObject(pl, $"{field}.payload") : (JsonElement?)null;
                result.Add(new PointStruct(id, vector, payload));
            }

            return result;
        }

        var b = RequestJson.Object(batch!.Value, "batch", "ids", "vectors", "payloads");
        var ids = RequestJson.Ids(RequestJson.Get(b, "ids") ?? throw new ValidationException("batch.ids", "is required."), "batch.ids");
        CheckCount(ids.Count, maxPoints, "batch.ids");
        var vectors = RequestJson.Get(b, "vectors") ?? throw new ValidationException("batch.vectors", "is required.");
        if (vectors.ValueKind != JsonValueKind.Array || vectors.GetArrayLength() != ids.Count)
        {
            throw new ValidationException("batch.vectors", $"expected an array of {ids.Count} vectors, one per id.");
        }

        var payloads = RequestJson.Get(b, "payloads");
        if (payloads is { } pls && (pls.ValueKind != JsonValueKind.Array || pls.GetArrayLength() != ids.Count))
        {
            throw new ValidationException("batch.payloads", $"expected an array of {ids.Count} payloads (or nulls), one per id.");
        }

        var k = 0;
        foreach (var v in vectors.EnumerateArray())
        {
            JsonElement? payload = null;
            if (payloads is { } all && all[k].ValueKind != JsonValueKind.Null)
            {
                payload = Payload.RequireObject(all[k], $"batch.payloads[{k}]");
            }

            result.Add(new PointStruct(ids[k], RequestJson.Vector(v, $"batch.vectors[{k}]"), payload));
            k++;
        }

        return result;
    }

    private static void CheckCount(int count, int max, string field)
    {
        if (count > max)
        {
            throw new ValidationException(field, $"at most {max} points per request (got {count}); split the batch.");
        }
    }
}
