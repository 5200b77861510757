using RoseForest.Federated.Model;
using RoseForest.Federated.Strategies;

namespace RoseForest.Federated.Privacy;

/// <summary>
/// The client's half of client-side clipping: clip the local update's delta to the norm the
/// round configuration carries (<c>clipping_norm</c>) and report the adaptive-clipping bit.
/// </summary>
public static class ClientPrivacy
{
    /// <summary>
    /// The update as a delta from <paramref name="global"/> clipped to L2 norm
    /// <paramref name="clippingNorm"/>, with the bit b = 1 when the norm was within it stored in
    /// the metrics extras as <c>norm_bit</c>.
    /// </summary>
    public static ClientUpdate ClipForServer(ModelParameters global, ClientUpdate update, double clippingNorm)
    {
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(update);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clippingNorm);
        var clipped = Clipping.ClipUpdate(global, update, clippingNorm, out var norm);
        var extra = new Dictionary<string, double>(update.Metrics.Extra ?? new Dictionary<string, double>())
        {
            [FederatedStrategies.NormBitKey] = norm <= clippingNorm ? 1.0 : 0.0,
        };
        return new ClientUpdate(update.ClientId, update.Round, clipped.Tensors, update.SampleCount, UpdateKind.Delta, update.Metrics with { Extra = extra }, update.TimestampUnixMs);
    }

    /// <summary>The bit a client reported (0 when absent).</summary>
    internal static int ReportedBit(ClientUpdate update) =>
        update.Metrics.Extra is { } extra && extra.TryGetValue(FederatedStrategies.NormBitKey, out var bit) && bit >= 0.5 ? 1 : 0;
}
