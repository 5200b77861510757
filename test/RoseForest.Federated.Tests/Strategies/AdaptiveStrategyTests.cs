using RoseForest.Federated.Model;
using RoseForest.Federated.Strategies;
using static RoseForest.Federated.Tests.Model.Updates;

namespace RoseForest.Federated.Tests.Strategies;

/// <summary>FedAdam, FedYogi and FedAdagrad against Flower's formulas written out plainly, over three rounds.</summary>
public sealed class AdaptiveStrategyTests
{
    private const int Rounds = 3;
    private static readonly int[] Samples = [4, 1, 3];

    private static List<ClientUpdate> Updates(int round) =>
        [.. RandomVectors(3, 5, seed: 100 + round).Select((x, k) => Update($"c{k}", round, Flat(x), Samples[k]))];

    private delegate double SecondMoment(double v, double delta, double beta2);

    private static double[] ReferenceRun(double eta, double beta1, double beta2, double tau, SecondMoment rule, bool adamBiasCorrection)
    {
        var x = new double[5];
        var m = new double[5];
        var v = new double[5];
        for (var t = 1; t <= Rounds; t++)
        {
            var clients = RandomVectors(3, 5, seed: 100 + t);
            var avg = Reference.WeightedMean(clients, Samples);
            var stepSize = adamBiasCorrection ? eta * Math.Sqrt(1 - Math.Pow(beta2, t + 1)) / (1 - Math.Pow(beta1, t + 1)) : eta;
            for (var i = 0; i < 5; i++)
            {
                var xFloat = (double)(float)x[i]; // the model is stored as float between rounds
                var delta = avg[i] - xFloat;
                m[i] = (beta1 * m[i]) + ((1 - beta1) * delta);
                v[i] = rule(v[i], delta, beta2);
                x[i] = xFloat + (stepSize * m[i] / (Math.Sqrt(v[i]) + tau));
            }
        }

        return x;
    }

    private static float[] Run(IAggregationStrategy strategy)
    {
        var model = Flat(0, 0, 0, 0, 0);
        for (var t = 1; t <= Rounds; t++)
        {
            model = strategy.Aggregate(t, model, Updates(t));
        }

        return model.Flatten();
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-5);
        }
    }

    [Fact]
    public void FedAdam_follows_the_bias_corrected_adam_update_on_the_pseudo_gradient()
    {
        var options = new FedOptOptions { Eta = 0.05, Beta1 = 0.9, Beta2 = 0.99, Tau = 1e-3 };
        var expected = ReferenceRun(0.05, 0.9, 0.99, 1e-3, (v, d, b2) => (b2 * v) + ((1 - b2) * d * d), adamBiasCorrection: true);
        AssertClose(expected, Run(FederatedStrategies.FedAdam(options)));
    }

    [Fact]
    public void FedYogi_follows_the_sign_controlled_second_moment()
    {
        var expected = ReferenceRun(1e-2, 0.9, 0.99, 1e-3, (v, d, b2) => v - ((1 - b2) * d * d * Math.Sign(v - (d * d))), adamBiasCorrection: false);
        AssertClose(expected, Run(FederatedStrategies.FedYogi()));
    }

    [Fact]
    public void FedAdagrad_accumulates_squared_pseudo_gradients_without_momentum()
    {
        var expected = ReferenceRun(0.1, 0.0, 0.0, 1e-9, (v, d, _) => v + (d * d), adamBiasCorrection: false);
        AssertClose(expected, Run(FederatedStrategies.FedAdagrad()));
    }

    [Fact]
    public void Adaptive_strategies_send_the_client_learning_rate()
    {
        Assert.Equal(0.0316, FederatedStrategies.FedYogi().ConfigureFit(1)["eta_l"]);
        Assert.Equal(0.1, FederatedStrategies.FedAdam().ConfigureFit(1)["eta_l"]);
    }

    [Fact]
    public void Saved_optimizer_state_continues_identically_in_a_new_instance()
    {
        var first = FederatedStrategies.FedAdam();
        var model = Flat(0, 0, 0, 0, 0);
        model = first.Aggregate(1, model, Updates(1));
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            first.SaveState(writer);
        }

        var second = FederatedStrategies.FedAdam();
        buffer.Position = 0;
        using (var reader = new BinaryReader(buffer))
        {
            second.LoadState(reader);
        }

        Assert.Equal(first.Aggregate(2, model, Updates(2)).Flatten(), second.Aggregate(2, model, Updates(2)).Flatten());
    }
}
