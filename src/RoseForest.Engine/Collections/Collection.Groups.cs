using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Core.Payloads;
using RoseForest.Engine.Querying;

namespace RoseForest.Engine;

public sealed partial class Collection
{
    /// <summary>
    /// A grouped query (see <see cref="QueryGroupsRequest"/>): the query runs over points that have
    /// the group_by key, with prefetch limits multiplied by the group size as in Qdrant; its hits
    /// are walked best first into groups (a point joins every group of its values) until the first
    /// <see cref="QueryGroupsRequest.Limit"/> groups are full or the candidates run out, fetching
    /// four times more candidates each round. Exact where Qdrant's grouping is a bounded number of rounds.
    /// </summary>
    public async ValueTask<IReadOnlyList<PointGroup>> QueryGroupsAsync(QueryGroupsRequest request, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Query);
        if (request.GroupSize < 1)
        {
            throw new ValidationException("group_size", $"must be at least 1, got {request.GroupSize}.");
        }

        if (request.Limit < 1)
        {
            throw new ValidationException("limit", $"must be at least 1, got {request.Limit}.");
        }

        var groupBy = PayloadPath.Parse(request.GroupBy, "group_by");
        var candidates = (int)Math.Min((long)request.Limit * request.GroupSize, int.MaxValue);
        var spec = QuerySpec.Root(GroupCandidates(request, candidates), string.Empty);
        var vectors = await ResolveInputsAsync(spec, cancellationToken).ConfigureAwait(false);
        vectors.AdapterTenant = ChooseAdapter(request.Query);
        List<PointGroup> groups;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (ReadScope())
            {
                var hits = RunRoot(spec, vectors);
                var formed = FormGroups(hits, groupBy, request.GroupSize);
                var best = formed.Take(request.Limit).ToList();
                var done = hits.Count < candidates || (best.Count == request.Limit && best.All(g => g.Hits.Count == request.GroupSize)) || candidates >= _table.Count * 64L;
                if (done)
                {
                    groups = [.. best.Select(g => new PointGroup(g.Id, Materialize(g.Hits, request.Query.WithPayload, request.Query.WithVector), null))];
                    break;
                }
            }

            candidates = (int)Math.Min(candidates * 4L, int.MaxValue);
            spec = QuerySpec.Root(GroupCandidates(request, candidates), string.Empty);
        }

        return request.WithLookup is { } lookup ? await LookupGroupsAsync(groups, lookup, cancellationToken).ConfigureAwait(false) : groups;
    }

    /// <summary>The grouped query's candidate query: the key present, <paramref name="limit"/> hits, prefetch limits × group size.</summary>
    private static QueryRequest GroupCandidates(QueryGroupsRequest request, int limit)
    {
        var q = request.Query;
        var hasKey = new Filter(mustNot: [Condition.IsEmpty(request.GroupBy)]);
        return new QueryRequest
        {
            Query = q.Query,
            Vector = q.Vector,
            Sparse = q.Sparse,
            Multi = q.Multi,
            NearestTo = q.NearestTo,
            Prefetch = [.. q.Prefetch.Select(p => ScalePrefetch(p, request.GroupSize))],
            Using = q.Using,
            LookupFrom = q.LookupFrom,
            Filter = q.Filter is { IsEmpty: false } f ? new Filter(must: [Condition.Nested(f), Condition.Nested(hasKey)]) : hasKey,
            ScoreThreshold = q.ScoreThreshold,
            Limit = limit,
            Exact = q.Exact,
            HnswEf = q.HnswEf,
            Quantization = q.Quantization,
        };
    }

    private static Prefetch ScalePrefetch(Prefetch p, int groupSize) => new()
    {
        Query = p.Query,
        Prefetches = [.. p.Prefetches.Select(n => ScalePrefetch(n, groupSize))],
        Using = p.Using,
        Filter = p.Filter,
        ScoreThreshold = p.ScoreThreshold,
        Limit = (int)Math.Min((long)p.Limit * groupSize, int.MaxValue),
        Exact = p.Exact,
        HnswEf = p.HnswEf,
        Quantization = p.Quantization,
        LookupFrom = p.LookupFrom,
    };

    private sealed record FormedGroup(JsonElement Id, List<Hit> Hits);

    /// <summary>
    /// Groups hits in their order: each of a hit's distinct values (strings and integers; an array
    /// counts each element) names a group; a point with any other value joins none, as in Qdrant.
    /// Groups come in the order of their best hit.
    /// </summary>
    private List<FormedGroup> FormGroups(List<Hit> hits, PayloadPath groupBy, int groupSize)
    {
        var groups = new List<FormedGroup>();
        var byKey = new Dictionary<string, FormedGroup>(StringComparer.Ordinal);
        var values = new List<JsonElement>();
        foreach (var hit in hits)
        {
            PayloadValues.Collect(groupBy, _table.PayloadAt(hit.Slot), values);
            if (values.Count == 0 || !values.All(IsGroupValue))
            {
                continue;
            }

            foreach (var value in values.DistinctBy(v => v.GetRawText()))
            {
                var key = value.ValueKind == JsonValueKind.String ? "s" + value.GetString() : "n" + value.GetRawText();
                if (!byKey.TryGetValue(key, out var group))
                {
                    group = new FormedGroup(value.Clone(), []);
                    byKey[key] = group;
                    groups.Add(group);
                }

                if (group.Hits.Count < groupSize && !group.Hits.Exists(h => h.Slot == hit.Slot))
                {
                    group.Hits.Add(hit);
                }
            }
        }

        return groups;
    }

    private static bool IsGroupValue(JsonElement v) =>
        v.ValueKind == JsonValueKind.String || (v.ValueKind == JsonValueKind.Number && (v.TryGetInt64(out _) || v.TryGetUInt64(out _)));

    /// <summary>Reads, for each group, the point whose id is the group's value (a UUID string or a non-negative integer) from the lookup collection.</summary>
    private async Task<List<PointGroup>> LookupGroupsAsync(List<PointGroup> groups, WithLookup lookup, CancellationToken cancellationToken)
    {
        var source = ResolveCollection(lookup.Collection);
        var ids = new Dictionary<int, PointId>();
        for (var i = 0; i < groups.Count; i++)
        {
            var value = groups[i].Id;
            if (value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out var n))
            {
                ids[i] = PointId.FromNumber(n);
            }
            else if (value.ValueKind == JsonValueKind.String && Guid.TryParse(value.GetString(), out var uuid))
            {
                ids[i] = PointId.FromUuid(uuid);
            }
        }

        var records = (await source.GetAsync([.. ids.Values.Distinct()], lookup.WithPayload, lookup.WithVectors, cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.Id);
        return [.. groups.Select((g, i) => ids.TryGetValue(i, out var id) && records.TryGetValue(id, out var record) ? g with { Lookup = record } : g)];
    }
}
