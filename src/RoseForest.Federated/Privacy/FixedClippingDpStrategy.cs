using RoseForest.Federated.Model;
using RoseForest.Federated.Randomness;
using RoseForest.Federated.Strategies;

namespace RoseForest.Federated.Privacy;

/// <summary>
/// Central DP with fixed clipping around any strategy: each update's delta is clipped to C (by the
/// server, or already by the client), the inner strategy aggregates, and N(0, (z·C/m)²) is added
/// to every coordinate of the result, as Flower's DifferentialPrivacyServerSideFixedClipping does.
/// </summary>
internal sealed class FixedClippingDpStrategy : IAggregationStrategy
{
    private readonly IAggregationStrategy _inner;
    private readonly FixedClippingOptions _options;
    private readonly IRandomSource _random;
    private readonly Dictionary<string, double> _extraConfig;

    public FixedClippingDpStrategy(IAggregationStrategy inner, FixedClippingOptions options, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(options.NoiseMultiplier);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.ClippingNorm);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.SampledClients);
        (_inner, _options, _random) = (inner, options, random);
        _extraConfig = new Dictionary<string, double> { [FederatedStrategies.ClippingNormKey] = options.ClippingNorm };
        Name = inner.Name + "+DP(fixed)";
    }

    public string Name { get; }

    /// <summary>The noise standard deviation added to each coordinate of the aggregate: z·C/m.</summary>
    public double NoiseStddev => _options.NoiseMultiplier * _options.ClippingNorm / _options.SampledClients;

    public IReadOnlyDictionary<string, double> ConfigureFit(int round)
    {
        var config = new Dictionary<string, double>(_inner.ConfigureFit(round));
        if (_options.Side == ClippingSide.Client)
        {
            foreach (var (key, value) in _extraConfig)
            {
                config[key] = value;
            }
        }

        return config;
    }

    public ModelParameters Aggregate(int round, ModelParameters current, IReadOnlyList<ClientUpdate> updates)
    {
        var clipped = _options.Side == ClippingSide.Server
            ? [.. updates.Select(u => Clipping.ClipUpdate(current, u, _options.ClippingNorm, out _))]
            : updates;
        var aggregate = _inner.Aggregate(round, current, clipped);
        return Clipping.AddGaussianNoise(aggregate, NoiseStddev, _random);
    }

    public void SaveState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _inner.SaveState(writer);
        Clipping.SaveRandom(writer, _random);
    }

    public void LoadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _inner.LoadState(reader);
        Clipping.LoadRandom(reader, _random);
    }
}
