using System.Text.Json;

namespace RoseForest.Contracts.Qdrant;

public static partial class QdrantJson
{
    /// <summary>Qdrant's UpdateResult: <c>{"operation_id", "status": "completed" | "acknowledged"}</c>.</summary>
    public static void WriteUpdate(Utf8JsonWriter w, UpdateResult r, bool wait)
    {
        w.WriteStartObject();
        w.WriteNumber("operation_id", r.OperationId);
        w.WriteString("status", wait ? "completed" : "acknowledged");
        w.WriteEndObject();
    }

    /// <summary>Reads an UpdateResult (the points affected are not in Qdrant's shape: 0).</summary>
    public static UpdateResult ReadUpdate(JsonElement e) =>
        new(JsonFields.Get(e, "operation_id") is { } id ? id.GetInt64() : 0, 0);

    /// <summary>A points selector: <c>{"points": [ids]}</c> or <c>{"filter": {…}}</c> (exactly one).</summary>
    public static PointSelector ReadSelector(JsonElement body, string field)
    {
        var points = JsonFields.Get(body, "points");
        var filter = JsonFields.Get(body, "filter");
        if (points is not null && filter is not null)
        {
            throw new ValidationException(field, "give either points or filter, not both.");
        }

        if (points is { } p)
        {
            return PointSelector.ById(JsonFields.Ids(p, JsonFields.Join(field, "points")));
        }

        if (filter is { } f)
        {
            return PointSelector.Where(QdrantFilter.Read(f, JsonFields.Join(field, "filter")));
        }

        throw new ValidationException(field, "Either list of point ids or filter must be provided.");
    }

    /// <summary>Writes the selector's properties (<c>points</c> or <c>filter</c>) into the current object.</summary>
    public static void WriteSelector(Utf8JsonWriter w, PointSelector selector)
    {
        if (selector.Filter is { } f)
        {
            w.WritePropertyName("filter");
            QdrantFilter.Write(w, f);
        }
        else
        {
            w.WriteStartArray("points");
            foreach (var id in selector.Ids!)
            {
                id.WriteTo(w);
            }

            w.WriteEndArray();
        }
    }

    /// <summary>Shards are not a RoseForest concept: a shard key is refused rather than ignored.</summary>
    public static void RefuseShardKey(JsonElement body)
    {
        if (JsonFields.Get(body, "shard_key") is not null)
        {
            throw new ValidationException("shard_key", "sharding is not supported by RoseForest.");
        }
    }

    /// <summary>POST …/points/delete: a selector.</summary>
    public static PointSelector ReadDelete(JsonElement body)
    {
        JsonFields.Object(body, string.Empty, "points", "filter", "shard_key");
        RefuseShardKey(body);
        return ReadSelector(body, string.Empty);
    }

    /// <summary>POST/PUT …/points/payload: selector, payload and (set only) key.</summary>
    public static (PointSelector Selector, JsonElement Payload, string? Key) ReadSetPayload(JsonElement body, bool overwrite)
    {
        JsonFields.Object(body, string.Empty, "payload", "points", "filter", "key", "shard_key");
        RefuseShardKey(body);
        var payload = Core.Payloads.Payload.RequireObject(JsonFields.Get(body, "payload") ?? throw new ValidationException("payload", "is required."), "payload");
        var selector = ReadSelector(body, string.Empty);
        var key = JsonFields.String(body, "key", string.Empty);
        if (overwrite && key is not null)
        {
            throw new ValidationException("key", "overwrite_payload replaces the whole payload and takes no key.");
        }

        return (selector, payload, key);
    }

    /// <summary>Writes a set/overwrite payload body.</summary>
    public static void WriteSetPayload(Utf8JsonWriter w, PointSelector selector, JsonElement payload, string? key)
    {
        w.WriteStartObject();
        w.WritePropertyName("payload");
        payload.WriteTo(w);
        WriteSelector(w, selector);
        if (key is not null)
        {
            w.WriteString("key", key);
        }

        w.WriteEndObject();
    }

    /// <summary>POST …/points/payload/delete: keys and a selector.</summary>
    public static (PointSelector Selector, string[] Keys) ReadDeletePayload(JsonElement body)
    {
        JsonFields.Object(body, string.Empty, "keys", "points", "filter", "shard_key");
        RefuseShardKey(body);
        var keys = ReadKeys(JsonFields.Get(body, "keys") ?? throw new ValidationException("keys", "is required."), "keys");
        return (ReadSelector(body, string.Empty), keys);
    }

    /// <summary>Writes a delete-payload body.</summary>
    public static void WriteDeletePayload(Utf8JsonWriter w, PointSelector selector, IReadOnlyList<string> keys)
    {
        w.WriteStartObject();
        WriteStrings(w, "keys", keys);
        WriteSelector(w, selector);
        w.WriteEndObject();
    }

    /// <summary>POST …/points/payload/clear: a selector.</summary>
    public static PointSelector ReadClearPayload(JsonElement body) => ReadDelete(body);

    /// <summary>Writes a body that is only a selector (delete, clear payload).</summary>
    public static void WriteSelectorBody(Utf8JsonWriter w, PointSelector selector)
    {
        w.WriteStartObject();
        WriteSelector(w, selector);
        w.WriteEndObject();
    }

    /// <summary>An array of payload keys.</summary>
    public static string[] ReadKeys(JsonElement v, string field)
    {
        if (v.ValueKind != JsonValueKind.Array)
        {
            throw new ValidationException(field, "expected an array of payload keys.");
        }

        var keys = new List<string>();
        var i = 0;
        foreach (var k in v.EnumerateArray())
        {
            keys.Add(k.ValueKind == JsonValueKind.String ? k.GetString()! : throw new ValidationException($"{field}[{i}]", "expected a string key."));
            i++;
        }

        return [.. keys];
    }
}
