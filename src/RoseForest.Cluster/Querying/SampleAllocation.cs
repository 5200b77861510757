namespace RoseForest.Cluster.Querying;

/// <summary>How many of a uniform random sample fall to each shard, given each shard's number of matching points.</summary>
internal static class SampleAllocation
{
    /// <summary>
    /// Draws min(<paramref name="size"/>, total) distinct positions uniformly among all matching
    /// points (Floyd's algorithm) and counts those falling in each shard's range.
    /// </summary>
    public static int[] Draw(IReadOnlyList<long> counts, int size, Random random)
    {
        var total = counts.Sum();
        var k = (int)Math.Min(size, total);
        var chosen = new HashSet<long>(k);
        for (var j = total - k; j < total; j++)
        {
            var t = random.NextInt64(j + 1);
            chosen.Add(chosen.Contains(t) ? j : t);
        }

        var result = new int[counts.Count];
        var starts = new long[counts.Count];
        for (var i = 1; i < counts.Count; i++)
        {
            starts[i] = starts[i - 1] + counts[i - 1];
        }

        foreach (var position in chosen)
        {
            var shard = Array.BinarySearch(starts, position);
            if (shard < 0)
            {
                shard = ~shard - 1;
            }

            // Shards with no points share a start with the next one: move to the one that holds it.
            while (shard + 1 < counts.Count && starts[shard + 1] == position)
            {
                shard++;
            }

            result[shard]++;
        }

        return result;
    }
}
