using System.Text.Json;

namespace RoseForest.Contracts.Qdrant;

public static partial class QdrantJson
{
    private static readonly string[] QueryFields =
    [
        "query", "using", "prefetch", "filter", "params", "score_threshold", "limit", "offset", "with_payload", "with_vector", "lookup_from", "shard_key",
    ];

    /// <summary>
    /// One query of POST …/points/query: <c>query</c> as a vector, a point id, or
    /// <c>{"nearest": …}</c>; none lists points in id order. <paramref name="field"/> prefixes
    /// error paths (e.g. <c>searches[2]</c> in a batch).
    /// </summary>
    public static QueryRequest ReadQuery(JsonElement body, string field, Limits limits)
    {
        JsonFields.Object(body, field, QueryFields);
        foreach (var unsupported in new[] { "prefetch", "lookup_from", "shard_key" })
        {
            if (JsonFields.Get(body, unsupported) is not null)
            {
                throw new ValidationException(JsonFields.Join(field, unsupported), "is not supported by RoseForest.");
            }
        }

        var usingName = JsonFields.String(body, "using", field);

        var limit = JsonFields.Int(body, "limit", field, 1, limits.MaxLimit) ?? 10;
        var offset = JsonFields.Int(body, "offset", field, 0, limits.MaxLimit) ?? 0;
        if (limit + offset > limits.MaxLimit)
        {
            throw new ValidationException(JsonFields.Join(field, "offset"), $"limit + offset may be at most {limits.MaxLimit}.");
        }

        var (ef, exact, quantization) = ReadSearchParams(JsonFields.Get(body, "params"), JsonFields.Join(field, "params"));
        float[]? vector = null;
        SparseVector? sparse = null;
        float[][]? multi = null;
        PointId? nearestTo = null;
        if (JsonFields.Get(body, "query") is { } query)
        {
            var queryField = JsonFields.Join(field, "query");
            if (query.ValueKind == JsonValueKind.Object)
            {
                JsonFields.Object(query, queryField, "nearest");
                query = JsonFields.Get(query, "nearest") ?? throw new ValidationException(queryField, "only {\"nearest\": …} queries are supported by RoseForest.");
                queryField += ".nearest";
            }

            if (query.ValueKind is JsonValueKind.Array or JsonValueKind.Object)
            {
                switch (ReadVectorData(query, queryField))
                {
                    case DenseVector d:
                        vector = d.Values;
                        break;
                    case SparseVector sv:
                        sparse = sv;
                        break;
                    case MultiVector m:
                        multi = m.Vectors;
                        break;
                }
            }
            else
            {
                nearestTo = PointId.FromJson(query, queryField);
            }
        }

        return new QueryRequest
        {
            Vector = vector,
            Sparse = sparse,
            Multi = multi,
            Using = usingName,
            NearestTo = nearestTo,
            Limit = limit,
            Offset = offset,
            Filter = ReadFilterProperty(body, field),
            ScoreThreshold = JsonFields.Double(body, "score_threshold", field),
            WithPayload = ReadWithPayload(body, field, PayloadSelector.None),
            WithVector = ReadWithVector(body, field, false),
            HnswEf = ef,
            Exact = exact,
            Quantization = quantization,
        };
    }

    /// <summary>POST …/points/query/batch: <c>{"searches": [query, …]}</c>.</summary>
    public static List<QueryRequest> ReadQueryBatch(JsonElement body, Limits limits)
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

        var list = new List<QueryRequest>();
        var i = 0;
        foreach (var search in searches.EnumerateArray())
        {
            list.Add(ReadQuery(search, $"searches[{i++}]", limits));
        }

        return list;
    }

    /// <summary>Writes one query's body.</summary>
    public static void WriteQuery(Utf8JsonWriter w, QueryRequest request)
    {
        w.WriteStartObject();
        if (request.Vector is { } vector)
        {
            WriteVector(w, "query", vector);
        }
        else if (request.Sparse is { } sparse)
        {
            w.WritePropertyName("query");
            WriteVectorData(w, sparse);
        }
        else if (request.Multi is { } multi)
        {
            w.WritePropertyName("query");
            WriteVectorData(w, new MultiVector(multi));
        }
        else if (request.NearestTo is { } id)
        {
            w.WritePropertyName("query");
            id.WriteTo(w);
        }

        if (request.Using is { Length: > 0 } usingName)
        {
            w.WriteString("using", usingName);
        }

        w.WriteNumber("limit", request.Limit);
        if (request.Offset != 0)
        {
            w.WriteNumber("offset", request.Offset);
        }

        WriteFilterProperty(w, request.Filter);
        if (request.ScoreThreshold is { } threshold)
        {
            w.WriteNumber("score_threshold", threshold);
        }

        WriteWithPayload(w, request.WithPayload);
        WriteWithVector(w, request.WithVector);
        if (request.Exact || request.HnswEf is not null || request.Quantization is not null)
        {
            w.WriteStartObject("params");
            if (request.HnswEf is { } ef)
            {
                w.WriteNumber("hnsw_ef", ef);
            }

            w.WriteBoolean("exact", request.Exact);
            if (request.Quantization is { } q)
            {
                w.WriteStartObject("quantization");
                w.WriteBoolean("ignore", q.Ignore);
                w.WriteBoolean("rescore", q.Rescore);
                w.WriteNumber("oversampling", q.Oversampling);
                w.WriteEndObject();
            }

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
        w.WriteStartArray("points");
        foreach (var p in points)
        {
            WriteScored(w, p, payloadRequested);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Reads a QueryResponse.</summary>
    public static IReadOnlyList<ScoredPoint> ReadQueryResponse(JsonElement e) =>
        [.. e.GetProperty("points").EnumerateArray().Select(ReadScored)];

    /// <summary>Qdrant's ScoredPoint: id, version, score, payload (when asked), vector (when asked).</summary>
    public static void WriteScored(Utf8JsonWriter w, ScoredPoint p, bool payloadRequested)
    {
        w.WriteStartObject();
        w.WritePropertyName("id");
        p.Id.WriteTo(w);
        w.WriteNumber("version", p.Version);
        w.WriteNumber("score", p.Score);
        WritePayloadAndVector(w, p.Payload, payloadRequested, p.Vector, p.Vectors);
        w.WriteEndObject();
    }

    /// <summary>Reads a ScoredPoint.</summary>
    public static ScoredPoint ReadScored(JsonElement e)
    {
        var (vector, named) = ReadOptionalVectors(e);
        return new(
            PointId.FromJson(e.GetProperty("id"), "id"),
            JsonFields.Get(e, "version") is { } v ? v.GetInt64() : 0,
            e.GetProperty("score").GetDouble(),
            vector,
            ReadOptionalPayload(e)) { Vectors = named };
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
