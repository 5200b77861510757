using RoseForest.Federated.Model;
using RoseForest.Federated.Strategies;
using RoseForest.Federated.Validation;
using static RoseForest.Federated.Tests.Model.Updates;

namespace RoseForest.Federated.Tests.Strategies;

public sealed class FedBuffTests
{
    [Fact]
    public void The_model_moves_every_k_arrivals_by_the_staleness_weighted_mean_delta()
    {
        const int k = 3;
        const double eta = 0.5;
        var fedBuff = FederatedStrategies.FedBuff(Flat(1, 2), new FedBuffOptions { BufferSize = k, ServerLearningRate = eta });
        var deltas = RandomVectors(7, 2, seed: 31);
        int[] bases = [0, 0, 0, 0, 1, 0, 1]; // the version each client trained from

        // Reference: plain replay of the rule.
        var model = new double[] { 1, 2 };
        var version = 0;
        var buffer = new double[2];
        var count = 0;
        var advanced = new List<bool>();
        for (var u = 0; u < deltas.Length; u++)
        {
            var weight = 1 / Math.Sqrt(1 + (version - bases[u]));
            buffer[0] += weight * deltas[u][0];
            buffer[1] += weight * deltas[u][1];
            if (++count == k)
            {
                model = [(double)(float)(model[0] + (eta * buffer[0] / k)), (double)(float)(model[1] + (eta * buffer[1] / k))];
                version++;
                buffer = new double[2];
                count = 0;
                advanced.Add(true);
            }
            else
            {
                advanced.Add(false);
            }
        }

        var actualAdvanced = deltas.Select((d, u) => fedBuff.Submit(Update($"c{u}", bases[u], Flat(d), 5, UpdateKind.Delta))).ToList();
        Assert.Equal(advanced, actualAdvanced);
        Assert.Equal(2, fedBuff.Version);
        Assert.Equal(model[0], fedBuff.Model.Flatten()[0], 1e-6);
        Assert.Equal(model[1], fedBuff.Model.Flatten()[1], 1e-6);
    }

    [Fact]
    public void Staleness_weights_are_one_over_root_one_plus_staleness()
    {
        Assert.Equal(1.0, FedBuffStrategy.StalenessWeight(0));
        Assert.Equal(1 / Math.Sqrt(4), FedBuffStrategy.StalenessWeight(3));
    }

    [Fact]
    public void Updates_from_the_future_or_too_stale_or_not_deltas_are_rejected()
    {
        var fedBuff = FederatedStrategies.FedBuff(Flat(0), new FedBuffOptions { BufferSize = 1, MaxStaleness = 1 });
        Assert.Throws<RoundMismatchException>(() => fedBuff.Submit(Update("a", 1, Flat(1), 1, UpdateKind.Delta)));
        fedBuff.Submit(Update("a", 0, Flat(1), 1, UpdateKind.Delta));
        fedBuff.Submit(Update("a", 1, Flat(1), 1, UpdateKind.Delta));
        Assert.Equal(2, fedBuff.Version);
        Assert.Throws<RoundMismatchException>(() => fedBuff.Submit(Update("b", 0, Flat(1), 1, UpdateKind.Delta)));
        Assert.Throws<UpdateValidationException>(() => fedBuff.Submit(Update("b", 2, Flat(1), 1, UpdateKind.Parameters)));
        Assert.Throws<ShapeMismatchException>(() => fedBuff.Submit(Update("b", 2, Flat(1, 2), 1, UpdateKind.Delta)));
    }
}
