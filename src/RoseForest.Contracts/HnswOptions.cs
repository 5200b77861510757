namespace RoseForest.Contracts;

/// <summary>
/// The HNSW index of a collection (Qdrant's <c>hnsw_config</c>). Searches use it unless the
/// request asks for exact search or the candidates are few enough that a scan is cheaper.
/// </summary>
public sealed class HnswOptions
{
    /// <summary>Links per node on the upper layers (layer 0 keeps 2m). Default 16.</summary>
    public int M { get; init; } = 16;

    /// <summary>The beam width while inserting. Default 100.</summary>
    public int EfConstruct { get; init; } = 100;

    /// <summary>
    /// In KiB of vector data, as in Qdrant: a search whose candidates (all points, or the points a
    /// filter is estimated to match) hold less than this is an exact scan. Default 10,000 KiB.
    /// </summary>
    public long FullScanThreshold { get; init; } = 10_000;

    /// <summary>Threads that insert a large batch (0: all cores). Default 0.</summary>
    public int MaxIndexingThreads { get; init; }

    /// <summary>The default search beam width when a request does not give one (null: ef_construct).</summary>
    public int? Ef { get; init; }

    /// <summary>
    /// The recall@10 the self-organizing controller keeps the default ef at (RoseForest's
    /// <c>hnsw_config.target_recall</c>), in (0, 1]; null: none. See <see cref="OptimizerSettings"/>.
    /// </summary>
    public double? TargetRecall { get; init; }

    /// <summary>Checks every setting; throws <see cref="ValidationException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (M is < 2 or > 128)
        {
            throw new ValidationException("hnsw_config.m", $"must be between 2 and 128, got {M}.");
        }

        if (EfConstruct is < 4 or > 4096)
        {
            throw new ValidationException("hnsw_config.ef_construct", $"must be between 4 and 4096, got {EfConstruct}.");
        }

        if (FullScanThreshold < 0)
        {
            throw new ValidationException("hnsw_config.full_scan_threshold", "must not be negative.");
        }

        if (MaxIndexingThreads < 0)
        {
            throw new ValidationException("hnsw_config.max_indexing_threads", "must not be negative.");
        }

        if (TargetRecall is { } t && !(t > 0 && t <= 1))
        {
            throw new ValidationException("hnsw_config.target_recall", $"must be in (0, 1], got {t}.");
        }

        if (Ef is < 1 or > 65536)
        {
            throw new ValidationException("hnsw_config.ef", $"must be between 1 and 65536, got {Ef}.");
        }
    }
}
