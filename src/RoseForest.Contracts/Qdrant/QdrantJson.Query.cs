using System.Text.Json;

namespace RoseForest.Contracts.Qdrant;

public static partial class QdrantJson
{
    /// <summary>Prefetches nest at most this deep (Qdrant's limit).</summary>
    public const int MaxPrefetchDepth = 64;

    private static readonly string[] QueryFields =
    [
        "query", "using", "prefetch", "filter", "params", "score_threshold", "limit", "offset", "with_payload", "with_vector", "with_vectors", "lookup_from", "shard_key", "adapter",
    ];

    private static readonly string[] PrefetchFields =
    [
        "query", "using", "prefetch", "filter", "params", "score_threshold", "limit", "lookup_from",
    ];

    /// <summary>
    /// One query of POST …/points/query: <c>query</c> in any of Qdrant's forms (a vector, a point
    /// id, nearest, recommend, discover, context, order_by, fusion, rrf, formula, sample),
    /// prefetches, lookup_from; none lists points in id order. <paramref name="field"/> prefixes
    /// error paths (e.g. <c>searches[2]</c> in a batch).
    /// </summary>
    public static QueryRequest ReadQuery(JsonElement body, string field, Limits limits)
    {
        JsonFields.Object(body, field, QueryFields);
        var limit = JsonFields.Int(body, "limit", field, 1, limits.MaxLimit) ?? 10;
        var offset = JsonFields.Int(body, "offset", field, 0, limits.MaxLimit) ?? 0;
        if (limit + offset > limits.MaxLimit)
        {
            throw new ValidationException(JsonFields.Join(field, "offset"), $"limit + offset may be at most {limits.MaxLimit}.");
        }

        return ReadQueryParts(body, field, limits, limit, offset);
    }

    /// <summary>Everything of a query body but the check of its field names, limit and offset.</summary>
    private static QueryRequest ReadQueryParts(JsonElement body, string field, Limits limits, int limit, int offset)
    {
        RefuseShardKey(body, field);
        var (ef, exact, quantization) = ReadSearchParams(JsonFields.Get(body, "params"), JsonFields.Join(field, "params"));
        var (useAdapter, adapterTenant) = ReadAdapterSwitch(body, field);
        return new QueryRequest
        {
            UseAdapter = useAdapter,
            AdapterTenant = adapterTenant,
            Query = JsonFields.Get(body, "query") is { } q ? ReadQueryInterface(q, JsonFields.Join(field, "query")) : null,
            Prefetch = ReadPrefetches(body, field, limits, 1),
            Using = JsonFields.String(body, "using", field),
            LookupFrom = ReadLookupFrom(body, field),
            Limit = limit,
            Offset = offset,
            Filter = ReadFilterProperty(body, field),
            ScoreThreshold = JsonFields.Double(body, "score_threshold", field),
            WithPayload = ReadWithPayload(body, field, PayloadSelector.None),
            WithVector = ReadWithVectorOrVectors(body, field),
            HnswEf = ef,
            Exact = exact,
            Quantization = quantization,
        };
    }

    /// <summary><c>prefetch</c>: one prefetch object or an array of them.</summary>
    private static List<Prefetch> ReadPrefetches(JsonElement body, string field, Limits limits, int depth)
    {
        if (JsonFields.Get(body, "prefetch") is not { } p)
        {
            return [];
        }

        var path = JsonFields.Join(field, "prefetch");
        if (depth > MaxPrefetchDepth)
        {
            throw new ValidationException(path, $"prefetches nest at most {MaxPrefetchDepth} deep.");
        }

        if (p.ValueKind == JsonValueKind.Object)
        {
            return [ReadPrefetch(p, path, limits, depth)];
        }

        if (p.ValueKind != JsonValueKind.Array)
        {
            throw new ValidationException(path, $"expected a prefetch object or an array of them, got {JsonFields.Kind(p)}.");
        }

        var list = new List<Prefetch>();
        var i = 0;
        foreach (var item in p.EnumerateArray())
        {
            list.Add(ReadPrefetch(item, $"{path}[{i++}]", limits, depth));
        }

        return list;
    }

    private static Prefetch ReadPrefetch(JsonElement p, string field, Limits limits, int depth)
    {
        JsonFields.Object(p, field, PrefetchFields);
        var (ef, exact, quantization) = ReadSearchParams(JsonFields.Get(p, "params"), JsonFields.Join(field, "params"));
        return new Prefetch
        {
            Query = JsonFields.Get(p, "query") is { } q ? ReadQueryInterface(q, JsonFields.Join(field, "query")) : null,
            Prefetches = ReadPrefetches(p, field, limits, depth + 1),
            Using = JsonFields.String(p, "using", field),
            Filter = ReadFilterProperty(p, field),
            ScoreThreshold = JsonFields.Double(p, "score_threshold", field),
            Limit = JsonFields.Int(p, "limit", field, 1, limits.MaxLimit) ?? 10,
            HnswEf = ef,
            Exact = exact,
            Quantization = quantization,
            LookupFrom = ReadLookupFrom(p, field),
        };
    }

    /// <summary><c>lookup_from</c>: <c>{"collection", "vector"?}</c>.</summary>
    private static LookupLocation? ReadLookupFrom(JsonElement obj, string field)
    {
        if (JsonFields.Get(obj, "lookup_from") is not { } l)
        {
            return null;
        }

        var path = JsonFields.Join(field, "lookup_from");
        JsonFields.Object(l, path, "collection", "vector", "shard_key");
        RefuseShardKey(l, path);
        var collection = JsonFields.String(l, "collection", path) ?? throw new ValidationException($"{path}.collection", "is required.");
        return new LookupLocation(collection, JsonFields.String(l, "vector", path));
    }

    /// <summary><c>with_vector</c>, or its alias <c>with_vectors</c> (not both).</summary>
    private static VectorSelector ReadWithVectorOrVectors(JsonElement body, string field)
    {
        if (JsonFields.Get(body, "with_vectors") is not { } alias)
        {
            return ReadWithVector(body, field, false);
        }

        if (JsonFields.Get(body, "with_vector") is not null)
        {
            throw new ValidationException(JsonFields.Join(field, "with_vectors"), "give with_vector or with_vectors, not both.");
        }

        return ReadVectorSelector(alias, JsonFields.Join(field, "with_vectors"));
    }

    /// <summary>Refuses <c>shard_key</c> inside <paramref name="field"/>.</summary>
    private static void RefuseShardKey(JsonElement obj, string field)
    {
        if (JsonFields.Get(obj, "shard_key") is not null)
        {
            throw new ValidationException(JsonFields.Join(field, "shard_key"), "sharding is not supported by RoseForest.");
        }
    }

    /// <summary>POST …/points/query/batch: <c>{"searches": [query, …]}</c>.</summary>
    public static List<QueryRequest> ReadQueryBatch(JsonElement body, Limits limits) =>
        ReadBatch(body, limits, (search, field) => ReadQuery(search, field, limits));

    /// <summary>A batch body <c>{"searches": [...]}</c>, each read by <paramref name="read"/>.</summary>
    private static List<T> ReadBatch<T>(JsonElement body, Limits limits, Func<JsonElement, string, T> read)
    {
        JsonFields.Object(body, string.Empty, "searches");
        var searches = JsonFields.Get(body, "searches") ?? throw new ValidationException("searches", "is required.");
        if (searches.ValueKind != JsonValueKind.Array)
        {
            throw new ValidationException("searches", "expected an array of queries.");
        }

        if (searches.GetArrayLength() > limits.MaxLimit)
        {
            throw new ValidationException("searches", $"at most {limits.MaxLimit} queries per batch.");
        }

        var list = new List<T>();
        var i = 0;
        foreach (var search in searches.EnumerateArray())
        {
            list.Add(read(search, $"searches[{i++}]"));
        }

        return list;
    }

    /// <summary>Writes one query's body.</summary>
    public static void WriteQuery(Utf8JsonWriter w, QueryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        w.WriteStartObject();
        WriteQueryFields(w, request);
        if (request.UseAdapter is not null || request.AdapterTenant is not null)
        {
            w.WriteStartObject("adapter");
            if (request.UseAdapter is { } use)
            {
                w.WriteBoolean("use", use);
            }

            if (request.AdapterTenant is { } tenant)
            {
                w.WriteString("tenant", tenant);
            }

            w.WriteEndObject();
        }

        w.WriteNumber("limit", request.Limit);
        if (request.Offset != 0)
        {
            w.WriteNumber("offset", request.Offset);
        }

        w.WriteEndObject();
    }

    /// <summary>The fields a query and a grouped query share.</summary>
    private static void WriteQueryFields(Utf8JsonWriter w, QueryRequest request)
    {
        if (EffectiveQuery(request) is { } query)
        {
            w.WritePropertyName("query");
            WriteQueryInterface(w, query);
        }

        WritePrefetches(w, request.Prefetch);
        if (request.Using is { Length: > 0 } usingName)
        {
            w.WriteString("using", usingName);
        }

        WriteLookupFrom(w, request.LookupFrom);
        WriteFilterProperty(w, request.Filter);
        if (request.ScoreThreshold is { } threshold)
        {
            w.WriteNumber("score_threshold", threshold);
        }

        WriteWithPayload(w, request.WithPayload);
        WriteWithVector(w, request.WithVector);
        WriteSearchParams(w, request.Exact, request.HnswEf, request.Quantization);
    }

    /// <summary>The request's query: <see cref="QueryRequest.Query"/>, or the nearest query its shorthands describe.</summary>
    private static Query? EffectiveQuery(QueryRequest request)
    {
        if (request.Query is { } query)
        {
            return query;
        }

        VectorInput? input = request.Vector is { } v ? v
            : request.Sparse is { } s ? s
            : request.Multi is { } m ? new MultiVector(m)
            : request.NearestTo is { } id ? id
            : null;
        return input is null ? null : new NearestQuery(input);
    }

    private static void WritePrefetches(Utf8JsonWriter w, IReadOnlyList<Prefetch> prefetches)
    {
        if (prefetches.Count == 0)
        {
            return;
        }

        w.WriteStartArray("prefetch");
        foreach (var p in prefetches)
        {
            w.WriteStartObject();
            if (p.Query is { } query)
            {
                w.WritePropertyName("query");
                WriteQueryInterface(w, query);
            }

            WritePrefetches(w, p.Prefetches);
            if (p.Using is { Length: > 0 } usingName)
            {
                w.WriteString("using", usingName);
            }

            WriteFilterProperty(w, p.Filter);
            if (p.ScoreThreshold is { } threshold)
            {
                w.WriteNumber("score_threshold", threshold);
            }

            w.WriteNumber("limit", p.Limit);
            WriteSearchParams(w, p.Exact, p.HnswEf, p.Quantization);
            WriteLookupFrom(w, p.LookupFrom);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteLookupFrom(Utf8JsonWriter w, LookupLocation? lookup)
    {
        if (lookup is null)
        {
            return;
        }

        w.WriteStartObject("lookup_from");
        w.WriteString("collection", lookup.Collection);
        if (lookup.Vector is { } vector)
        {
            w.WriteString("vector", vector);
        }

        w.WriteEndObject();
    }

    private static void WriteSearchParams(Utf8JsonWriter w, bool exact, int? hnswEf, QuantizationSearchParams? quantization)
    {
        if (!exact && hnswEf is null && quantization is null)
        {
            return;
        }

        w.WriteStartObject("params");
        if (hnswEf is { } ef)
        {
            w.WriteNumber("hnsw_ef", ef);
        }

        w.WriteBoolean("exact", exact);
        if (quantization is { } q)
        {
            w.WriteStartObject("quantization");
            w.WriteBoolean("ignore", q.Ignore);
            w.WriteBoolean("rescore", q.Rescore);
            w.WriteNumber("oversampling", q.Oversampling);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>Writes a query batch body.</summary>
    public static void WriteQueryBatch(Utf8JsonWriter w, IReadOnlyList<QueryRequest> requests)
    {
        w.WriteStartObject();
        w.WriteStartArray("searches");
        foreach (var r in requests)
        {
            WriteQuery(w, r);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Qdrant's QueryResponse: <c>{"points": [ScoredPoint…]}</c>.</summary>
    public static void WriteQueryResponse(Utf8JsonWriter w, IReadOnlyList<ScoredPoint> points, bool payloadRequested)
    {
        w.WriteStartObject();
        w.WritePropertyName("points");
        WriteScoredList(w, points, payloadRequested);
        w.WriteEndObject();
    }

    /// <summary>An array of ScoredPoint (the legacy search, recommend and discover responses).</summary>
    public static void WriteScoredList(Utf8JsonWriter w, IReadOnlyList<ScoredPoint> points, bool payloadRequested)
    {
        w.WriteStartArray();
        foreach (var p in points)
        {
            WriteScored(w, p, payloadRequested);
        }

        w.WriteEndArray();
    }

    /// <summary>Reads a QueryResponse.</summary>
    public static IReadOnlyList<ScoredPoint> ReadQueryResponse(JsonElement e) =>
        [.. e.GetProperty("points").EnumerateArray().Select(ReadScored)];

    /// <summary>Qdrant's ScoredPoint: id, version, score, payload (when asked), vector (when asked), order_value (order-by queries).</summary>
    public static void WriteScored(Utf8JsonWriter w, ScoredPoint p, bool payloadRequested)
    {
        w.WriteStartObject();
        w.WritePropertyName("id");
        p.Id.WriteTo(w);
        w.WriteNumber("version", p.Version);
        w.WriteNumber("score", p.Score);
        WritePayloadAndVector(w, p.Payload, payloadRequested, p.Vector, p.Vectors);
        WriteOrderValueProperty(w, p.OrderValue);

        w.WriteEndObject();
    }

    /// <summary>Writes <c>"order_value"</c> when the point was ordered by a payload value (records and scored points alike).</summary>
    private static void WriteOrderValueProperty(Utf8JsonWriter w, OrderValue? order)
    {
        if (order is { } o)
        {
            w.WritePropertyName("order_value");
            WriteOrderValue(w, o);
        }
    }

    private static OrderValue? ReadOrderValueProperty(JsonElement e) =>
        JsonFields.Get(e, "order_value") is { } o ? ReadOrderValue(o, "order_value") : null;

    /// <summary>Reads a ScoredPoint.</summary>
    public static ScoredPoint ReadScored(JsonElement e)
    {
        var (vector, named) = ReadOptionalVectors(e);
        return new(
            PointId.FromJson(e.GetProperty("id"), "id"),
            JsonFields.Get(e, "version") is { } v ? v.GetInt64() : 0,
            e.GetProperty("score").GetDouble(),
            vector,
            ReadOptionalPayload(e))
        {
            Vectors = named,
            OrderValue = ReadOrderValueProperty(e),
        };
    }

    private static (int? Ef, bool Exact, QuantizationSearchParams? Quantization) ReadSearchParams(JsonElement? parameters, string field)
    {
        if (parameters is not { } p)
        {
            return (null, false, null);
        }

        JsonFields.Object(p, field, "hnsw_ef", "exact", "quantization", "indexed_only", "acorn");
        QuantizationSearchParams? quantization = null;
        if (JsonFields.Get(p, "quantization") is { } q)
        {
            JsonFields.Object(q, $"{field}.quantization", "ignore", "rescore", "oversampling");
            var oversampling = JsonFields.Double(q, "oversampling", $"{field}.quantization");
            if (oversampling is < 1)
            {
                throw new ValidationException($"{field}.quantization.oversampling", "must be at least 1.");
            }

            quantization = new QuantizationSearchParams
            {
                Ignore = JsonFields.Bool(q, "ignore", $"{field}.quantization") ?? false,
                Rescore = JsonFields.Bool(q, "rescore", $"{field}.quantization") ?? true,
                Oversampling = oversampling ?? new QuantizationSearchParams().Oversampling,
            };
        }

        return (JsonFields.Int(p, "hnsw_ef", field, 1, 65536), JsonFields.Bool(p, "exact", field) ?? false, quantization);
    }
}
