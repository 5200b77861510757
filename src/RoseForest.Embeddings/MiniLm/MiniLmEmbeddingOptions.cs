namespace RoseForest.Embeddings.MiniLm;

/// <summary>How <see cref="MiniLmEmbeddingGenerator"/> batches and schedules work.</summary>
public sealed record MiniLmEmbeddingOptions
{
    /// <summary>Texts per ONNX Runtime call. Each batch is padded to its longest text (texts are
    /// grouped by length first), and a big batch's activations outgrow the caches: on the 2-core
    /// machine of docs/embeddings.md, 8 beat 1, 32 and 64 in every setup. Default 8.</summary>
    public int MaxBatchSize { get; init; } = 8;

    /// <summary>Threads ONNX Runtime uses inside one batch; 0 lets it choose (one per physical
    /// core). Default 1: one single-threaded batch per core was the fastest setup measured, and
    /// unlike intra-op threads it does not collapse when another process takes a core.</summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>How many batches may run at once, within one call and across all callers of the
    /// generator (ONNX Runtime allows concurrent runs on one session). Default: the processor
    /// count, which with <see cref="IntraOpThreads"/> = 1 is one batch per core.</summary>
    public int MaxConcurrentBatches { get; init; } = Environment.ProcessorCount;

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
