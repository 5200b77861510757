namespace RoseForest.Federated.Privacy;

/// <summary>Central DP with a fixed clipping norm (McMahan et al. 2018; Flower's DifferentialPrivacy*SideFixedClipping).</summary>
public sealed class FixedClippingOptions
{
    /// <summary>z: the noise standard deviation in units of the clipping norm. 1.0 or more for strong privacy.</summary>
    public required double NoiseMultiplier { get; init; }

    /// <summary>C: the L2 norm every client's update is clipped to.</summary>
    public required double ClippingNorm { get; init; }

    /// <summary>m: the number of clients sampled each round; the noise added to the average has standard deviation z·C/m.</summary>
    public required int SampledClients { get; init; }

    /// <summary>Whether the server or the clients clip.</summary>
    public ClippingSide Side { get; init; } = ClippingSide.Server;
}
