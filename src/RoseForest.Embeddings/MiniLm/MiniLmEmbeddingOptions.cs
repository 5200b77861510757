namespace RoseForest.Embeddings.MiniLm;

/// <summary>How <see cref="MiniLmEmbeddingGenerator"/> batches and schedules work.</summary>
public sealed record MiniLmEmbeddingOptions
{
    /// <summary>Texts per ONNX Runtime call. Larger batches amortise the call; each batch is padded
    /// to its longest text, so texts are grouped by length first. Default 32.</summary>
    public int MaxBatchSize { get; init; } = 32;

    /// <summary>Threads ONNX Runtime uses inside one call; 0 (the default) lets it choose (one per
    /// physical core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>How many batches may run at once across all callers. ONNX Runtime allows concurrent
    /// runs on one session; more than one pays only with <see cref="IntraOpThreads"/> set so that
    /// the runs do not oversubscribe the cores. Default 1.</summary>
    public int MaxConcurrentBatches { get; init; } = 1;

    /// <summary>The defaults.</summary>
    public static MiniLmEmbeddingOptions Default { get; } = new();

    internal void Validate()
    {
        if (MaxBatchSize is < 1 or > 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBatchSize), MaxBatchSize, "must be in [1, 4096]");
        }
        if (IntraOpThreads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(IntraOpThreads), IntraOpThreads, "must be 0 (automatic) or positive");
        }
        if (MaxConcurrentBatches < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxConcurrentBatches), MaxConcurrentBatches, "must be at least 1");
        }
    }
}
