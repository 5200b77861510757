namespace RoseForest.Engine.SelfOrganizing;

/// <summary>
/// The regions of a collection for telemetry: <see cref="Cells"/> k-means cells (Lloyd's
/// algorithm, seeded, 8 rounds, over a stride sample of up to 4096 live vectors, squared L2 on
/// the stored coordinates whatever the geometry: it only has to partition the space). A node's
/// cell is computed once and cached by slot; a freed slot's entry is reset when it is reused.
/// </summary>
internal sealed class RegionMap
{
    public const int Cells = 32;

    private readonly float[][] _centroids;
    private int[] _cellOf = [];

    private RegionMap(float[][] centroids, int pointsAtBuild)
    {
        _centroids = centroids;
        PointsAtBuild = pointsAtBuild;
    }

    /// <summary>Live points when the cells were built (they are rebuilt when the collection doubles or halves).</summary>
    public int PointsAtBuild { get; }

    public int Count => _centroids.Length;

    /// <summary>Builds the cells from the vectors <paramref name="vector"/> gives for <paramref name="slots"/>; null with fewer than 2·<see cref="Cells"/> slots.</summary>
    public static RegionMap? Build(IReadOnlyList<int> slots, Func<int, float[]> vector, int livePoints)
    {
        if (slots.Count < 2 * Cells)
        {
            return null;
        }

        var stride = Math.Max(1, slots.Count / 4096);
        var sample = new List<float[]>();
        for (var i = 0; i < slots.Count; i += stride)
        {
            sample.Add(vector(slots[i]));
        }

        var random = new Random(19);
        var centroids = new float[Cells][];
        for (var c = 0; c < Cells; c++)
        {
            centroids[c] = (float[])sample[random.Next(sample.Count)].Clone();
        }

        var assignment = new int[sample.Count];
        var dim = sample[0].Length;
        for (var round = 0; round < 8; round++)
        {
            for (var i = 0; i < sample.Count; i++)
            {
                assignment[i] = Nearest(centroids, sample[i]);
            }

            var sums = new double[Cells][];
            var counts = new int[Cells];
            for (var c = 0; c < Cells; c++)
            {
                sums[c] = new double[dim];
            }

            for (var i = 0; i < sample.Count; i++)
            {
                var c = assignment[i];
                counts[c]++;
                for (var d = 0; d < dim; d++)
                {
                    sums[c][d] += sample[i][d];
                }
            }

            for (var c = 0; c < Cells; c++)
            {
                if (counts[c] == 0)
                {
                    centroids[c] = (float[])sample[random.Next(sample.Count)].Clone(); // an empty cell restarts elsewhere
                    continue;
                }

                for (var d = 0; d < dim; d++)
                {
                    centroids[c][d] = (float)(sums[c][d] / counts[c]);
                }
            }
        }

        return new RegionMap(centroids, livePoints);
    }

    /// <summary>The cell of a vector.</summary>
    public int CellOf(ReadOnlySpan<float> vector) => Nearest(_centroids, vector);

    /// <summary>The cell of a node, cached by slot (<paramref name="vector"/> reads it the first time).</summary>
    public int CellOfNode(int slot, Func<int, float[]> vector)
    {
        var cache = _cellOf;
        if (slot >= cache.Length)
        {
            var grown = new int[Math.Max(slot + 1, cache.Length * 2)];
            grown.AsSpan().Fill(-1);
            cache.CopyTo(grown, 0);
            _cellOf = cache = grown;
        }

        if (cache[slot] < 0)
        {
            cache[slot] = CellOf(vector(slot));
        }

        return cache[slot];
    }

    /// <summary>Forgets the cached cells of slots that were freed (their next vector may lie elsewhere).</summary>
    public void Forget(IEnumerable<int> slots)
    {
        var cache = _cellOf;
        foreach (var s in slots)
        {
            if ((uint)s < (uint)cache.Length)
            {
                cache[s] = -1;
            }
        }
    }

    private static int Nearest(float[][] centroids, ReadOnlySpan<float> v)
    {
        var best = 0;
        var bestDistance = float.PositiveInfinity;
        for (var c = 0; c < centroids.Length; c++)
        {
            var d = SquaredDistance(v, centroids[c]);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = c;
            }
        }

        return best;
    }

    private static float SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0f;
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            var d = a[i] - b[i];
            sum += d * d;
        }

        return sum;
    }
}
