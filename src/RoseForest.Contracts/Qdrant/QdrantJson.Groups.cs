using System.Text.Json;

namespace RoseForest.Contracts.Qdrant;

public static partial class QdrantJson
{
    private static readonly string[] QueryGroupsFields =
    [
        "query", "using", "prefetch", "filter", "params", "score_threshold", "with_payload", "with_vector", "with_vectors", "lookup_from", "shard_key",
        "group_by", "group_size", "limit", "with_lookup",
    ];

    /// <summary>POST …/points/query/groups: a query with <c>group_by</c>, <c>group_size</c> (default 3), <c>limit</c> (groups, default 10), <c>with_lookup</c>.</summary>
    public static QueryGroupsRequest ReadQueryGroups(JsonElement body, Limits limits)
    {
        JsonFields.Object(body, string.Empty, QueryGroupsFields);
        var (groupBy, groupSize, groupLimit, lookup) = ReadGroupFields(body, limits, 3, 10);
        return new QueryGroupsRequest { Query = ReadQueryParts(body, string.Empty, limits, 1, 0), GroupBy = groupBy, GroupSize = groupSize, Limit = groupLimit, WithLookup = lookup };
    }

    /// <summary><c>group_by</c>, <c>group_size</c>, <c>limit</c> (with defaults when given) and <c>with_lookup</c>.</summary>
    private static (string GroupBy, int GroupSize, int Limit, WithLookup? Lookup) ReadGroupFields(JsonElement body, Limits limits, int? defaultSize, int? defaultLimit)
    {
        var groupBy = JsonFields.String(body, "group_by", string.Empty) ?? throw new ValidationException("group_by", "is required.");
        if (groupBy.Length == 0)
        {
            throw new ValidationException("group_by", "must not be empty.");
        }

        var groupSize = JsonFields.Int(body, "group_size", string.Empty, 1, limits.MaxLimit) ?? defaultSize ?? throw new ValidationException("group_size", "is required.");
        var limit = JsonFields.Int(body, "limit", string.Empty, 1, limits.MaxLimit) ?? defaultLimit ?? throw new ValidationException("limit", "is required.");
        if ((long)groupSize * limit > limits.MaxLimit)
        {
            throw new ValidationException("group_size", $"group_size × limit may be at most {limits.MaxLimit}.");
        }

        return (groupBy, groupSize, limit, ReadWithLookup(body));
    }

    /// <summary><c>with_lookup</c>: a collection name, or <c>{collection, with_payload (default true), with_vectors (default false)}</c>.</summary>
    private static WithLookup? ReadWithLookup(JsonElement body)
    {
        if (JsonFields.Get(body, "with_lookup") is not { } l)
        {
            return null;
        }

        if (l.ValueKind == JsonValueKind.String)
        {
            return new WithLookup(l.GetString()!);
        }

        JsonFields.Object(l, "with_lookup", "collection", "with_payload", "with_vectors", "with_vector");
        return new WithLookup(JsonFields.String(l, "collection", "with_lookup") ?? throw new ValidationException("with_lookup.collection", "is required."))
        {
            WithPayload = ReadWithPayload(l, "with_lookup", PayloadSelector.All),
            WithVectors = ReadWithVectorOrVectors(l, "with_lookup"),
        };
    }

    /// <summary>Writes a query groups body.</summary>
    public static void WriteQueryGroups(Utf8JsonWriter w, QueryGroupsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        w.WriteStartObject();
        WriteQueryFields(w, request.Query);
        w.WriteString("group_by", request.GroupBy);
        w.WriteNumber("group_size", request.GroupSize);
        w.WriteNumber("limit", request.Limit);
        if (request.WithLookup is { } lookup)
        {
            w.WriteStartObject("with_lookup");
            w.WriteString("collection", lookup.Collection);
            WriteWithPayload(w, lookup.WithPayload);
            w.WritePropertyName("with_vectors");
            WriteVectorSelectorValue(w, lookup.WithVectors);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>Qdrant's GroupsResult: <c>{"groups": [{"hits": [...], "id", "lookup"?}]}</c>.</summary>
    public static void WriteGroupsResponse(Utf8JsonWriter w, IReadOnlyList<PointGroup> groups, bool payloadRequested, bool lookupPayloadRequested)
    {
        w.WriteStartObject();
        w.WriteStartArray("groups");
        foreach (var g in groups)
        {
            w.WriteStartObject();
            w.WritePropertyName("hits");
            WriteScoredList(w, g.Hits, payloadRequested);
            w.WritePropertyName("id");
            g.Id.WriteTo(w);
            if (g.Lookup is { } lookup)
            {
                w.WritePropertyName("lookup");
                WriteRecord(w, lookup, lookupPayloadRequested);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Reads a GroupsResult.</summary>
    public static IReadOnlyList<PointGroup> ReadGroupsResponse(JsonElement e) =>
        [.. e.GetProperty("groups").EnumerateArray().Select(g => new PointGroup(
            g.GetProperty("id").Clone(),
            [.. g.GetProperty("hits").EnumerateArray().Select(ReadScored)],
            JsonFields.Get(g, "lookup") is { } l ? ReadRecord(l) : null))];
}
