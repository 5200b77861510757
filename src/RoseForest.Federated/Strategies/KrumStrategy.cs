using RoseForest.Federated.Model;

namespace RoseForest.Federated.Strategies;

/// <summary>
/// Krum and Multi-Krum (Blanchard et al. 2017) for at most f Byzantine clients. Krum returns the
/// update with the lowest score; Multi-Krum averages the m lowest-scoring updates weighted by
/// their sample counts (as Flower does; the paper's average is unweighted).
/// </summary>
internal sealed class KrumStrategy : StatelessStrategy
{
    private readonly int _byzantine;
    private readonly int _keep;

    public KrumStrategy(int byzantine, int keep)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byzantine);
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        _byzantine = byzantine;
        _keep = keep;
    }

    public override string Name => _keep > 0 ? "MultiKrum" : "Krum";

    protected override double[] Combine(double[][] vectors, IReadOnlyList<ClientUpdate> updates)
    {
        if (_keep > vectors.Length)
        {
            throw new InvalidOperationException($"Multi-Krum keeps {_keep} updates but the round has {vectors.Length}.");
        }

        var scores = KrumSelection.Scores(vectors, _byzantine);
        if (_keep == 0)
        {
            return (double[])vectors[KrumSelection.Best(scores, 1)[0]].Clone();
        }

        var chosen = KrumSelection.Best(scores, _keep);
        return UpdateMath.WeightedAverage([.. chosen.Select(i => vectors[i])], [.. chosen.Select(i => (double)updates[i].SampleCount)]);
    }
}
