namespace RoseForest.Cluster.Querying;

/// <summary>
/// Fusion of prefetch results at the router, over each prefetch's cluster-wide list (the same
/// lists one collection would fuse): reciprocal rank fusion, a point at 0-based position p of a
/// source adding 1 / ((p + 1) / w + k − 1) (a weight ≤ 0 adds nothing); and distribution-based
/// score fusion, each source's scores mapped by (s − (μ − 3σ)) / 6σ with σ the sample standard
/// deviation (a single point, or σ = 0, gives 0.5) and summed. The engine's definitions, which
/// follow Qdrant's.
/// </summary>
internal static class Fusion
{
    public const int DefaultRrfK = 2;

    public static Dictionary<PointId, double> Rrf(IReadOnlyList<IReadOnlyList<ScoredPoint>> sources, int k, IReadOnlyList<double>? weights)
    {
        var scores = new Dictionary<PointId, double>();
        for (var s = 0; s < sources.Count; s++)
        {
            var weight = weights?[s] ?? 1.0;
            for (var position = 0; position < sources[s].Count; position++)
            {
                var id = sources[s][position].Id;
                var score = weight <= 0 ? 0 : 1.0 / (((position + 1) / weight) + k - 1);
                scores[id] = scores.GetValueOrDefault(id) + score;
            }
        }

        return scores;
    }

    public static Dictionary<PointId, double> Dbsf(IReadOnlyList<IReadOnlyList<ScoredPoint>> sources)
    {
        var scores = new Dictionary<PointId, double>();
        foreach (var source in sources)
        {
            if (source.Count == 0)
            {
                continue;
            }

            double mean = 0, aggregate = 0;
            for (var i = 0; i < source.Count; i++)
            {
                var delta = source[i].Score - mean;
                mean += delta / (i + 1);
                aggregate += delta * (source[i].Score - mean);
            }

            var deviation = source.Count < 2 ? 0 : Math.Sqrt(aggregate / (source.Count - 1));
            var min = mean - (3 * deviation);
            var max = mean + (3 * deviation);
            foreach (var p in source)
            {
                var normalized = source.Count < 2 || min == max ? 0.5 : (p.Score - min) / (max - min);
                scores[p.Id] = scores.GetValueOrDefault(p.Id) + normalized;
            }
        }

        return scores;
    }
}
