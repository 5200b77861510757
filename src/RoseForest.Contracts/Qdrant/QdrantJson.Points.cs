using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Core.Payloads;

namespace RoseForest.Contracts.Qdrant;

public static partial class QdrantJson
{
    /// <summary>PUT …/points: <c>{"points": [{id, vector, payload}]}</c> or <c>{"batch": {ids, vectors, payloads}}</c>.</summary>
    public static List<PointStruct> ReadUpsert(JsonElement body, Limits limits)
    {
        JsonFields.Object(body, string.Empty, "points", "batch", "shard_key", "update_mode", "update_filter");
        RefuseShardKey(body);

        var points = JsonFields.Get(body, "points");
        var batch = JsonFields.Get(body, "batch");
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

            CheckCount(list.GetArrayLength(), limits.MaxBatchPoints, "points");
            var i = 0;
            foreach (var p in list.EnumerateArray())
            {
                var field = $"points[{i++}]";
                JsonFields.Object(p, field, "id", "vector", "payload");
                var id = PointId.FromJson(JsonFields.Get(p, "id") ?? throw new ValidationException($"{field}.id", "is required."), $"{field}.id");
                var (vector, named) = ReadVectorStruct(JsonFields.Get(p, "vector") ?? throw new ValidationException($"{field}.vector", "is required."), $"{field}.vector");
                var payload = JsonFields.Get(p, "payload") is { } pl ? Payload.RequireObject(pl, $"{field}.payload") : (JsonElement?)null;
                result.Add(new PointStruct(id, vector, payload) { Vectors = named });
            }

            return result;
        }

        var b = JsonFields.Object(batch!.Value, "batch", "ids", "vectors", "payloads");
        var ids = JsonFields.Ids(JsonFields.Get(b, "ids") ?? throw new ValidationException("batch.ids", "is required."), "batch.ids");
        CheckCount(ids.Count, limits.MaxBatchPoints, "batch.ids");
        var vectors = JsonFields.Get(b, "vectors") ?? throw new ValidationException("batch.vectors", "is required.");
        var perName = vectors.ValueKind == JsonValueKind.Object ? ReadBatchNamed(vectors, ids.Count) : null;
        if (perName is null && (vectors.ValueKind != JsonValueKind.Array || vectors.GetArrayLength() != ids.Count))
        {
            throw new ValidationException("batch.vectors", $"expected an array of {ids.Count} vectors, one per id, or an object of vector name → such an array.");
        }

        var payloads = JsonFields.Get(b, "payloads");
        if (payloads is { } pls && (pls.ValueKind != JsonValueKind.Array || pls.GetArrayLength() != ids.Count))
        {
            throw new ValidationException("batch.payloads", $"expected an array of {ids.Count} payloads (or nulls), one per id.");
        }

        for (var k = 0; k < ids.Count; k++)
        {
            JsonElement? payload = null;
            if (payloads is { } all && all[k].ValueKind != JsonValueKind.Null)
            {
                payload = Payload.RequireObject(all[k], $"batch.payloads[{k}]");
            }

            if (perName is not null)
            {
                var named = new Dictionary<string, VectorData>(StringComparer.Ordinal);
                foreach (var (name, column) in perName)
                {
                    named[name] = column[k];
                }

                result.Add(new PointStruct(ids[k], null, payload) { Vectors = named });
            }
            else
            {
                var (vector, named) = ReadVectorStruct(vectors[k], $"batch.vectors[{k}]");
                result.Add(new PointStruct(ids[k], vector, payload) { Vectors = named });
            }
        }

        return result;
    }

    /// <summary>batch.vectors as an object: vector name → one vector per id.</summary>
    private static Dictionary<string, VectorData[]> ReadBatchNamed(JsonElement vectors, int count)
    {
        var result = new Dictionary<string, VectorData[]>(StringComparer.Ordinal);
        foreach (var p in vectors.EnumerateObject())
        {
            var field = $"batch.vectors.{p.Name}";
            if (p.Value.ValueKind != JsonValueKind.Array || p.Value.GetArrayLength() != count)
            {
                throw new ValidationException(field, $"expected an array of {count} vectors, one per id.");
            }

            var list = new VectorData[count];
            var i = 0;
            foreach (var v in p.Value.EnumerateArray())
            {
                list[i] = ReadVectorData(v, $"{field}[{i}]");
                i++;
            }

            result[p.Name] = list;
        }

        return result;
    }

    /// <summary>An upsert body's <c>update_mode</c> and <c>update_filter</c> (the points come from <see cref="ReadUpsert"/>).</summary>
    public static UpsertOptions ReadUpsertOptions(JsonElement body)
    {
        var mode = JsonFields.String(body, "update_mode", string.Empty) switch
        {
            null or "upsert" => UpdateMode.Upsert,
            "insert_only" => UpdateMode.InsertOnly,
            "update_only" => UpdateMode.UpdateOnly,
            var other => throw new ValidationException("update_mode", $"unknown variant `{other}`, expected one of `upsert`, `insert_only`, `update_only`."),
        };
        return new UpsertOptions { Mode = mode, UpdateFilter = ReadUpdateFilter(body) };
    }

    /// <summary>Writes an upsert body in the <c>points</c> form, with the options' update_mode and update_filter.</summary>
    public static void WriteUpsert(Utf8JsonWriter w, IReadOnlyList<PointStruct> points, UpsertOptions? options = null)
    {
        w.WriteStartObject();
        WritePoints(w, points);
        WriteUpdateCondition(w, options?.UpdateFilter);
        if (options is { Mode: not UpdateMode.Upsert })
        {
            w.WriteString("update_mode", options.Mode == UpdateMode.InsertOnly ? "insert_only" : "update_only");
        }

        w.WriteEndObject();
    }

    private static void WriteUpdateCondition(Utf8JsonWriter w, Filter? filter)
    {
        if (filter is not null)
        {
            w.WritePropertyName("update_filter");
            QdrantFilter.Write(w, filter);
        }
    }

    /// <summary>Writes <c>"points": [{id, vector, payload}]</c>.</summary>
    private static void WritePoints(Utf8JsonWriter w, IReadOnlyList<PointStruct> points)
    {
        w.WriteStartArray("points");
        foreach (var p in points)
        {
            w.WriteStartObject();
            w.WritePropertyName("id");
            p.Id.WriteTo(w);
            WriteVectorStruct(w, "vector", p.Vector, p.Vectors);
            WriteOptional(w, "payload", p.Payload);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>Writes an array of strings.</summary>
    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    /// <summary>PUT …/points/vectors (update_vectors): <c>{"points": [{id, vector}], "update_filter"?}</c>; read the filter with <see cref="ReadUpdateFilter"/>.</summary>
    public static List<PointStruct> ReadUpdateVectors(JsonElement body, Limits limits)
    {
        JsonFields.Object(body, string.Empty, "points", "shard_key", "update_filter");
        RefuseShardKey(body);

        var list = JsonFields.Get(body, "points") ?? throw new ValidationException("points", "is required.");
        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new ValidationException("points", "expected an array of {id, vector}.");
        }

        CheckCount(list.GetArrayLength(), limits.MaxBatchPoints, "points");
        var result = new List<PointStruct>();
        var i = 0;
        foreach (var p in list.EnumerateArray())
        {
            var field = $"points[{i++}]";
            JsonFields.Object(p, field, "id", "vector");
            var id = PointId.FromJson(JsonFields.Get(p, "id") ?? throw new ValidationException($"{field}.id", "is required."), $"{field}.id");
            var (vector, named) = ReadVectorStruct(JsonFields.Get(p, "vector") ?? throw new ValidationException($"{field}.vector", "is required."), $"{field}.vector");
            result.Add(new PointStruct(id, vector) { Vectors = named });
        }

        return result;
    }

    /// <summary>The <c>update_filter</c> of an update_vectors body, or null.</summary>
    public static Filter? ReadUpdateFilter(JsonElement body) =>
        JsonFields.Get(body, "update_filter") is { ValueKind: not JsonValueKind.Null } f ? QdrantFilter.Read(f, "update_filter") : null;

    /// <summary>Writes an update_vectors body.</summary>
    public static void WriteUpdateVectors(Utf8JsonWriter w, IReadOnlyList<PointStruct> points, Filter? updateFilter = null)
    {
        w.WriteStartObject();
        WritePoints(w, points);
        WriteUpdateCondition(w, updateFilter);
        w.WriteEndObject();
    }

    /// <summary>POST …/points/vectors/delete: a selector and <c>vector</c>, the names to remove.</summary>
    public static (PointSelector Selector, string[] Names) ReadDeleteVectors(JsonElement body)
    {
        JsonFields.Object(body, string.Empty, "points", "filter", "vector", "shard_key");
        RefuseShardKey(body);
        var names = ReadKeys(JsonFields.Get(body, "vector") ?? throw new ValidationException("vector", "is required: the names of the vectors to delete."), "vector");
        return (ReadSelector(body, string.Empty), names);
    }

    /// <summary>Writes a delete_vectors body.</summary>
    public static void WriteDeleteVectors(Utf8JsonWriter w, PointSelector selector, IReadOnlyList<string> names)
    {
        w.WriteStartObject();
        WriteSelector(w, selector);
        WriteStrings(w, "vector", names);
        w.WriteEndObject();
    }

    /// <summary>POST …/points (retrieve): ids, with_payload (default true), with_vector (default false).</summary>
    public static (List<PointId> Ids, PayloadSelector WithPayload, VectorSelector WithVector) ReadRetrieve(JsonElement body, Limits limits)
    {
        JsonFields.Object(body, string.Empty, "ids", "with_payload", "with_vector", "shard_key");
        RefuseShardKey(body);
        var ids = JsonFields.Ids(JsonFields.Get(body, "ids") ?? throw new ValidationException("ids", "is required."), "ids");
        if (ids.Count > limits.MaxLimit)
        {
            throw new ValidationException("ids", $"at most {limits.MaxLimit} ids per request.");
        }

        return (ids, ReadWithPayload(body, string.Empty, PayloadSelector.All), ReadWithVector(body, string.Empty, false));
    }

    /// <summary>Writes a retrieve body.</summary>
    public static void WriteRetrieve(Utf8JsonWriter w, IReadOnlyList<PointId> ids, PayloadSelector withPayload, VectorSelector withVector)
    {
        w.WriteStartObject();
        w.WriteStartArray("ids");
        foreach (var id in ids)
        {
            id.WriteTo(w);
        }

        w.WriteEndArray();
        WriteWithPayload(w, withPayload);
        WriteWithVector(w, withVector);
        w.WriteEndObject();
    }

    /// <summary>POST …/points/scroll: offset (inclusive start id), limit, filter, with_payload (default true), with_vector.</summary>
    public static ScrollRequest ReadScroll(JsonElement body, Limits limits)
    {
        JsonFields.Object(body, string.Empty, "offset", "limit", "filter", "with_payload", "with_vector", "order_by", "shard_key");
        RefuseShardKey(body);
        return new ScrollRequest
        {
            OrderBy = JsonFields.Get(body, "order_by") is { } orderBy ? ReadOrderBy(orderBy, "order_by") : null,
            Limit = JsonFields.Int(body, "limit", string.Empty, 1, limits.MaxLimit) ?? 10,
            Offset = JsonFields.Get(body, "offset") is { } offset ? PointId.FromJson(offset, "offset") : null,
            Filter = ReadFilterProperty(body, string.Empty),
            WithPayload = ReadWithPayload(body, string.Empty, PayloadSelector.All),
            WithVector = ReadWithVector(body, string.Empty, false),
        };
    }

    /// <summary>Writes a scroll body.</summary>
    public static void WriteScroll(Utf8JsonWriter w, ScrollRequest request)
    {
        w.WriteStartObject();
        w.WriteNumber("limit", request.Limit);
        if (request.Offset is { } offset)
        {
            w.WritePropertyName("offset");
            offset.WriteTo(w);
        }

        WriteFilterProperty(w, request.Filter);
        WriteWithPayload(w, request.WithPayload);
        WriteWithVector(w, request.WithVector);
        if (request.OrderBy is { } orderBy)
        {
            w.WritePropertyName("order_by");
            WriteOrderByValue(w, orderBy);
        }

        w.WriteEndObject();
    }

    /// <summary>Qdrant's ScrollResult: <c>{"points": [...], "next_page_offset"}</c>.</summary>
    public static void WriteScrollPage(Utf8JsonWriter w, ScrollPage page, bool payloadRequested)
    {
        w.WriteStartObject();
        w.WriteStartArray("points");
        foreach (var r in page.Points)
        {
            WriteRecord(w, r, payloadRequested);
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
    }

    /// <summary>Reads a ScrollResult.</summary>
    public static ScrollPage ReadScrollPage(JsonElement e) => new(
        [.. e.GetProperty("points").EnumerateArray().Select(ReadRecord)],
        JsonFields.Get(e, "next_page_offset") is { } next ? PointId.FromJson(next, "next_page_offset") : null);

    /// <summary>POST …/points/count: filter and exact (accepted; counts are always exact here).</summary>
    public static Filter? ReadCount(JsonElement body)
    {
        JsonFields.Object(body, string.Empty, "filter", "exact", "shard_key");
        RefuseShardKey(body);
        _ = JsonFields.Bool(body, "exact", string.Empty);
        return ReadFilterProperty(body, string.Empty);
    }

    /// <summary>Writes a count body.</summary>
    public static void WriteCount(Utf8JsonWriter w, Filter? filter)
    {
        w.WriteStartObject();
        WriteFilterProperty(w, filter);
        w.WriteBoolean("exact", true);
        w.WriteEndObject();
    }

    /// <summary>Qdrant's Record: id, payload (when asked), vector (when asked).</summary>
    public static void WriteRecord(Utf8JsonWriter w, Record r, bool payloadRequested)
    {
        w.WriteStartObject();
        w.WritePropertyName("id");
        r.Id.WriteTo(w);
        WritePayloadAndVector(w, r.Payload, payloadRequested, r.Vector, r.Vectors);
        WriteOrderValueProperty(w, r.OrderValue);

        w.WriteEndObject();
    }

    /// <summary>Reads a Record (Qdrant's shape has no version: 0).</summary>
    public static Record ReadRecord(JsonElement e)
    {
        var (vector, named) = ReadOptionalVectors(e);
        return new(PointId.FromJson(e.GetProperty("id"), "id"), 0, vector, ReadOptionalPayload(e))
        {
            Vectors = named,
            OrderValue = ReadOrderValueProperty(e),
        };
    }

    /// <summary>with_payload: true, false, a list of keys (include), or {"include": […]} / {"exclude": […]}.</summary>
    public static PayloadSelector ReadWithPayload(JsonElement obj, string field, PayloadSelector defaultValue)
    {
        if (JsonFields.Get(obj, "with_payload") is not { } v)
        {
            return defaultValue;
        }

        var path = JsonFields.Join(field, "with_payload");
        switch (v.ValueKind)
        {
            case JsonValueKind.True:
                return PayloadSelector.All;
            case JsonValueKind.False:
                return PayloadSelector.None;
            case JsonValueKind.Array:
                return PayloadSelector.Include(ReadKeys(v, path));
            case JsonValueKind.Object:
                JsonFields.Object(v, path, "include", "exclude");
                if (JsonFields.Get(v, "include") is { } include)
                {
                    return PayloadSelector.Include(ReadKeys(include, $"{path}.include"));
                }

                if (JsonFields.Get(v, "exclude") is { } exclude)
                {
                    return PayloadSelector.Exclude(ReadKeys(exclude, $"{path}.exclude"));
                }

                throw new ValidationException(path, "expected include or exclude.");
            default:
                throw new ValidationException(path, "expected a boolean, an array of keys, or an object with include or exclude.");
        }
    }

    /// <summary>Writes <c>with_payload</c>.</summary>
    public static void WriteWithPayload(Utf8JsonWriter w, PayloadSelector selector)
    {
        w.WritePropertyName("with_payload");
        if (selector.Paths.Count == 0)
        {
            w.WriteBooleanValue(selector.Enabled && !selector.IsInclude);
            return;
        }

        w.WriteStartObject();
        w.WriteStartArray(selector.IsInclude ? "include" : "exclude");
        foreach (var p in selector.Paths)
        {
            w.WriteStringValue(p.Text);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The <c>filter</c> property, when present.</summary>
    public static Filter? ReadFilterProperty(JsonElement obj, string field) =>
        JsonFields.Get(obj, "filter") is { } f ? QdrantFilter.Read(f, JsonFields.Join(field, "filter")) : null;

    private static void WriteFilterProperty(Utf8JsonWriter w, Filter? filter)
    {
        if (filter is not null)
        {
            w.WritePropertyName("filter");
            QdrantFilter.Write(w, filter);
        }
    }

    private static void WritePayloadAndVector(Utf8JsonWriter w, JsonElement? payload, bool payloadRequested, float[]? vector, IReadOnlyDictionary<string, VectorData>? vectors)
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

        WriteVectorStruct(w, "vector", vector, vectors);
    }

    private static void WriteVector(Utf8JsonWriter w, string name, float[] vector)
    {
        w.WriteStartArray(name);
        foreach (var x in vector)
        {
            w.WriteNumberValue(x);
        }

        w.WriteEndArray();
    }

    private static (float[]? Unnamed, Dictionary<string, VectorData>? Named) ReadOptionalVectors(JsonElement e) =>
        JsonFields.Get(e, "vector") is { } v ? ReadVectorStruct(v, "vector") : (null, null);

    private static JsonElement? ReadOptionalPayload(JsonElement e) =>
        JsonFields.Get(e, "payload") is { } p ? p.Clone() : null;

    private static void CheckCount(int count, int max, string field)
    {
        if (count > max)
        {
            throw new ValidationException(field, $"at most {max} points per request (got {count}); split the batch.");
        }
    }
}
