using RoseForest.Federated.Model;

namespace RoseForest.Federated.Strategies;

/// <summary>
/// FedAdagrad, FedAdam and FedYogi as Flower implements Reddi et al. 2021: the pseudo-gradient
/// Δ = FedAvg(updates) − current; m ← β₁m + (1−β₁)Δ; v by the optimizer's rule (moments start
/// at zero); x ← x + η·m / (√v + τ). FedAdam scales η by √(1−β₂^(t+1)) / (1−β₁^(t+1)) for round
/// t, as Flower does.
/// </summary>
internal sealed class FedOptStrategy : IAggregationStrategy
{
    private readonly ServerOptimizer _optimizer;
    private readonly FedOptOptions _options;
    private readonly FedAvgStrategy _average = new();
    private readonly Dictionary<string, double> _config;
    private double[]? _m;
    private double[]? _v;

    public FedOptStrategy(ServerOptimizer optimizer, FedOptOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Eta);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Tau);
        _optimizer = optimizer;
        _options = optimizer == ServerOptimizer.Adagrad ? new FedOptOptions { Eta = options.Eta, EtaL = options.EtaL, Tau = options.Tau, Beta1 = 0, Beta2 = 0 } : options;
        _config = new Dictionary<string, double> { [FederatedStrategies.ClientLearningRateKey] = _options.EtaL };
        Name = "Fed" + optimizer;
    }

    public string Name { get; }

    public IReadOnlyDictionary<string, double> ConfigureFit(int round) => _config;

    public ModelParameters Aggregate(int round, ModelParameters current, IReadOnlyList<ClientUpdate> updates)
    {
        var average = UpdateMath.ToDouble(_average.Aggregate(round, current, updates).Flatten());
        var x = UpdateMath.ToDouble(current.Flatten());
        var n = x.Length;
        _m ??= new double[n];
        _v ??= new double[n];
        var (b1, b2) = (_options.Beta1, _options.Beta2);
        var eta = _optimizer == ServerOptimizer.Adam
            ? _options.Eta * Math.Sqrt(1 - Math.Pow(b2, round + 1.0)) / (1 - Math.Pow(b1, round + 1.0))
            : _options.Eta;

        for (var i = 0; i < n; i++)
        {
            var delta = average[i] - x[i];
            _m[i] = (b1 * _m[i]) + ((1 - b1) * delta);
            var d2 = delta * delta;
            _v[i] = _optimizer switch
            {
                ServerOptimizer.Adagrad => _v[i] + d2,
                ServerOptimizer.Adam => (b2 * _v[i]) + ((1 - b2) * d2),
                _ => _v[i] - ((1 - b2) * d2 * Math.Sign(_v[i] - d2)),
            };
            x[i] += eta * _m[i] / (Math.Sqrt(_v[i]) + _options.Tau);
        }

        return UpdateMath.ToModel(current, x);
    }

    public void SaveState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        UpdateMath.WriteArray(writer, _m);
        UpdateMath.WriteArray(writer, _v);
    }

    public void LoadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _m = UpdateMath.ReadArray(reader);
        _v = UpdateMath.ReadArray(reader);
    }
}
