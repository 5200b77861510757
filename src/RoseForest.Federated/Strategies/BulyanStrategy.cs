using RoseForest.Federated.Model;

namespace RoseForest.Federated.Strategies;

/// <summary>
/// Bulyan (El Mhamdi et al. 2018) for at most f Byzantine clients, n ≥ 4f + 3: select θ = n − 2f
/// updates by applying Krum repeatedly, each time removing the chosen one from the candidates
/// (as the paper and Flower do); then per coordinate average the β = θ − 2f selected values
/// closest to the selected values' median.
/// </summary>
internal sealed class BulyanStrategy : StatelessStrategy
{
    private readonly int _byzantine;

    public BulyanStrategy(int byzantine)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byzantine);
        _byzantine = byzantine;
    }

    public override string Name => "Bulyan";

    protected override double[] Combine(double[][] vectors, IReadOnlyList<ClientUpdate> updates)
    {
        var n = vectors.Length;
        if (n < (4 * _byzantine) + 3)
        {
            throw new InvalidOperationException($"Bulyan with f = {_byzantine} needs at least {(4 * _byzantine) + 3} updates; the round has {n}.");
        }

        var theta = n - (2 * _byzantine);
        var beta = theta - (2 * _byzantine);
        var candidates = vectors.ToList();
        var selected = new List<double[]>(theta);
        for (var s = 0; s < theta; s++)
        {
            var best = KrumSelection.Best(KrumSelection.Scores(candidates, _byzantine), 1)[0];
            selected.Add(candidates[best]);
            candidates.RemoveAt(best);
        }

        var result = new double[vectors[0].Length];
        var column = new double[theta];
        for (var i = 0; i < result.Length; i++)
        {
            for (var c = 0; c < theta; c++)
            {
                column[c] = selected[c][i];
            }

            var median = UpdateMath.MedianInPlace((double[])column.Clone());
            var closest = column.OrderBy(v => Math.Abs(v - median)).Take(beta);
            result[i] = closest.Average();
        }

        return result;
    }
}
