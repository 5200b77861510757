namespace RoseForest.Engine.Querying;

/// <summary>Qdrant's fusions of prefetch results (its <c>reciprocal_rank_fusion.rs</c> and <c>score_fusion.rs</c>).</summary>
internal static class Fusion
{
    /// <summary>Qdrant's default RRF k.</summary>
    public const int DefaultRrfK = 2;

    /// <summary>
    /// Reciprocal rank fusion: a point at 0-based position p of a source scores
    /// 1 / ((p + 1) / w + k − 1), 1 / (p + k) with the default weight 1; a weight ≤ 0 adds nothing.
    /// The sums are returned best first.
    /// </summary>
    public static Dictionary<int, double> Rrf(IReadOnlyList<List<Hit>> sources, int k, IReadOnlyList<double>? weights)
    {
        var scores = new Dictionary<int, double>();
        for (var s = 0; s < sources.Count; s++)
        {
            var weight = weights?[s] ?? 1.0;
            var source = sources[s];
            for (var position = 0; position < source.Count; position++)
            {
                var score = weight <= 0 ? 0 : 1.0 / (((position + 1) / weight) + k - 1);
                scores[source[position].Slot] = scores.GetValueOrDefault(source[position].Slot) + score;
            }
        }

        return scores;
    }

    /// <summary>
    /// Distribution-based score fusion: each source's scores are mapped by (s − (μ − 3σ)) / 6σ
    /// (σ the sample standard deviation; a single point scores 0.5, as do all when σ is 0), then
    /// summed per point. Scores are taken as they are: for a distance, a farther point normalises higher, as in Qdrant.
    /// </summary>
    public static Dictionary<int, double> Dbsf(IReadOnlyList<List<Hit>> sources)
    {
        var scores = new Dictionary<int, double>();
        foreach (var source in sources)
        {
            foreach (var (slot, normalized) in Normalize(source))
            {
                scores[slot] = scores.GetValueOrDefault(slot) + normalized;
            }
        }

        return scores;
    }

    private static IEnumerable<(int Slot, double Score)> Normalize(List<Hit> source)
    {
        if (source.Count < 2)
        {
            return source.Select(h => (h.Slot, 0.5));
        }

        // Welford's mean and sample variance.
        double mean = 0, aggregate = 0;
        for (var i = 0; i < source.Count; i++)
        {
            var delta = source[i].Score - mean;
            mean += delta / (i + 1);
            aggregate += delta * (source[i].Score - mean);
        }

        var deviation = Math.Sqrt(aggregate / (source.Count - 1));
        var min = mean - (3 * deviation);
        var max = mean + (3 * deviation);
        return min == max ? source.Select(h => (h.Slot, 0.5)) : source.Select(h => (h.Slot, (h.Score - min) / (max - min)));
    }
}
