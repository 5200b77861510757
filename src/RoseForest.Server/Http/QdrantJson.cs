using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Engine;

namespace RoseForest.Server.Http;

/// <summary>Qdrant's JSON shapes for the engine's types, in both directions.</summary>
internal static class QdrantJson
{
    /// <summary>with_payload: true, false, a list of keys (include), or {"include": […]} / {"exclude": […]}.</summary>
    public static PayloadSelector WithPayload(JsonElement obj, string field, PayloadSelector defaultValue)
    {
        if (RequestJson.Get(obj, "with_payload") is not { } v)
        {
            return defaultValue;
        }

        var path = RequestJson.Join(field, "with_payload");
        switch (v.ValueKind)
        {
            case JsonValueKind.True:
                return PayloadSelector.All;
            case JsonValueKind.False:
                return PayloadSelector.None;
            case JsonValueKind.Array:
                return PayloadSelector.Include(Keys(v, path));
            case JsonValueKind.Object:
                RequestJson.Object(v, path, "include", "exclude");
                if (RequestJson.Get(v, "include") is { } include)
                {
                    return PayloadSelector.Include(Keys(include, $"{path}.include"));
                }

                if (RequestJson.Get(v, "exclude") is { } exclude)
                {
                    return PayloadSelector.Exclude(Keys(exclude, $"{path}.exclude"));
                }

                throw new ValidationException(path, "expected include or exclude.");
            default:
                throw new ValidationException(path, "expected a boolean, an array of keys, or an object with include or exclude.");
        }
    }

    /// <summary>with_vector: true, false, or a list of vector names (RoseForest has one unnamed vector; any list means true).</summary>
    public static bool WithVector(JsonElement obj, string field, bool defaultValue)
    {
        if (RequestJson.Get(obj, "with_vector") is not { } v)
        {
            return defaultValue;
        }

        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Array => v.GetArrayLength() > 0,
            _ => throw new ValidationException(RequestJson.Join(field, "with_vector"), "expected a boolean or an array of vector names."),
        };
    }

    public static string[] Keys(JsonElement v, string field)
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

    public static Filter? Filter(JsonElement obj, string field) =>
        RequestJson.Get(obj, "filter") is { } f ? Core.Filters.Filter.FromJson(f, RequestJson.Join(field, "filter")) : null;

    /// <summary>A points selector: {"points": [ids]} or {"filter": {…}} (exactly one).</summary>
    public static PointSelector Selector(JsonElement body, string field)
    {
        var points = RequestJson.Get(body, "points");
        var filter = RequestJson.Get(body, "filter");
        if (points is not null && filter is not null)
        {
            throw new ValidationException(field, "give either points or filter, not both.");
        }

        if (points is { } p)
        {
            return PointSelector.ById(RequestJson.Ids(p, RequestJson.Join(field, "points")));
        }

        if (filter is { } f)
        {
            return PointSelector.Where(Core.Filters.Filter.FromJson(f, RequestJson.Join(field, "filter")));
        }

        throw new ValidationException(field, "Either list of point ids or filter must be provided.");
    }

    public static void WriteRecord(Utf8JsonWriter w, Record r, bool payloadRequested)
    {
        w.WriteStartObject();
        w.WritePropertyName("id");
        r.Id.WriteTo(w);
        WritePayloadAndVector(w, r.Payload, payloadRequested, r.Vector);
        w.WriteEndObject();
    }

    public static void WriteScored(Utf8JsonWriter w, ScoredPoint p, bool payloadRequested)
    {
        w.WriteStartObject();
        w.WritePropertyName("id");
        p.Id.WriteTo(w);
        w.WriteNumber("version", p.Version);
        w.WriteNumber("score", p.Score);
        WritePayloadAndVector(w, p.Payload, payloadRequested, p.Vector);
        w.WriteEndObject();
    }

    private static void WritePayloadAndVector(Utf8JsonWriter w, JsonElement? payload, bool payloadRequested, float[]? vector)
    {
        if (payloadRequested)
        {
            w.WritePropertyName("payload");
            if (payload is { } p)
            {
                p.WriteTo(w);
            }
            else
            {
                w.WriteStartObject();
                w.WriteEndObject();
            }
        }

        if (vector is not null)
        {
            w.WriteStartArray("vector");
            foreach (var x in vector)
            {
                w.WriteNumberValue(x);
            }

            w.WriteEndArray();
        }
    }

    public static void WriteUpdate(Utf8JsonWriter w, UpdateResult r, bool wait)
    {
        w.WriteStartObject();
        w.WriteNumber("operation_id", r.OperationId);
        w.WriteString("status", wait ? "completed" : "acknowledged");
        w.WriteEndObject();
    }
}
