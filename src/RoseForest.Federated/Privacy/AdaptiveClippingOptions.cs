namespace RoseForest.Federated.Privacy;

/// <summary>
/// Central DP with adaptive clipping (Andrew et al. 2021, "Differentially Private Learning with
/// Adaptive Clipping"): the clipping norm follows a target quantile of the clients' update norms,
/// estimated privately from noised "unclipped" bits. Defaults are Flower's.
/// </summary>
public sealed class AdaptiveClippingOptions
{
    /// <summary>z: the overall noise multiplier the round should achieve (split between the update and the bit count).</summary>
    public required double NoiseMultiplier { get; init; }

    /// <summary>m: the number of clients sampled each round.</summary>
    public required int SampledClients { get; init; }

    /// <summary>C₀: the first round's clipping norm.</summary>
    public double InitialClippingNorm { get; init; } = 0.1;

    /// <summary>γ: the fraction of clients whose update should fall within the norm.</summary>
    public double TargetQuantile { get; init; } = 0.5;

    /// <summary>η_C: the geometric learning rate of the clipping norm.</summary>
    public double ClipNormLearningRate { get; init; } = 0.2;

    /// <summary>σ_b: the noise on the bit count; null means m/20 (the paper's and Flower's default).</summary>
    public double? ClippedCountStddev { get; init; }

    /// <summary>Whether the server or the clients clip (clients then report their bit as <c>norm_bit</c> in the metrics extras).</summary>
    public ClippingSide Side { get; init; } = ClippingSide.Server;
}
