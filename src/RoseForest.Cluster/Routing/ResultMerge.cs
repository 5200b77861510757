namespace RoseForest.Cluster.Routing;

/// <summary>Merges the shards' answers into one, as one collection would have answered.</summary>
internal static class ResultMerge
{
    /// <summary>
    /// The best <paramref name="limit"/> hits after skipping <paramref name="offset"/>, from each
    /// shard's best <c>limit + offset</c>: by score (higher first for cosine and dot, lower
    /// first for distances), ties by point id as the engine breaks them.
    /// </summary>
    public static IReadOnlyList<ScoredPoint> TopK(IEnumerable<IReadOnlyList<ScoredPoint>> shards, int limit, int offset, bool higherIsBetter)
    {
        var all = shards.SelectMany(s => s);
        var ordered = higherIsBetter
            ? all.OrderByDescending(p => p.Score).ThenBy(p => p.Id)
            : all.OrderBy(p => p.Score).ThenBy(p => p.Id);
        return [.. ordered.Skip(offset).Take(limit)];
    }

    /// <summary>Points in id order (queries without a vector): skip, then take.</summary>
    public static IReadOnlyList<ScoredPoint> ById(IEnumerable<IReadOnlyList<ScoredPoint>> shards, int limit, int offset) =>
        [.. shards.SelectMany(s => s).OrderBy(p => p.Id).Skip(offset).Take(limit)];

    /// <summary>
    /// One scroll page from the shards' pages (each asked for <paramref name="limit"/> from the
    /// same offset): the first <paramref name="limit"/> ids overall; the next page starts at the
    /// next id any shard returned or reported.
    /// </summary>
    public static ScrollPage Scroll(IReadOnlyList<ScrollPage> pages, int limit)
    {
        var merged = pages.SelectMany(p => p.Points).OrderBy(r => r.Id).ToList();
        if (merged.Count > limit)
        {
            return new ScrollPage(merged[..limit], merged[limit].Id);
        }

        PointId? next = null;
        foreach (var page in pages)
        {
            if (page.NextOffset is { } n && (next is null || n.CompareTo(next.Value) < 0))
            {
                next = n;
            }
        }

        return new ScrollPage(merged, next);
    }

    /// <summary>Records in the order their ids were asked (missing ids left out).</summary>
    public static IReadOnlyList<Record> InOrder(IReadOnlyList<PointId> ids, IEnumerable<IReadOnlyList<Record>> shards)
    {
        var byId = new Dictionary<PointId, Record>();
        foreach (var r in shards.SelectMany(s => s))
        {
            byId[r.Id] = r;
        }

        var result = new List<Record>(ids.Count);
        foreach (var id in ids)
        {
            if (byId.TryGetValue(id, out var r))
            {
                result.Add(r);
            }
        }

        return result;
    }
}
