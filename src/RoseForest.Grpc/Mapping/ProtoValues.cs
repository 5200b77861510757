using System.Buffers;
using System.Text.Json;
using Google.Protobuf.Collections;
using G = Qdrant.Client.Grpc;

namespace RoseForest.Grpc.Mapping;

/// <summary>
/// Payloads and point ids between Qdrant's protobuf shapes (<c>map&lt;string, Value&gt;</c>,
/// <c>PointId</c>) and the contracts' (a JSON object, <see cref="PointId"/>).
/// </summary>
internal static class ProtoValues
{
    /// <summary>Payloads nest at most this deep (as the REST API's JSON reader).</summary>
    private const int MaxDepth = 64;

    public static PointId ToPointId(G.PointId? id, string field)
    {
        if (id is null)
        {
            throw new ValidationException(field, "is required.");
        }

        return id.PointIdOptionsCase switch
        {
            G.PointId.PointIdOptionsOneofCase.Num => PointId.FromNumber(id.Num),
            G.PointId.PointIdOptionsOneofCase.Uuid => Guid.TryParse(id.Uuid, out var g)
                ? PointId.FromUuid(g)
                : throw new ValidationException(field, $"'{id.Uuid}' is not a UUID."),
            _ => throw new ValidationException(field, "a point id needs num or uuid."),
        };
    }

    public static List<PointId> ToPointIds(RepeatedField<G.PointId> ids, string field, int max)
    {
        if (ids.Count > max)
        {
            throw new ValidationException(field, $"at most {max} ids, got {ids.Count}.");
        }

        var list = new List<PointId>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            list.Add(ToPointId(ids[i], $"{field}[{i}]"));
        }

        return list;
    }

    public static G.PointId FromPointId(PointId id) =>
        id.IsUuid ? new G.PointId { Uuid = id.Uuid.ToString("D") } : new G.PointId { Num = id.Number };

    /// <summary>A request payload as a JSON object, or null when the map is empty.</summary>
    public static JsonElement? ToPayload(MapField<string, G.Value> payload, string field)
    {
        if (payload.Count == 0)
        {
            return null;
        }

        return ToJsonObject(payload, field);
    }

    /// <summary>A map of values as a JSON object (an empty one for an empty map).</summary>
    public static JsonElement ToJsonObject(MapField<string, G.Value> fields, string field)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            WriteObject(w, fields, field, 0);
        }

        return JsonElement.Parse(buffer.WrittenSpan);
    }

    /// <summary>One value as a JSON element.</summary>
    public static JsonElement ToJson(G.Value value, string field)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            WriteValue(w, value, field, 0);
        }

        return JsonElement.Parse(buffer.WrittenSpan);
    }

    private static void WriteObject(Utf8JsonWriter w, MapField<string, G.Value> fields, string field, int depth)
    {
        w.WriteStartObject();
        foreach (var (key, value) in fields)
        {
            w.WritePropertyName(key);
            WriteValue(w, value, $"{field}.{key}", depth + 1);
        }

        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, G.Value? value, string field, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ValidationException(field, $"payloads nest at most {MaxDepth} deep.");
        }

        switch (value?.KindCase ?? G.Value.KindOneofCase.None)
        {
            case G.Value.KindOneofCase.None:
            case G.Value.KindOneofCase.NullValue:
                w.WriteNullValue();
                break;
            case G.Value.KindOneofCase.DoubleValue:
                if (!double.IsFinite(value!.DoubleValue))
                {
                    throw new ValidationException(field, "a payload number must be finite.");
                }

                w.WriteNumberValue(value.DoubleValue);
                break;
            case G.Value.KindOneofCase.IntegerValue:
                w.WriteNumberValue(value!.IntegerValue);
                break;
            case G.Value.KindOneofCase.StringValue:
                w.WriteStringValue(value!.StringValue);
                break;
            case G.Value.KindOneofCase.BoolValue:
                w.WriteBooleanValue(value!.BoolValue);
                break;
            case G.Value.KindOneofCase.StructValue:
                WriteObject(w, value!.StructValue.Fields, field, depth);
                break;
            case G.Value.KindOneofCase.ListValue:
                w.WriteStartArray();
                var i = 0;
                foreach (var item in value!.ListValue.Values)
                {
                    WriteValue(w, item, $"{field}[{i++}]", depth + 1);
                }

                w.WriteEndArray();
                break;
        }
    }

    /// <summary>A stored payload into a response map (nothing for no payload).</summary>
    public static void AddPayload(MapField<string, G.Value> target, JsonElement? payload)
    {
        if (payload is not { ValueKind: JsonValueKind.Object } p)
        {
            return;
        }

        foreach (var property in p.EnumerateObject())
        {
            target[property.Name] = FromJson(property.Value);
        }
    }

    /// <summary>A JSON value as a protobuf Value: integers that fit an int64 stay integers, as Qdrant's json_with_int.</summary>
    public static G.Value FromJson(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var s = new G.Struct();
                foreach (var p in e.EnumerateObject())
                {
                    s.Fields[p.Name] = FromJson(p.Value);
                }

                return new G.Value { StructValue = s };
            case JsonValueKind.Array:
                var list = new G.ListValue();
                foreach (var item in e.EnumerateArray())
                {
                    list.Values.Add(FromJson(item));
                }

                return new G.Value { ListValue = list };
            case JsonValueKind.String:
                return new G.Value { StringValue = e.GetString()! };
            case JsonValueKind.Number:
                return e.TryGetInt64(out var l) ? new G.Value { IntegerValue = l } : new G.Value { DoubleValue = e.GetDouble() };
            case JsonValueKind.True:
                return new G.Value { BoolValue = true };
            case JsonValueKind.False:
                return new G.Value { BoolValue = false };
            default:
                return new G.Value { NullValue = G.NullValue.NullValue };
        }
    }
}
