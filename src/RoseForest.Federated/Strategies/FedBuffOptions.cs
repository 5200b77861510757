namespace RoseForest.Federated.Strategies;

/// <summary>Options of FedBuff, buffered asynchronous aggregation (Nguyen et al. 2022).</summary>
public sealed class FedBuffOptions
{
    /// <summary>K: the server applies the buffer every K arrivals.</summary>
    public required int BufferSize { get; init; }

    /// <summary>η_g: the server learning rate applied to the buffered mean delta.</summary>
    public double ServerLearningRate { get; init; } = 1.0;

    /// <summary>Updates more than this many versions behind are rejected; null accepts any staleness.</summary>
    public int? MaxStaleness { get; init; }
}
