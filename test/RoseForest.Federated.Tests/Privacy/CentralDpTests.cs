using RoseForest.Federated.Model;
using RoseForest.Federated.Privacy;
using RoseForest.Federated.Randomness;
using RoseForest.Federated.Strategies;
using static RoseForest.Federated.Tests.Model.Updates;

namespace RoseForest.Federated.Tests.Privacy;

public sealed class CentralDpTests
{
    private static readonly ModelParameters Current = Flat(1, 1, 1);

    // Deltas from Current of norm 5, 0.5 and 13: the first and last get clipped to C = 2.
    private static readonly float[][] Deltas = [[3, 4, 0], [0.3f, 0, 0.4f], [0, 5, 12]];
    private static readonly int[] Samples = [1, 2, 1];

    private static List<ClientUpdate> AsParameterUpdates() =>
        [.. Deltas.Select((d, k) => Update($"c{k}", 1, Flat([.. d.Select(v => v + 1f)]), Samples[k]))];

    /// <summary>The clipped, sample-weighted mean delta, added to the current model, computed by hand.</summary>
    private static double[] ExpectedWithoutNoise(double c)
    {
        var clipped = Deltas.Select(d =>
        {
            var norm = Math.Sqrt(d.Sum(v => (double)v * v));
            var scale = Math.Min(1.0, c / norm);
            return d.Select(v => (float)(v * scale)).ToArray();
        }).ToArray();
        return [.. Reference(clipped).Select(v => v + 1.0)];
    }

    private static double[] Reference(float[][] clipped) => Strategies.Reference.WeightedMean(clipped, Samples);

    [Fact]
    public void Fixed_clipping_without_noise_is_the_average_of_the_clipped_deltas()
    {
        var dp = FederatedStrategies.FedAvg().WithFixedClippingDp(new FixedClippingOptions { NoiseMultiplier = 0, ClippingNorm = 2, SampledClients = 3 }, new SeededRandomSource(1));
        var result = dp.Aggregate(1, Current, AsParameterUpdates()).Flatten();
        var expected = ExpectedWithoutNoise(2);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(expected[i], result[i], 1e-5);
        }
    }

    [Fact]
    public void Fixed_clipping_adds_gaussian_noise_of_stddev_z_c_over_m_from_the_given_source()
    {
        const double z = 1.3;
        const double c = 2.0;
        const int m = 3;
        var dp = FederatedStrategies.FedAvg().WithFixedClippingDp(new FixedClippingOptions { NoiseMultiplier = z, ClippingNorm = c, SampledClients = m }, new SeededRandomSource(42));
        var result = dp.Aggregate(1, Current, AsParameterUpdates()).Flatten();

        var twin = new SeededRandomSource(42);
        var expected = ExpectedWithoutNoise(c);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(expected[i] + (z * c / m * twin.NextGaussian()), result[i], 1e-5);
        }
    }

    [Fact]
    public void The_noise_has_the_configured_standard_deviation()
    {
        const int dim = 20_000;
        var zero = Flat(new float[dim]);
        var dp = FederatedStrategies.FedAvg().WithFixedClippingDp(new FixedClippingOptions { NoiseMultiplier = 1.0, ClippingNorm = 0.5, SampledClients = 10 }, new SeededRandomSource(7));
        var result = dp.Aggregate(1, zero, [Update("a", 1, Flat(new float[dim]))]).Flatten();
        var mean = result.Average(v => (double)v);
        var std = Math.Sqrt(result.Sum(v => (v - mean) * (v - mean)) / (dim - 1));
        Assert.InRange(std, 0.05 * 0.97, 0.05 * 1.03); // z·C/m = 0.05
        Assert.InRange(mean, -0.002, 0.002);
    }

    [Fact]
    public void Client_side_clipping_reports_the_bit_and_the_server_does_not_clip_again()
    {
        var updates = AsParameterUpdates().Select(u => ClientPrivacy.ClipForServer(Current, u, 2.0)).ToList();
        Assert.Equal([0.0, 1.0, 0.0], updates.Select(u => u.Metrics.Extra!["norm_bit"]));
        Assert.All(updates, u => Assert.True(Math.Sqrt(u.Tensors.Flatten().Sum(v => (double)v * v)) <= 2.0 + 1e-5));

        var dp = FederatedStrategies.FedAvg().WithFixedClippingDp(new FixedClippingOptions { NoiseMultiplier = 0, ClippingNorm = 0.1, SampledClients = 3, Side = ClippingSide.Client }, new SeededRandomSource(1));
        Assert.Equal(0.1, dp.ConfigureFit(1)["clipping_norm"]);
        var result = dp.Aggregate(1, Current, updates).Flatten();
        var expected = ExpectedWithoutNoise(2.0); // clipped by the clients at 2.0, not by the server's 0.1
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(expected[i], result[i], 1e-5);
        }
    }

    [Fact]
    public void Adaptive_clipping_splits_the_noise_multiplier_as_the_paper_specifies()
    {
        // z_Δ = (z^-2 - (2σ_b)^-2)^(-1/2), σ_b = m/20 by default: m = 100 gives σ_b = 5.
        var (sigma, zDelta) = AdaptiveClippingDpStrategy.NoiseSplit(1.0, 100, null);
        Assert.Equal(5.0, sigma);
        Assert.Equal(1.0 / Math.Sqrt(1.0 - (1.0 / 100.0)), zDelta, 1e-12);
        Assert.Throws<ArgumentOutOfRangeException>(() => AdaptiveClippingDpStrategy.NoiseSplit(1.0, 10, null)); // z ≥ 2σ_b = 1
    }

    [Fact]
    public void Adaptive_clipping_moves_the_norm_geometrically_toward_the_target_quantile()
    {
        // Without noise (z = 0, σ_b = 0): bits are 1 for norms ≤ C = 2, so one of three: b̄ = 1/3.
        var options = new AdaptiveClippingOptions { NoiseMultiplier = 0, SampledClients = 3, InitialClippingNorm = 2, TargetQuantile = 0.5, ClipNormLearningRate = 0.2 };
        var dp = new AdaptiveClippingDpStrategy(FederatedStrategies.FedAvg(), options, new SeededRandomSource(3));
        var result = dp.Aggregate(1, Current, AsParameterUpdates()).Flatten();
        var expected = ExpectedWithoutNoise(2);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(expected[i], result[i], 1e-5);
        }

        Assert.Equal(2 * Math.Exp(-0.2 * ((1.0 / 3.0) - 0.5)), dp.ClippingNorm, 1e-12);
        Assert.Equal(dp.ClippingNorm, dp.ConfigureFit(2)["clipping_norm"]);
    }

    [Fact]
    public void Adaptive_clipping_with_noise_uses_the_round_norm_and_then_the_noised_bit_count()
    {
        const double z = 0.5;
        var options = new AdaptiveClippingOptions { NoiseMultiplier = z, SampledClients = 3, InitialClippingNorm = 2, ClippedCountStddev = 1.0 };
        var dp = new AdaptiveClippingDpStrategy(FederatedStrategies.FedAvg(), options, new SeededRandomSource(9));
        var result = dp.Aggregate(1, Current, AsParameterUpdates()).Flatten();

        var zDelta = Math.Pow(Math.Pow(z, -2) - Math.Pow(2 * 1.0, -2), -0.5);
        var twin = new SeededRandomSource(9);
        var expected = ExpectedWithoutNoise(2);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(expected[i] + (zDelta * 2 / 3 * twin.NextGaussian()), result[i], 1e-5);
        }

        var noisyFraction = (1 + twin.NextGaussian()) / 3;
        Assert.Equal(2 * Math.Exp(-0.2 * (noisyFraction - 0.5)), dp.ClippingNorm, 1e-12);
    }

    [Fact]
    public void Adaptive_clipping_converges_near_the_target_quantile_of_the_norms()
    {
        // Updates with norms 1..10: the median norm is between 5 and 6.
        var current = Flat(0, 0);
        var updates = Enumerable.Range(1, 10).Select(k => Update($"c{k}", 1, Flat(k, 0))).ToList();
        var options = new AdaptiveClippingOptions { NoiseMultiplier = 0, SampledClients = 10, InitialClippingNorm = 0.1, ClipNormLearningRate = 0.2 };
        var dp = new AdaptiveClippingDpStrategy(FederatedStrategies.FedAvg(), options, new SeededRandomSource(5));
        for (var t = 1; t <= 200; t++)
        {
            dp.Aggregate(t, current, updates);
        }

        Assert.InRange(dp.ClippingNorm, 4.5, 6.5);
    }
}
