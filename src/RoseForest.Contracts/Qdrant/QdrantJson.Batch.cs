using System.Text.Json;

namespace RoseForest.Contracts.Qdrant;

public static partial class QdrantJson
{
    /// <summary>
    /// POST …/points/batch: <c>{"operations": [{"upsert": …}, {"delete": …}, {"set_payload": …},
    /// {"overwrite_payload": …}, {"delete_payload": …}, {"clear_payload": …}, {"update_vectors": …},
    /// {"delete_vectors": …}]}</c>, each body as its own route takes it. The whole request is read
    /// (and so checked) before any operation runs; errors name the operation (<c>operations[2].upsert.points[0].vector</c>).
    /// </summary>
    public static List<UpdateOperation> ReadUpdateBatch(JsonElement body, Limits limits)
    {
        JsonFields.Object(body, string.Empty, "operations");
        var list = JsonFields.Get(body, "operations") ?? throw new ValidationException("operations", "is required.");
        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new ValidationException("operations", "expected an array of operations.");
        }

        var result = new List<UpdateOperation>(list.GetArrayLength());
        var i = 0;
        foreach (var op in list.EnumerateArray())
        {
            var field = $"operations[{i++}]";
            if (op.ValueKind != JsonValueKind.Object || op.GetPropertyCount() != 1)
            {
                throw new ValidationException(field, "expected an object with exactly one of upsert, delete, set_payload, overwrite_payload, delete_payload, clear_payload, update_vectors, delete_vectors.");
            }

            var only = op.EnumerateObject().First();
            var at = $"{field}.{only.Name}";
            try
            {
                result.Add(ReadOperation(only.Name, only.Value, limits, field));
            }
            catch (ValidationException e) when (!e.Field.StartsWith(field, StringComparison.Ordinal))
            {
                throw new ValidationException(e.Field.Length == 0 ? at : $"{at}.{e.Field}", e.Reason);
            }
        }

        return result;
    }

    private static UpdateOperation ReadOperation(string kind, JsonElement value, Limits limits, string field)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new ValidationException(string.Empty, "expected an object.");
        }

        switch (kind)
        {
            case "upsert":
                return new UpsertOperation(ReadUpsert(value, limits), ReadUpsertOptions(value));
            case "delete":
                return new DeletePointsOperation(ReadDelete(value));
            case "set_payload":
                var (setSelector, setPayload, key) = ReadSetPayload(value, overwrite: false);
                return new SetPayloadOperation(setSelector, setPayload.Clone(), key);
            case "overwrite_payload":
                var (overwriteSelector, overwritePayload, _) = ReadSetPayload(value, overwrite: true);
                return new OverwritePayloadOperation(overwriteSelector, overwritePayload.Clone());
            case "delete_payload":
                var (deleteSelector, keys) = ReadDeletePayload(value);
                return new DeletePayloadOperation(deleteSelector, keys);
            case "clear_payload":
                return new ClearPayloadOperation(ReadClearPayload(value));
            case "update_vectors":
                return new UpdateVectorsOperation(ReadUpdateVectors(value, limits), ReadUpdateFilter(value));
            case "delete_vectors":
                var (vectorSelector, names) = ReadDeleteVectors(value);
                return new DeleteVectorsOperation(vectorSelector, names);
            default:
                throw new ValidationException(field, $"unknown operation `{kind}`, expected one of upsert, delete, set_payload, overwrite_payload, delete_payload, clear_payload, update_vectors, delete_vectors.");
        }
    }

    /// <summary>Writes a batch update body.</summary>
    public static void WriteUpdateBatch(Utf8JsonWriter w, IReadOnlyList<UpdateOperation> operations)
    {
        w.WriteStartObject();
        w.WriteStartArray("operations");
        foreach (var op in operations)
        {
            w.WriteStartObject();
            switch (op)
            {
                case UpsertOperation u:
                    w.WritePropertyName("upsert");
                    WriteUpsert(w, u.Points, u.Options);
                    break;
                case DeletePointsOperation d:
                    w.WritePropertyName("delete");
                    WriteSelectorBody(w, d.Selector);
                    break;
                case SetPayloadOperation s:
                    w.WritePropertyName("set_payload");
                    WriteSetPayload(w, s.Selector, s.Payload, s.Key);
                    break;
                case OverwritePayloadOperation o:
                    w.WritePropertyName("overwrite_payload");
                    WriteSetPayload(w, o.Selector, o.Payload, null);
                    break;
                case DeletePayloadOperation dp:
                    w.WritePropertyName("delete_payload");
                    WriteDeletePayload(w, dp.Selector, dp.Keys);
                    break;
                case ClearPayloadOperation c:
                    w.WritePropertyName("clear_payload");
                    WriteSelectorBody(w, c.Selector);
                    break;
                case UpdateVectorsOperation uv:
                    w.WritePropertyName("update_vectors");
                    WriteUpdateVectors(w, uv.Points, uv.UpdateFilter);
                    break;
                case DeleteVectorsOperation dv:
                    w.WritePropertyName("delete_vectors");
                    WriteDeleteVectors(w, dv.Selector, dv.VectorNames);
                    break;
                default:
                    throw new ArgumentException($"unknown operation {op?.GetType().Name}", nameof(operations));
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Writes the results of a batch: an array of UpdateResult.</summary>
    public static void WriteUpdates(Utf8JsonWriter w, IReadOnlyList<UpdateResult> results, bool wait)
    {
        w.WriteStartArray();
        foreach (var r in results)
        {
            WriteUpdate(w, r, wait);
        }

        w.WriteEndArray();
    }
}
