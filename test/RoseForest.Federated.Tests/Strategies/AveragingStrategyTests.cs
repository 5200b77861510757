using RoseForest.Federated.Model;
using RoseForest.Federated.Strategies;
using static RoseForest.Federated.Tests.Model.Updates;

namespace RoseForest.Federated.Tests.Strategies;

public sealed class AveragingStrategyTests
{
    private static readonly float[][] Clients = RandomVectors(5, 6, seed: 11);
    private static readonly int[] Samples = [3, 1, 7, 2, 5];

    private static List<ClientUpdate> Round(int round = 1) =>
        [.. Clients.Select((x, k) => Update($"c{k}", round, TwoTensorModel(x[..4], x[4..]), Samples[k]))];

    [Fact]
    public void FedAvg_is_the_sample_weighted_mean()
    {
        var result = FederatedStrategies.FedAvg().Aggregate(1, Zeros(), Round()).Flatten();
        var expected = Reference.WeightedMean(Clients, Samples);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], result[i], 1e-6);
        }
    }

    [Fact]
    public void FedAvg_of_deltas_adds_the_weighted_mean_delta_to_the_current_model()
    {
        var current = TwoTensorModel([1, 2, 3, 4], [5, 6]);
        var deltas = Clients.Select((x, k) => Update($"c{k}", 1, TwoTensorModel(x[..4], x[4..]), Samples[k], UpdateKind.Delta)).ToList();
        var result = FederatedStrategies.FedAvg().Aggregate(1, current, deltas).Flatten();
        var meanDelta = Reference.WeightedMean(Clients, Samples);
        float[] baseline = [1, 2, 3, 4, 5, 6];
        for (var i = 0; i < baseline.Length; i++)
        {
            Assert.Equal(baseline[i] + meanDelta[i], result[i], 1e-5);
        }
    }

    [Fact]
    public void FedProx_aggregates_like_FedAvg_and_sends_mu_to_clients()
    {
        var prox = FederatedStrategies.FedProx(0.01);
        Assert.Equal(0.01, prox.ConfigureFit(1)["proximal_mu"]);
        Assert.Equal(FederatedStrategies.FedAvg().Aggregate(1, Zeros(), Round()).Flatten(), prox.Aggregate(1, Zeros(), Round()).Flatten());
        Assert.Empty(FederatedStrategies.FedAvg().ConfigureFit(1));
    }

    [Fact]
    public void FedMedian_is_the_coordinate_wise_median_for_odd_and_even_counts()
    {
        foreach (var n in new[] { 5, 4 })
        {
            var updates = Round().Take(n).ToList();
            var result = FederatedStrategies.FedMedian().Aggregate(1, Zeros(), updates).Flatten();
            for (var i = 0; i < 6; i++)
            {
                Assert.Equal(Reference.Median(Clients.Take(n).Select(x => (double)x[i])), result[i], 1e-6);
            }
        }
    }

    [Fact]
    public void FedTrimmedAvg_drops_beta_of_the_values_at_each_end_and_averages_the_rest()
    {
        var vectors = RandomVectors(10, 3, seed: 5);
        var updates = vectors.Select((x, k) => Update($"c{k}", 1, Flat(x), k + 1)).ToList();
        var result = FederatedStrategies.FedTrimmedAvg(0.2).Aggregate(1, Flat(0, 0, 0), updates).Flatten();
        for (var i = 0; i < 3; i++)
        {
            var sorted = vectors.Select(x => (double)x[i]).OrderBy(v => v).ToArray();
            var expected = sorted[2..8].Average(); // floor(0.2 * 10) = 2 cut from each end, unweighted
            Assert.Equal(expected, result[i], 1e-6);
        }
    }

    [Fact]
    public void FedTrimmedAvg_ignores_a_single_huge_outlier_that_FedAvg_follows()
    {
        var vectors = RandomVectors(10, 3, seed: 6).ToList();
        vectors[3] = [1e6f, -1e6f, 1e6f];
        var updates = vectors.Select((x, k) => Update($"c{k}", 1, Flat(x))).ToList();
        var trimmed = FederatedStrategies.FedTrimmedAvg(0.1).Aggregate(1, Flat(0, 0, 0), updates).Flatten();
        var plain = FederatedStrategies.FedAvg().Aggregate(1, Flat(0, 0, 0), updates).Flatten();
        Assert.All(trimmed, v => Assert.InRange(v, -1, 1));
        Assert.True(Math.Abs(plain[0]) > 1000);
    }
}
