using RoseForest.Federated.Model;
using RoseForest.Federated.Randomness;
using RoseForest.Federated.Strategies;

namespace RoseForest.Federated.Privacy;

/// <summary>
/// Central DP with adaptive clipping (Andrew et al. 2021, Algorithm 1). Each round with norm C:
/// client i's bit is bᵢ = 1 when ‖Δᵢ‖ ≤ C; updates are clipped to C; the inner strategy
/// aggregates; N(0, (z_Δ·C/m)²) is added per coordinate with z_Δ = (z⁻² − (2σ_b)⁻²)^(−1/2);
/// then b̃ = (Σbᵢ + N(0, σ_b²)) / n for the n updates received, and C ← C·exp(−η_C(b̃ − γ)).
/// </summary>
internal sealed class AdaptiveClippingDpStrategy : IAggregationStrategy
{
    private readonly IAggregationStrategy _inner;
    private readonly AdaptiveClippingOptions _options;
    private readonly IRandomSource _random;

    public AdaptiveClippingDpStrategy(IAggregationStrategy inner, AdaptiveClippingOptions options, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(options.NoiseMultiplier);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.SampledClients);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.InitialClippingNorm);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.ClipNormLearningRate);
        if (options.TargetQuantile is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.TargetQuantile, "The target quantile must be in [0, 1].");
        }

        (_inner, _options, _random) = (inner, options, random);
        (ClippedCountStddev, UpdateNoiseMultiplier) = NoiseSplit(options.NoiseMultiplier, options.SampledClients, options.ClippedCountStddev);
        ClippingNorm = options.InitialClippingNorm;
        Name = inner.Name + "+DP(adaptive)";
    }

    public string Name { get; }

    /// <summary>The clipping norm the next round uses.</summary>
    public double ClippingNorm { get; private set; }

    /// <summary>σ_b, the standard deviation of the noise on the bit count.</summary>
    public double ClippedCountStddev { get; }

    /// <summary>z_Δ, the noise multiplier on the update once the bit count has taken its share.</summary>
    public double UpdateNoiseMultiplier { get; }

    /// <summary>σ_b (default m/20) and z_Δ = (z⁻² − (2σ_b)⁻²)^(−1/2); z must be below 2σ_b.</summary>
    public static (double Sigma, double ZDelta) NoiseSplit(double z, int sampledClients, double? clippedCountStddev)
    {
        if (z == 0)
        {
            return (clippedCountStddev ?? 0.0, 0.0);
        }

        var sigmaB = clippedCountStddev ?? sampledClients / 20.0;
        if (z >= 2 * sigmaB)
        {
            throw new ArgumentOutOfRangeException(nameof(z), z, $"The noise multiplier must be below 2·σ_b = {2 * sigmaB}; raise the clipped-count stddev or the number of sampled clients.");
        }

        return (sigmaB, Math.Pow(Math.Pow(z, -2) - Math.Pow(2 * sigmaB, -2), -0.5));
    }

    public IReadOnlyDictionary<string, double> ConfigureFit(int round) =>
        new Dictionary<string, double>(_inner.ConfigureFit(round)) { [FederatedStrategies.ClippingNormKey] = ClippingNorm };

    public ModelParameters Aggregate(int round, ModelParameters current, IReadOnlyList<ClientUpdate> updates)
    {
        var c = ClippingNorm;
        var bits = 0;
        var clipped = new List<ClientUpdate>(updates.Count);
        foreach (var update in updates)
        {
            if (_options.Side == ClippingSide.Server)
            {
                clipped.Add(Clipping.ClipUpdate(current, update, c, out var norm));
                bits += norm <= c ? 1 : 0;
            }
            else
            {
                clipped.Add(update);
                bits += ClientPrivacy.ReportedBit(update);
            }
        }

        var aggregate = _inner.Aggregate(round, current, clipped);
        var noised = Clipping.AddGaussianNoise(aggregate, UpdateNoiseMultiplier * c / _options.SampledClients, _random);
        var noisyFraction = (bits + (ClippedCountStddev * _random.NextGaussian())) / updates.Count;
        ClippingNorm = c * Math.Exp(-_options.ClipNormLearningRate * (noisyFraction - _options.TargetQuantile));
        return noised;
    }

    public void SaveState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(ClippingNorm);
        _inner.SaveState(writer);
        Clipping.SaveRandom(writer, _random);
    }

    public void LoadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ClippingNorm = reader.ReadDouble();
        _inner.LoadState(reader);
        Clipping.LoadRandom(reader, _random);
    }
}
