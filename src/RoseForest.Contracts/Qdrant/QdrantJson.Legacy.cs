using System.Text.Json;

namespace RoseForest.Contracts.Qdrant;

/// <summary>
/// The routes Qdrant kept beside the universal query (search, recommend, discover and their batch
/// and group forms), read into the same <see cref="QueryRequest"/>: the engine answers them all
/// with one implementation. Their responses are plain arrays of ScoredPoint (or GroupsResult).
/// </summary>
public static partial class QdrantJson
{
    private static readonly string[] SearchFields =
    [
        "vector", "filter", "params", "limit", "top", "offset", "with_payload", "with_vector", "with_vectors", "score_threshold", "shard_key",
    ];

    private static readonly string[] SearchGroupsFields =
    [
        "vector", "filter", "params", "with_payload", "with_vector", "with_vectors", "score_threshold", "shard_key", "group_by", "group_size", "limit", "with_lookup",
    ];

    private static readonly string[] RecommendFields =
    [
        "positive", "negative", "strategy", "filter", "params", "limit", "top", "offset", "with_payload", "with_vector", "with_vectors", "score_threshold", "using", "lookup_from", "shard_key",
    ];

    private static readonly string[] RecommendGroupsFields =
    [
        "positive", "negative", "strategy", "filter", "params", "with_payload", "with_vector", "with_vectors", "score_threshold", "using", "lookup_from", "shard_key",
        "group_by", "group_size", "limit", "with_lookup",
    ];

    private static readonly string[] DiscoverFields =
    [
        "target", "context", "filter", "params", "limit", "top", "offset", "with_payload", "with_vector", "with_vectors", "using", "lookup_from", "shard_key",
    ];

    /// <summary>POST …/points/search: <c>vector</c> as an array, <c>{"name", "vector"}</c> (dense) or <c>{"name", "vector": {indices, values}}</c> (sparse); <c>limit</c> (or <c>top</c>) is required.</summary>
    public static QueryRequest ReadSearch(JsonElement body, string field, Limits limits)
    {
        JsonFields.Object(body, field, SearchFields);
        var (limit, offset) = ReadLegacyLimit(body, field, limits);
        return ReadLegacySearchParts(body, field, limit, offset);
    }

    /// <summary>POST …/points/search/batch.</summary>
    public static List<QueryRequest> ReadSearchBatch(JsonElement body, Limits limits) =>
        ReadBatch(body, limits, (search, field) => ReadSearch(search, field, limits));

    /// <summary>POST …/points/search/groups (<c>group_size</c> and <c>limit</c> are required).</summary>
    public static QueryGroupsRequest ReadSearchGroups(JsonElement body, Limits limits)
    {
        JsonFields.Object(body, string.Empty, SearchGroupsFields);
        var (groupBy, groupSize, groupLimit, lookup) = ReadGroupFields(body, limits, null, null);
        return new QueryGroupsRequest { Query = ReadLegacySearchParts(body, string.Empty, 1, 0), GroupBy = groupBy, GroupSize = groupSize, Limit = groupLimit, WithLookup = lookup };
    }

    private static QueryRequest ReadLegacySearchParts(JsonElement body, string field, int limit, int offset)
    {
        RefuseShardKey(body, field);
        var path = JsonFields.Join(field, "vector");
        var vector = JsonFields.Get(body, "vector") ?? throw new ValidationException(path, "is required.");
        string? name = null;
        VectorData data;
        if (vector.ValueKind == JsonValueKind.Object)
        {
            JsonFields.Object(vector, path, "name", "vector");
            name = JsonFields.String(vector, "name", path) ?? throw new ValidationException($"{path}.name", "is required.");
            var inner = JsonFields.Get(vector, "vector") ?? throw new ValidationException($"{path}.vector", "is required.");
            data = inner.ValueKind == JsonValueKind.Object ? ReadSparse(inner, $"{path}.vector") : new DenseVector(JsonFields.Vector(inner, $"{path}.vector"));
        }
        else
        {
            data = new DenseVector(JsonFields.Vector(vector, path));
        }

        return LegacyRequest(body, field, new NearestQuery(VectorInput.Of(data)), name, limit, offset, withThreshold: true);
    }

    /// <summary>POST …/points/recommend: <c>positive</c>/<c>negative</c> as point ids or vectors, <c>strategy</c>, <c>using</c>, <c>lookup_from</c>.</summary>
    public static QueryRequest ReadRecommend(JsonElement body, string field, Limits limits)
    {
        JsonFields.Object(body, field, RecommendFields);
        var (limit, offset) = ReadLegacyLimit(body, field, limits);
        return LegacyRequest(body, field, ReadLegacyRecommend(body, field), JsonFields.String(body, "using", field), limit, offset, withThreshold: true);
    }

    /// <summary>POST …/points/recommend/batch.</summary>
    public static List<QueryRequest> ReadRecommendBatch(JsonElement body, Limits limits) =>
        ReadBatch(body, limits, (search, field) => ReadRecommend(search, field, limits));

    /// <summary>POST …/points/recommend/groups.</summary>
    public static QueryGroupsRequest ReadRecommendGroups(JsonElement body, Limits limits)
    {
        JsonFields.Object(body, string.Empty, RecommendGroupsFields);
        var (groupBy, groupSize, groupLimit, lookup) = ReadGroupFields(body, limits, null, null);
        var query = LegacyRequest(body, string.Empty, ReadLegacyRecommend(body, string.Empty), JsonFields.String(body, "using", string.Empty), 1, 0, withThreshold: true);
        return new QueryGroupsRequest { Query = query, GroupBy = groupBy, GroupSize = groupSize, Limit = groupLimit, WithLookup = lookup };
    }

    /// <summary>The legacy recommend's examples, checked as Qdrant checks them.</summary>
    private static RecommendQuery ReadLegacyRecommend(JsonElement body, string field)
    {
        var query = new RecommendQuery(ReadVectorInputs(body, "positive", field), ReadVectorInputs(body, "negative", field), ReadStrategy(body, field));
        if (query.Strategy == RecommendStrategy.AverageVector && query.Positive.Count == 0)
        {
            throw new ValidationException(JsonFields.Join(field, "positive"), "At least one positive vector ID required with this strategy");
        }

        if (query.Positive.Count == 0 && query.Negative.Count == 0)
        {
            throw new ValidationException(JsonFields.Join(field, "positive"), "At least one positive or negative vector ID required with this strategy");
        }

        return query;
    }

    /// <summary>POST …/points/discover: <c>target</c> and/or <c>context</c> pairs (only pairs: a context search).</summary>
    public static QueryRequest ReadDiscover(JsonElement body, string field, Limits limits)
    {
        JsonFields.Object(body, field, DiscoverFields);
        var (limit, offset) = ReadLegacyLimit(body, field, limits);
        var context = body.TryGetProperty("context", out var c) ? ReadContextPairs(c, JsonFields.Join(field, "context")) : [];
        Query query = JsonFields.Get(body, "target") is { } target
            ? new DiscoverQuery(ReadVectorInput(target, JsonFields.Join(field, "target")), context)
            : context.Count > 0 ? new ContextQuery(context) : throw new ValidationException(JsonFields.Join(field, "target"), "target and/or context_pairs must be specified");
        return LegacyRequest(body, field, query, JsonFields.String(body, "using", field), limit, offset, withThreshold: false);
    }

    /// <summary>POST …/points/discover/batch.</summary>
    public static List<QueryRequest> ReadDiscoverBatch(JsonElement body, Limits limits) =>
        ReadBatch(body, limits, (search, field) => ReadDiscover(search, field, limits));

    /// <summary><c>limit</c> (alias <c>top</c>, required) and <c>offset</c>.</summary>
    private static (int Limit, int Offset) ReadLegacyLimit(JsonElement body, string field, Limits limits)
    {
        if (JsonFields.Get(body, "limit") is not null && JsonFields.Get(body, "top") is not null)
        {
            throw new ValidationException(JsonFields.Join(field, "top"), "give limit or top, not both.");
        }

        var limit = JsonFields.Int(body, "limit", field, 1, limits.MaxLimit) ?? JsonFields.Int(body, "top", field, 1, limits.MaxLimit)
            ?? throw new ValidationException(JsonFields.Join(field, "limit"), "is required.");
        var offset = JsonFields.Int(body, "offset", field, 0, limits.MaxLimit) ?? 0;
        if (limit + offset > limits.MaxLimit)
        {
            throw new ValidationException(JsonFields.Join(field, "offset"), $"limit + offset may be at most {limits.MaxLimit}.");
        }

        return (limit, offset);
    }

    /// <summary>The parts every legacy request shares, around its query.</summary>
    private static QueryRequest LegacyRequest(JsonElement body, string field, Query query, string? usingName, int limit, int offset, bool withThreshold)
    {
        RefuseShardKey(body, field);
        var (ef, exact, quantization) = ReadSearchParams(JsonFields.Get(body, "params"), JsonFields.Join(field, "params"));
        return new QueryRequest
        {
            Query = query,
            Using = usingName,
            LookupFrom = ReadLookupFrom(body, field),
            Limit = limit,
            Offset = offset,
            Filter = ReadFilterProperty(body, field),
            ScoreThreshold = withThreshold ? JsonFields.Double(body, "score_threshold", field) : null,
            WithPayload = ReadWithPayload(body, field, PayloadSelector.None),
            WithVector = ReadWithVectorOrVectors(body, field),
            HnswEf = ef,
            Exact = exact,
            Quantization = quantization,
        };
    }
}
