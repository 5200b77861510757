using System.Text.Json;
using RoseForest.Federated.Privacy;
using RoseForest.Federated.Randomness;
using RoseForest.Federated.Strategies;
using RoseForest.Federated.Wire;

namespace RoseForest.Federated.Http.Tasks;

/// <summary>Central DP for a task: fixed or adaptive clipping, the noise multiplier, who clips, and the δ ε is reported at.</summary>
internal sealed class PrivacySpec
{
    public bool Adaptive { get; private init; }

    public double NoiseMultiplier { get; private init; }

    public double ClippingNorm { get; private init; }

    public double TargetQuantile { get; private init; } = 0.5;

    public double ClipNormLearningRate { get; private init; } = 0.2;

    public double? ClippedCountStddev { get; private init; }

    public ClippingSide Side { get; private init; } = ClippingSide.Server;

    public int SampledClients { get; private init; }

    public double Delta { get; private init; } = 1e-5;

    public static PrivacySpec Read(JsonElement e, string field, int expectedSelected)
    {
        WireJson.RequireObject(e, field, "clipping", "noise_multiplier", "clipping_norm", "target_quantile", "clip_norm_learning_rate", "clipped_count_stddev", "side", "sampled_clients", "delta");
        var adaptive = WireJson.String(e, "clipping", field) switch
        {
            null or "fixed" => false,
            "adaptive" => true,
            var other => throw new WireFormatException(field + ".clipping", $"must be \"fixed\" or \"adaptive\", got \"{other}\"."),
        };
        var side = WireJson.String(e, "side", field) switch
        {
            null or "server" => ClippingSide.Server,
            "client" => ClippingSide.Client,
            var other => throw new WireFormatException(field + ".side", $"must be \"server\" or \"client\", got \"{other}\"."),
        };
        if (!adaptive && e.TryGetProperty("target_quantile", out _))
        {
            throw new WireFormatException(field + ".target_quantile", "applies to adaptive clipping only.");
        }

        return new PrivacySpec
        {
            Adaptive = adaptive,
            NoiseMultiplier = WireJson.Number(e, "noise_multiplier", field, 0, 1e6) ?? throw new WireFormatException(field + ".noise_multiplier", "is required."),
            ClippingNorm = WireJson.Number(e, "clipping_norm", field, 1e-12) ?? (adaptive ? 0.1 : throw new WireFormatException(field + ".clipping_norm", "is required with fixed clipping.")),
            TargetQuantile = WireJson.Number(e, "target_quantile", field, 0, 1) ?? 0.5,
            ClipNormLearningRate = WireJson.Number(e, "clip_norm_learning_rate", field, 1e-12) ?? 0.2,
            ClippedCountStddev = WireJson.Number(e, "clipped_count_stddev", field, 1e-12),
            Side = side,
            SampledClients = (int)(WireJson.Integer(e, "sampled_clients", field, 1, 100_000) ?? expectedSelected),
            Delta = WireJson.Number(e, "delta", field, 1e-300, 0.5) ?? 1e-5,
        };
    }

    /// <summary>Wraps the strategy in central DP.</summary>
    /// <exception cref="ArgumentException">The options are inconsistent (e.g. adaptive clipping with z ≥ 2σ_b).</exception>
    public IAggregationStrategy Wrap(IAggregationStrategy inner, IRandomSource random) => Adaptive
        ? inner.WithAdaptiveClippingDp(
            new AdaptiveClippingOptions
            {
                NoiseMultiplier = NoiseMultiplier,
                SampledClients = SampledClients,
                InitialClippingNorm = ClippingNorm,
                TargetQuantile = TargetQuantile,
                ClipNormLearningRate = ClipNormLearningRate,
                ClippedCountStddev = ClippedCountStddev,
                Side = Side,
            },
            random)
        : inner.WithFixedClippingDp(new FixedClippingOptions { NoiseMultiplier = NoiseMultiplier, ClippingNorm = ClippingNorm, SampledClients = SampledClients, Side = Side }, random);

    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("clipping", Adaptive ? "adaptive" : "fixed");
        w.WriteNumber("noise_multiplier", NoiseMultiplier);
        w.WriteNumber("clipping_norm", ClippingNorm);
        if (Adaptive)
        {
            w.WriteNumber("target_quantile", TargetQuantile);
            w.WriteNumber("clip_norm_learning_rate", ClipNormLearningRate);
            if (ClippedCountStddev is { } s)
            {
                w.WriteNumber("clipped_count_stddev", s);
            }
        }

        w.WriteString("side", Side == ClippingSide.Client ? "client" : "server");
        w.WriteNumber("sampled_clients", SampledClients);
        w.WriteNumber("delta", Delta);
        w.WriteEndObject();
    }
}
