using RoseForest.Federated.Privacy;
using RoseForest.Federated.Randomness;

namespace RoseForest.Federated.Strategies;

/// <summary>The strategies the library offers; each returns a fresh instance (they may hold state across rounds).</summary>
public static class FederatedStrategies
{
    /// <summary>The round-configuration key of FedProx's proximal factor μ.</summary>
    public const string ProximalMuKey = "proximal_mu";

    /// <summary>The round-configuration key of the client learning rate η_l (adaptive strategies).</summary>
    public const string ClientLearningRateKey = "eta_l";

    /// <summary>The round-configuration key of the clipping norm clients clip to (client-side DP).</summary>
    public const string ClippingNormKey = "clipping_norm";

    /// <summary>The metrics-extras key of a client's adaptive-clipping bit (1 when its norm was within the clipping norm).</summary>
    public const string NormBitKey = "norm_bit";

    /// <summary>FedAvg: the sample-weighted average of the clients' parameters.</summary>
    public static IAggregationStrategy FedAvg() => new FedAvgStrategy();

    /// <summary>FedProx: FedAvg's aggregation, with the proximal factor μ sent to clients as <c>proximal_mu</c>.</summary>
    public static IAggregationStrategy FedProx(double proximalMu) => new FedAvgStrategy(proximalMu);

    /// <summary>FedAdam (Reddi et al. 2021); null options mean <see cref="FedOptOptions.AdamDefaults"/>.</summary>
    public static IAggregationStrategy FedAdam(FedOptOptions? options = null) => new FedOptStrategy(ServerOptimizer.Adam, options ?? FedOptOptions.AdamDefaults);

    /// <summary>FedYogi (Reddi et al. 2021); null options mean <see cref="FedOptOptions.YogiDefaults"/>.</summary>
    public static IAggregationStrategy FedYogi(FedOptOptions? options = null) => new FedOptStrategy(ServerOptimizer.Yogi, options ?? FedOptOptions.YogiDefaults);

    /// <summary>FedAdagrad (Reddi et al. 2021); null options mean <see cref="FedOptOptions.AdagradDefaults"/>.</summary>
    public static IAggregationStrategy FedAdagrad(FedOptOptions? options = null) => new FedOptStrategy(ServerOptimizer.Adagrad, options ?? FedOptOptions.AdagradDefaults);

    /// <summary>FedMedian: the coordinate-wise median.</summary>
    public static IAggregationStrategy FedMedian() => new FedMedianStrategy();

    /// <summary>FedTrimmedAvg: the coordinate-wise mean after cutting a fraction β from each end.</summary>
    public static IAggregationStrategy FedTrimmedAvg(double beta = 0.2) => new FedTrimmedAvgStrategy(beta);

    /// <summary>Krum for at most <paramref name="byzantine"/> Byzantine clients: the single update with the lowest score.</summary>
    public static IAggregationStrategy Krum(int byzantine) => new KrumStrategy(byzantine, 0);

    /// <summary>Multi-Krum: the sample-weighted average of the <paramref name="keep"/> lowest-scoring updates.</summary>
    public static IAggregationStrategy MultiKrum(int byzantine, int keep)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(keep);
        return new KrumStrategy(byzantine, keep);
    }

    /// <summary>Bulyan for at most <paramref name="byzantine"/> Byzantine clients (needs n ≥ 4f + 3 updates).</summary>
    public static IAggregationStrategy Bulyan(int byzantine) => new BulyanStrategy(byzantine);

    /// <summary>FedBuff: asynchronous aggregation every K arrivals with staleness weighting 1/√(1 + staleness).</summary>
    public static IAsynchronousStrategy FedBuff(Model.ModelParameters initial, FedBuffOptions options) => new FedBuffStrategy(initial, options);

    /// <summary>Wraps a strategy in central DP with fixed clipping.</summary>
    public static IAggregationStrategy WithFixedClippingDp(this IAggregationStrategy inner, FixedClippingOptions options, IRandomSource? random = null) =>
        new FixedClippingDpStrategy(inner, options, random ?? SecureRandomSource.Instance);

    /// <summary>Wraps a strategy in central DP with adaptive clipping.</summary>
    public static IAggregationStrategy WithAdaptiveClippingDp(this IAggregationStrategy inner, AdaptiveClippingOptions options, IRandomSource? random = null) =>
        new AdaptiveClippingDpStrategy(inner, options, random ?? SecureRandomSource.Instance);
}
