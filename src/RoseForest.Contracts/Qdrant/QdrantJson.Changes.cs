using System.Text.Json;

namespace RoseForest.Contracts.Qdrant;

public static partial class QdrantJson
{
    /// <summary>
    /// RoseForest's change-feed batch: <c>{"changes": [{"lsn", "op", …}], "next_lsn", "last_lsn"}</c>.
    /// Operations: <c>upsert</c> (<c>points</c> as in an upsert), <c>delete</c> (<c>ids</c>),
    /// <c>set_payload</c> (<c>ids</c>, <c>payload</c>, <c>key</c>), <c>overwrite_payload</c>,
    /// <c>delete_payload</c> (<c>ids</c>, <c>keys</c>), <c>clear_payload</c> (<c>ids</c>),
    /// <c>create_payload_index</c> (<c>field_name</c>, <c>field_schema</c>), <c>delete_payload_index</c> (<c>field_name</c>).
    /// </summary>
    public static void WriteChangeBatch(Utf8JsonWriter w, ChangeBatch batch)
    {
        w.WriteStartObject();
        w.WriteStartArray("changes");
        foreach (var record in batch.Records)
        {
            w.WriteStartObject();
            w.WriteNumber("lsn", record.Lsn);
            switch (record.Operation)
            {
                case UpsertChange u:
                    w.WriteString("op", "upsert");
                    WritePoints(w, u.Points);
                    break;
                case DeleteChange d:
                    w.WriteString("op", "delete");
                    WriteIds(w, d.Ids);
                    break;
                case SetPayloadChange s:
                    w.WriteString("op", "set_payload");
                    WriteIds(w, s.Ids);
                    w.WritePropertyName("payload");
                    s.Payload.WriteTo(w);
                    if (s.Key is not null)
                    {
                        w.WriteString("key", s.Key);
                    }

                    break;
                case OverwritePayloadChange o:
                    w.WriteString("op", "overwrite_payload");
                    WriteIds(w, o.Ids);
                    w.WritePropertyName("payload");
                    o.Payload.WriteTo(w);
                    break;
                case DeletePayloadKeysChange k:
                    w.WriteString("op", "delete_payload");
                    WriteIds(w, k.Ids);
                    WriteStrings(w, "keys", k.Keys);
                    break;
                case ClearPayloadChange c:
                    w.WriteString("op", "clear_payload");
                    WriteIds(w, c.Ids);
                    break;
                case CreatePayloadIndexChange ci:
                    w.WriteString("op", "create_payload_index");
                    w.WriteString("field_name", ci.FieldName);
                    w.WritePropertyName("field_schema");
                    WritePayloadFieldSchema(w, ci.Schema);
                    break;
                case DeletePayloadIndexChange di:
                    w.WriteString("op", "delete_payload_index");
                    w.WriteString("field_name", di.FieldName);
                    break;
                case CreateVectorChange cv:
                    w.WriteString("op", "create_vector");
                    w.WriteString("vector_name", cv.VectorName);
                    w.WritePropertyName("config");
                    WriteVectorNameConfig(w, cv.Config);
                    break;
                case DeleteVectorChange dv:
                    w.WriteString("op", "delete_vector");
                    w.WriteString("vector_name", dv.VectorName);
                    break;
                case UpdateCollectionChange uc:
                    w.WriteString("op", "update_collection");
                    w.WritePropertyName("update");
                    WriteCollectionUpdate(w, uc.Update);
                    break;
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("next_lsn", batch.NextLsn);
        w.WriteNumber("last_lsn", batch.LastLsn);
        w.WriteEndObject();
    }

    /// <summary>Reads a change-feed batch.</summary>
    public static ChangeBatch ReadChangeBatch(JsonElement e)
    {
        var records = new List<ChangeRecord>();
        foreach (var c in e.GetProperty("changes").EnumerateArray())
        {
            var lsn = c.GetProperty("lsn").GetInt64();
            var ids = JsonFields.Get(c, "ids") is { } list ? JsonFields.Ids(list, "ids") : [];
            ChangeOperation op = c.GetProperty("op").GetString() switch
            {
                "upsert" => new UpsertChange([.. c.GetProperty("points").EnumerateArray().Select(ReadChangedPoint)]),
                "delete" => new DeleteChange(ids),
                "set_payload" => new SetPayloadChange(ids, c.GetProperty("payload").Clone(), JsonFields.Get(c, "key")?.GetString()),
                "overwrite_payload" => new OverwritePayloadChange(ids, c.GetProperty("payload").Clone()),
                "delete_payload" => new DeletePayloadKeysChange(ids, ReadKeys(c.GetProperty("keys"), "keys")),
                "clear_payload" => new ClearPayloadChange(ids),
                "create_payload_index" => new CreatePayloadIndexChange(c.GetProperty("field_name").GetString()!, ReadPayloadFieldSchema(c.GetProperty("field_schema"), "field_schema")),
                "delete_payload_index" => new DeletePayloadIndexChange(c.GetProperty("field_name").GetString()!),
                "create_vector" => new CreateVectorChange(c.GetProperty("vector_name").GetString()!, ReadVectorNameConfig(c.GetProperty("config"))),
                "delete_vector" => new DeleteVectorChange(c.GetProperty("vector_name").GetString()!),
                "update_collection" => new UpdateCollectionChange(ReadCollectionUpdate(c.GetProperty("update"))),
                var other => throw new ValidationException("op", $"unknown change operation '{other}'."),
            };
            records.Add(new ChangeRecord(lsn, op));
        }

        return new ChangeBatch(records, e.GetProperty("next_lsn").GetInt64(), e.GetProperty("last_lsn").GetInt64());
    }

    private static PointStruct ReadChangedPoint(JsonElement p)
    {
        var (vector, named) = JsonFields.Get(p, "vector") is { } v ? ReadVectorStruct(v, "vector") : (null, null);
        return new PointStruct(PointId.FromJson(p.GetProperty("id"), "id"), vector, JsonFields.Get(p, "payload")?.Clone()) { Vectors = named };
    }

    private static void WriteIds(Utf8JsonWriter w, IReadOnlyList<PointId> ids)
    {
        w.WriteStartArray("ids");
        foreach (var id in ids)
        {
            id.WriteTo(w);
        }

        w.WriteEndArray();
    }
}
