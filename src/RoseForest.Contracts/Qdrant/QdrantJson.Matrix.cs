using System.Text.Json;
using RoseForest.Core.Filters;

namespace RoseForest.Contracts.Qdrant;

public static partial class QdrantJson
{
    /// <summary>POST …/points/search/matrix/pairs and …/offsets: <c>filter</c>, <c>sample</c> (default 10, at least 2), <c>limit</c> (default 3), <c>using</c>.</summary>
    public static SearchMatrixRequest ReadSearchMatrix(JsonElement body, Limits limits)
    {
        JsonFields.Object(body, string.Empty, "filter", "sample", "limit", "using", "shard_key");
        RefuseShardKey(body, string.Empty);
        return new SearchMatrixRequest
        {
            Filter = ReadFilterProperty(body, string.Empty),
            Sample = JsonFields.Int(body, "sample", string.Empty, 2, limits.MaxLimit) ?? 10,
            Limit = JsonFields.Int(body, "limit", string.Empty, 1, limits.MaxLimit) ?? 3,
            Using = JsonFields.String(body, "using", string.Empty),
        };
    }

    /// <summary>Writes a search matrix body.</summary>
    public static void WriteSearchMatrix(Utf8JsonWriter w, SearchMatrixRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        w.WriteStartObject();
        WriteFilterProperty(w, request.Filter);
        w.WriteNumber("sample", request.Sample);
        w.WriteNumber("limit", request.Limit);
        if (request.Using is { Length: > 0 } usingName)
        {
            w.WriteString("using", usingName);
        }

        w.WriteEndObject();
    }

    /// <summary>Qdrant's SearchMatrixPairsResponse: <c>{"pairs": [{"a", "b", "score"}]}</c>.</summary>
    public static void WriteMatrixPairs(Utf8JsonWriter w, SearchMatrix matrix)
    {
        w.WriteStartObject();
        w.WriteStartArray("pairs");
        foreach (var p in matrix.Pairs)
        {
            w.WriteStartObject();
            w.WritePropertyName("a");
            p.A.WriteTo(w);
            w.WritePropertyName("b");
            p.B.WriteTo(w);
            w.WriteNumber("score", p.Score);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Qdrant's SearchMatrixOffsetsResponse: <c>{"offsets_row", "offsets_col", "scores", "ids"}</c>, the pairs as positions in <c>ids</c>.</summary>
    public static void WriteMatrixOffsets(Utf8JsonWriter w, SearchMatrix matrix)
    {
        var position = new Dictionary<PointId, int>();
        for (var i = 0; i < matrix.Ids.Count; i++)
        {
            position[matrix.Ids[i]] = i;
        }

        w.WriteStartObject();
        w.WriteStartArray("offsets_row");
        foreach (var p in matrix.Pairs)
        {
            w.WriteNumberValue(position[p.A]);
        }

        w.WriteEndArray();
        w.WriteStartArray("offsets_col");
        foreach (var p in matrix.Pairs)
        {
            w.WriteNumberValue(position[p.B]);
        }

        w.WriteEndArray();
        w.WriteStartArray("scores");
        foreach (var p in matrix.Pairs)
        {
            w.WriteNumberValue(p.Score);
        }

        w.WriteEndArray();
        w.WriteStartArray("ids");
        foreach (var id in matrix.Ids)
        {
            id.WriteTo(w);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Reads a SearchMatrixOffsetsResponse.</summary>
    public static SearchMatrix ReadMatrixOffsets(JsonElement e)
    {
        var ids = JsonFields.Ids(e.GetProperty("ids"), "ids");
        var rows = e.GetProperty("offsets_row").EnumerateArray().Select(x => x.GetInt32()).ToList();
        var cols = e.GetProperty("offsets_col").EnumerateArray().Select(x => x.GetInt32()).ToList();
        var scores = e.GetProperty("scores").EnumerateArray().Select(x => x.GetDouble()).ToList();
        return new SearchMatrix(ids, [.. rows.Select((row, i) => new SearchMatrixPair(ids[row], ids[cols[i]], scores[i]))]);
    }

    /// <summary>Reads a SearchMatrixPairsResponse (the ids are the distinct <c>a</c>s in order).</summary>
    public static SearchMatrix ReadMatrixPairs(JsonElement e)
    {
        var pairs = e.GetProperty("pairs").EnumerateArray()
            .Select(p => new SearchMatrixPair(PointId.FromJson(p.GetProperty("a"), "a"), PointId.FromJson(p.GetProperty("b"), "b"), p.GetProperty("score").GetDouble()))
            .ToList();
        return new SearchMatrix([.. pairs.Select(p => p.A).Distinct()], pairs);
    }

    /// <summary>POST …/facet: <c>key</c>, <c>limit</c> (default 10), <c>filter</c>, <c>exact</c>.</summary>
    public static FacetRequest ReadFacet(JsonElement body, Limits limits)
    {
        JsonFields.Object(body, string.Empty, "key", "limit", "filter", "exact", "shard_key");
        RefuseShardKey(body, string.Empty);
        return new FacetRequest
        {
            Key = JsonFields.String(body, "key", string.Empty) ?? throw new ValidationException("key", "is required."),
            Limit = JsonFields.Int(body, "limit", string.Empty, 1, limits.MaxLimit) ?? 10,
            Filter = ReadFilterProperty(body, string.Empty),
            Exact = JsonFields.Bool(body, "exact", string.Empty) ?? false,
        };
    }

    /// <summary>Writes a facet body.</summary>
    public static void WriteFacet(Utf8JsonWriter w, FacetRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        w.WriteStartObject();
        w.WriteString("key", request.Key);
        w.WriteNumber("limit", request.Limit);
        WriteFilterProperty(w, request.Filter);
        w.WriteBoolean("exact", request.Exact);
        w.WriteEndObject();
    }

    /// <summary>Qdrant's FacetResponse: <c>{"hits": [{"value", "count"}]}</c>.</summary>
    public static void WriteFacetResponse(Utf8JsonWriter w, IReadOnlyList<FacetHit> hits)
    {
        w.WriteStartObject();
        w.WriteStartArray("hits");
        foreach (var hit in hits)
        {
            w.WriteStartObject();
            w.WritePropertyName("value");
            switch (hit.Value.Kind)
            {
                case FilterValueKind.Keyword:
                    w.WriteStringValue(hit.Value.KeywordValue);
                    break;
                case FilterValueKind.Integer:
                    w.WriteNumberValue(hit.Value.IntegerValue);
                    break;
                default:
                    w.WriteBooleanValue(hit.Value.BoolValue);
                    break;
            }

            w.WriteNumber("count", hit.Count);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Reads a FacetResponse.</summary>
    public static IReadOnlyList<FacetHit> ReadFacetResponse(JsonElement e) =>
        [.. e.GetProperty("hits").EnumerateArray().Select(h =>
        {
            var v = h.GetProperty("value");
            FilterValue value = v.ValueKind switch
            {
                JsonValueKind.String => FilterValue.Keyword(v.GetString()!),
                JsonValueKind.Number => FilterValue.Integer(v.GetInt64()),
                _ => FilterValue.Bool(v.GetBoolean()),
            };
            return new FacetHit(value, h.GetProperty("count").GetInt64());
        })];
}
