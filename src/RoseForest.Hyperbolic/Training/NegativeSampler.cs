using RoseForest.Hyperbolic.Graphs;

namespace RoseForest.Hyperbolic.Training;

/// <summary>
/// Draws negatives for a source node u: nodes other than u that are not out-neighbours of u,
/// uniformly, or (during burn-in) with probability proportional to degree^0.75 as the reference
/// does. Rejection sampling with at most 10 tries per negative; if a node has so many
/// neighbours that tries run out, fewer negatives are used for that edge.
/// </summary>
internal sealed class NegativeSampler
{
    /// <summary>The exponent applied to node degree for burn-in sampling.</summary>
    public const double Dampening = 0.75;

    private readonly Digraph _graph;
    private readonly double[] _cumulative;

    public NegativeSampler(Digraph graph)
    {
        _graph = graph;
        var degree = new double[graph.NodeCount];
        for (var e = 0; e < graph.EdgeCount; e++)
        {
            degree[graph.EdgeSources[e]]++;
            degree[graph.EdgeTargets[e]]++;
        }

        _cumulative = new double[graph.NodeCount];
        double total = 0;
        for (var i = 0; i < degree.Length; i++)
        {
            total += Math.Pow(degree[i], Dampening);
            _cumulative[i] = total;
        }
    }

    /// <summary>Writes up to <paramref name="negatives"/>.Length negatives of <paramref name="u"/>; returns how many.</summary>
    public int Sample(int u, Span<int> negatives, Random random, bool byDegree)
    {
        var n = _graph.NodeCount;
        var found = 0;
        var tries = 10 * negatives.Length;
        for (var t = 0; t < tries && found < negatives.Length; t++)
        {
            var w = byDegree ? ByDegree(random) : random.Next(n);
            if (w != u && !_graph.HasEdge(u, w))
            {
                negatives[found++] = w;
            }
        }

        return found;
    }

    private int ByDegree(Random random)
    {
        var target = random.NextDouble() * _cumulative[^1];
        var i = Array.BinarySearch(_cumulative, target);
        return Math.Min(i < 0 ? ~i : i, _cumulative.Length - 1);
    }
}
