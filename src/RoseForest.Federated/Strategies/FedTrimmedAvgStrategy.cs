using RoseForest.Federated.Model;

namespace RoseForest.Federated.Strategies;

/// <summary>
/// FedTrimmedAvg (Yin et al. 2018): per coordinate, drop the ⌊β·n⌋ smallest and the ⌊β·n⌋
/// largest values and average the rest, unweighted (scipy's <c>trim_mean</c>, as Flower uses).
/// </summary>
internal sealed class FedTrimmedAvgStrategy : StatelessStrategy
{
    private readonly double _beta;

    public FedTrimmedAvgStrategy(double beta)
    {
        if (beta is < 0 or >= 0.5)
        {
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "The trimmed fraction must be in [0, 0.5).");
        }

        _beta = beta;
    }

    public override string Name => "FedTrimmedAvg";

    protected override double[] Combine(double[][] vectors, IReadOnlyList<ClientUpdate> updates)
    {
        var n = vectors.Length;
        var cut = (int)(_beta * n);
        var result = new double[vectors[0].Length];
        var column = new double[n];
        for (var i = 0; i < result.Length; i++)
        {
            for (var c = 0; c < n; c++)
            {
                column[c] = vectors[c][i];
            }

            Array.Sort(column);
            var sum = 0.0;
            for (var k = cut; k < n - cut; k++)
            {
                sum += column[k];
            }

            result[i] = sum / (n - (2 * cut));
        }

        return result;
    }
}
