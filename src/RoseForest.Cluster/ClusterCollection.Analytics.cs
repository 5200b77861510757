using System.Text.Json;
using RoseForest.Cluster.Catalog;
using RoseForest.Cluster.Querying;
using RoseForest.Cluster.Routing;
using RoseForest.Core.Filters;
using RoseForest.Core.Payloads;

namespace RoseForest.Cluster;

/// <summary>Grouped queries, facets and the search matrix across shards, each merged exactly.</summary>
internal sealed partial class ClusterCollection
{
    /// <summary>The most a peer's REST API hands back in one answer (its default max_limit).</summary>
    private const int PeerMaxLimit = 10_000;

    /// <summary>
    /// Groups: every shard groups its own points (the engine's grouping), and the router merges.
    /// A group among the best <c>limit</c> overall is among the best <c>limit</c> of the shard
    /// that holds its best hit, so the merged order is exact; a shard that returned a full page
    /// without a chosen group may still hold some of that group's hits, and is asked again for
    /// four times more groups until it either returns the group, runs out, or provably holds
    /// none good enough. Grouped queries over prefetches or a random sample are refused.
    /// </summary>
    public async ValueTask<IReadOnlyList<PointGroup>> QueryGroupsAsync(QueryGroupsRequest request, CancellationToken cancellationToken = default)
    {
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

        PayloadPath.Parse(request.GroupBy, "group_by");
        var stage = QueryStage.Root(request.Query);
        if (stage.Prefetches.Count > 0)
        {
            throw new ClusterNotSupportedException("prefetch", "grouped queries over prefetches");
        }

        if (stage.Query is SampleQuery)
        {
            throw new ClusterNotSupportedException("query.sample", "grouped random samples");
        }

        if ((long)request.Limit * request.GroupSize > PeerMaxLimit)
        {
            throw new ClusterNotSupportedException("limit", $"grouped queries asking for more than {PeerMaxLimit} hits (limit × group_size)");
        }

        var entry = await EntryAsync(cancellationToken).ConfigureAwait(false);
        CheckSpaces(entry, stage);
        var (resolved, exclusion) = await ResolveInputsAsync(stage, cancellationToken).ConfigureAwait(false);
        var order = HitOrder.For(resolved, entry.Options);
        var shardQuery = resolved.ToShardRequest(QueryStage.And(exclusion, resolved.Filter), request.Query.Limit, resolved.Exact, request.Query.WithPayload, request.Query.WithVector);
        var shards = ShardRouting.Candidates(entry, ShardKey);
        var limits = shards.ToDictionary(s => s.Id, _ => request.Limit);
        var answers = new Dictionary<long, IReadOnlyList<PointGroup>>();
        var ask = shards;
        List<MergedGroup> chosen;
        while (true)
        {
            var got = await ReadShardsAsync(ask, (shard, c, t) => c.QueryGroupsAsync(Grouped(shardQuery, request, limits[shard.Id]), t).AsTask(), cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < ask.Count; i++)
            {
                answers[ask[i].Id] = got[i];
            }

            chosen = MergeGroups(shards, answers, order, request.Limit);
            ask = [.. shards.Where(s => MayHoldMore(answers[s.Id], limits[s.Id], chosen, order, request.GroupSize))];
            if (ask.Count == 0)
            {
                break;
            }

            foreach (var s in ask)
            {
                limits[s.Id] = (int)Math.Min(limits[s.Id] * 4L, PeerMaxLimit / request.GroupSize);
                if (answers[s.Id].Count >= limits[s.Id])
                {
                    throw new ClusterNotSupportedException("limit", $"a grouped query whose groups need more than {PeerMaxLimit} hits from one shard to merge exactly");
                }
            }
        }

        var groups = chosen.Select(g => new PointGroup(g.Id, [.. g.Hits.Order(order).DistinctBy(h => h.Id).Take(request.GroupSize)], null)).ToList();
        return request.WithLookup is { } lookup ? await LookupGroupsAsync(groups, lookup, cancellationToken).ConfigureAwait(false) : groups;
    }

    private static QueryGroupsRequest Grouped(QueryRequest query, QueryGroupsRequest request, int limit) =>
        new() { Query = query, GroupBy = request.GroupBy, GroupSize = request.GroupSize, Limit = limit };

    private sealed record MergedGroup(JsonElement Id, List<ScoredPoint> Hits, ScoredPoint Best, int Rank, HashSet<long> Shards);

    /// <summary>The best <paramref name="limit"/> groups by their best hit (equal best hits, as on one shard, by that shard's order).</summary>
    private static List<MergedGroup> MergeGroups(IReadOnlyList<ShardInfo> shards, Dictionary<long, IReadOnlyList<PointGroup>> answers, HitOrder order, int limit)
    {
        var byKey = new Dictionary<string, MergedGroup>(StringComparer.Ordinal);
        foreach (var shard in shards)
        {
            var list = answers[shard.Id];
            for (var rank = 0; rank < list.Count; rank++)
            {
                var g = list[rank];
                if (g.Hits.Count == 0)
                {
                    continue;
                }

                var key = GroupKey(g.Id);
                if (!byKey.TryGetValue(key, out var merged))
                {
                    byKey[key] = merged = new MergedGroup(g.Id, [], g.Hits[0], rank, []);
                }
                else if (order.Compare(g.Hits[0], merged.Best) < 0)
                {
                    byKey[key] = merged = merged with { Best = g.Hits[0], Rank = rank };
                }

                merged.Hits.AddRange(g.Hits);
                merged.Shards.Add(shard.Id);
            }
        }

        return [.. byKey.Values.OrderBy(g => g.Best, order).ThenBy(g => g.Rank).Take(limit)];
    }

    /// <summary>
    /// True when the shard returned a full page (it may have more groups) and some chosen group it
    /// did not return could still take one of its hits: the group has fewer than group_size hits,
    /// or its last one is worse than the best hit of the shard's last returned group (every hit of
    /// an unreturned group on that shard is worse than that).
    /// </summary>
    private static bool MayHoldMore(IReadOnlyList<PointGroup> answer, int limit, List<MergedGroup> chosen, HitOrder order, int groupSize)
    {
        if (answer.Count < limit)
        {
            return false;
        }

        var bar = answer[^1].Hits.Count > 0 ? answer[^1].Hits[0] : null;
        var returned = answer.Select(g => GroupKey(g.Id)).ToHashSet(StringComparer.Ordinal);
        foreach (var g in chosen)
        {
            if (returned.Contains(GroupKey(g.Id)))
            {
                continue;
            }

            var hits = g.Hits.Order(order).DistinctBy(h => h.Id).ToList();
            if (hits.Count < groupSize || bar is null || order.Compare(hits[groupSize - 1], bar) > 0)
            {
                return true;
            }
        }

        return false;
    }

    private static string GroupKey(JsonElement id) => id.ValueKind switch
    {
        JsonValueKind.String => "s" + id.GetString(),
        JsonValueKind.Number when id.TryGetInt64(out var n) => "n" + n.ToString(System.Globalization.CultureInfo.InvariantCulture),
        JsonValueKind.Number when id.TryGetUInt64(out var u) => "n" + u.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "r" + id.GetRawText(),
    };

    /// <summary>For each group, the point whose id is the group's value (a UUID string or a non-negative integer), read from the lookup collection of the cluster.</summary>
    private async Task<List<PointGroup>> LookupGroupsAsync(List<PointGroup> groups, WithLookup lookup, CancellationToken cancellationToken)
    {
        var source = lookup.Collection == name ? this : node.Database.GetCollection(lookup.Collection);
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

    /// <summary>
    /// Facets: every shard counts all its values (up to <see cref="PeerMaxLimit"/> distinct ones;
    /// more is refused, since the counts would no longer be exact), the counts are summed and
    /// ordered as the engine orders them.
    /// </summary>
    public async ValueTask<IReadOnlyList<FacetHit>> FacetAsync(FacetRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        PayloadPath.Parse(request.Key, "key");
        if (request.Limit < 1)
        {
            throw new ValidationException("limit", $"must be at least 1, got {request.Limit}.");
        }

        var shards = await ShardsAsync(cancellationToken).ConfigureAwait(false);
        var perShard = new FacetRequest { Key = request.Key, Filter = request.Filter, Exact = request.Exact, Limit = PeerMaxLimit };
        var lists = await ReadShardsAsync(shards, (_, c, t) => c.FacetAsync(perShard, t).AsTask(), cancellationToken).ConfigureAwait(false);
        if (lists.Any(l => l.Count >= PeerMaxLimit))
        {
            throw new ClusterNotSupportedException("key", $"a facet over more than {PeerMaxLimit - 1} distinct values in one shard");
        }

        var counts = new Dictionary<FilterValue, long>();
        foreach (var hit in lists.SelectMany(l => l))
        {
            counts[hit.Value] = counts.GetValueOrDefault(hit.Value) + hit.Count;
        }

        return [.. counts.Select(kv => new FacetHit(kv.Key, kv.Value)).Order(FacetOrder).Take(request.Limit)];
    }

    /// <summary>The engine's facet order: more points first; equal counts by value (strings ordinal, then integers, then false before true).</summary>
    internal static readonly Comparer<FacetHit> FacetOrder = Comparer<FacetHit>.Create((a, b) =>
    {
        var c = b.Count.CompareTo(a.Count);
        if (c != 0)
        {
            return c;
        }

        c = a.Value.Kind.CompareTo(b.Value.Kind);
        if (c != 0)
        {
            return c;
        }

        return a.Value.Kind switch
        {
            FilterValueKind.Keyword => string.CompareOrdinal(a.Value.KeywordValue, b.Value.KeywordValue),
            FilterValueKind.Integer => a.Value.IntegerValue.CompareTo(b.Value.IntegerValue),
            _ => a.Value.BoolValue.CompareTo(b.Value.BoolValue),
        };
    });

    /// <summary>
    /// The search matrix: a uniform sample over all shards of the matching points that have the
    /// vector, then for each sampled point an exact nearest query restricted to the other sampled
    /// points (has_id), so every score is the one a nearest query gives.
    /// </summary>
    public async ValueTask<SearchMatrix> SearchMatrixAsync(SearchMatrixRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Sample < 2)
        {
            throw new ValidationException("sample", $"must be at least 2, got {request.Sample}.");
        }

        if (request.Limit < 1)
        {
            throw new ValidationException("limit", $"must be at least 1, got {request.Limit}.");
        }

        var vectorName = request.Using ?? string.Empty;
        var entry = await EntryAsync(cancellationToken).ConfigureAwait(false);
        var probe = new QueryStage { Query = new NearestQuery(new float[1]), Using = vectorName, Field = string.Empty };
        CheckSpaces(entry, probe);
        if (!entry.Options.DenseVectors.Any(v => v.Key == vectorName) && !entry.Options.SparseVectors.ContainsKey(vectorName))
        {
            throw new ValidationException("using", vectorName.Length == 0 ? "this collection has no unnamed vector; say which vector to search (using)." : $"Not existing vector name error: {vectorName}");
        }

        var shards = ShardRouting.Candidates(entry, ShardKey);
        var filter = QueryStage.And(request.Filter is { IsEmpty: false } f ? f : null, new Filter(must: [Condition.HasVector(vectorName)]));
        var sampleStage = new QueryStage { Query = SampleQuery.Random, Limit = request.Sample };
        var sample = await SampleAsync(shards, sampleStage, filter, PayloadSelector.None, VectorSelector.Only(vectorName), cancellationToken).ConfigureAwait(false);
        if (sample.Count < 2)
        {
            return new SearchMatrix([], []);
        }

        sample.Sort((a, b) => a.Id.CompareTo(b.Id));
        var rows = new List<ScoredPoint>[sample.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, sample.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, t) =>
        {
            var a = sample[i];
            VectorData stored = vectorName.Length == 0 && a.Vector is { } unnamed ? new DenseVector(unnamed) : a.Vectors![vectorName];
            var others = new Filter(must: [Condition.HasId([.. sample.Where(b => b.Id != a.Id).Select(b => b.Id)])]);
            var stage = new QueryStage { Query = new NearestQuery(VectorInput.Of(stored)), Using = vectorName, Limit = request.Limit };
            rows[i] = await LeafAsync(entry, shards, stage, others, exact: true, PayloadSelector.None, VectorSelector.None, t).ConfigureAwait(false);
        }).ConfigureAwait(false);
        var pairs = new List<SearchMatrixPair>();
        for (var i = 0; i < sample.Count; i++)
        {
            pairs.AddRange(rows[i].Select(hit => new SearchMatrixPair(sample[i].Id, hit.Id, hit.Score)));
        }

        return new SearchMatrix([.. sample.Select(p => p.Id)], pairs);
    }
}
