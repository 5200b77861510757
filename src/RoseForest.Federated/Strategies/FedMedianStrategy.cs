using RoseForest.Federated.Model;

namespace RoseForest.Federated.Strategies;

/// <summary>FedMedian (Yin et al. 2018): the coordinate-wise median of the clients' parameters, unweighted.</summary>
internal sealed class FedMedianStrategy : StatelessStrategy
{
    public override string Name => "FedMedian";

    protected override double[] Combine(double[][] vectors, IReadOnlyList<ClientUpdate> updates)
    {
        var result = new double[vectors[0].Length];
        var column = new double[vectors.Length];
        for (var i = 0; i < result.Length; i++)
        {
            for (var c = 0; c < vectors.Length; c++)
            {
                column[c] = vectors[c][i];
            }

            result[i] = UpdateMath.MedianInPlace(column);
        }

        return result;
    }
}
