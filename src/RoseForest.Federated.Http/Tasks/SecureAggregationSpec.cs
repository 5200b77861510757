using System.Text.Json;
using RoseForest.Federated.SecureAggregation;
using RoseForest.Federated.Wire;

namespace RoseForest.Federated.Http.Tasks;

/// <summary>
/// Secure aggregation for a task. Each client masks the vector [w·Δ, w·loss, w·accuracy, w] with
/// w = min(samples, <see cref="MaxSamples"/>)/<see cref="MaxSamples"/>; the server learns only the
/// sum, hence the weighted mean delta and metrics.
/// </summary>
internal sealed class SecureAggregationSpec
{
    public int Threshold { get; private init; }

    public float ClipRange { get; private init; } = 8f;

    public int ScaleBits { get; private init; } = 16;

    public int MaxSamples { get; private init; } = 10_000;

    public TimeSpan StageTimeout { get; private init; }

    public static SecureAggregationSpec Read(JsonElement e, string field, int minFit, TimeSpan roundTimeout)
    {
        WireJson.RequireObject(e, field, "threshold", "clip_range", "scale_bits", "max_samples", "stage_timeout_seconds");
        var threshold = (int)(WireJson.Integer(e, "threshold", field, 2, 100_000) ?? Math.Max(2, ((2 * minFit) + 2) / 3));
        if (threshold > minFit)
        {
            throw new WireFormatException(field + ".threshold", $"must not exceed min_fit_clients ({minFit}): a round may close with that many clients.");
        }

        var spec = new SecureAggregationSpec
        {
            Threshold = threshold,
            ClipRange = (float)(WireJson.Number(e, "clip_range", field, 1e-6, 1e6) ?? 8),
            ScaleBits = (int)(WireJson.Integer(e, "scale_bits", field, 0, 30) ?? 16),
            MaxSamples = (int)(WireJson.Integer(e, "max_samples", field, 1, int.MaxValue) ?? 10_000),
            StageTimeout = TimeSpan.FromSeconds(WireJson.Number(e, "stage_timeout_seconds", field, 0.001, 86400) ?? (roundTimeout.TotalSeconds / 5)),
        };
        try
        {
            spec.Options(1).Validate(minFit);
        }
        catch (ArgumentException x)
        {
            throw new WireFormatException(field, x.Message);
        }

        return spec;
    }

    /// <summary>The round's SecAgg options for a model of <paramref name="modelValues"/> values (plus the three weight and metric slots).</summary>
    public SecAggOptions Options(long modelValues) => new() { Threshold = Threshold, VectorLength = (int)modelValues + 3, ClipRange = ClipRange, ScaleBits = ScaleBits };

    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteNumber("threshold", Threshold);
        w.WriteNumber("clip_range", ClipRange);
        w.WriteNumber("scale_bits", ScaleBits);
        w.WriteNumber("max_samples", MaxSamples);
        w.WriteNumber("stage_timeout_seconds", StageTimeout.TotalSeconds);
        w.WriteEndObject();
    }
}
