namespace RoseForest.Memory;

/// <summary>
/// The consolidation job: clusters a scope's episodic memories into semantic patterns. Off by
/// default; it runs in the background only for the scopes listed here (and on demand through
/// <see cref="IMemoryStore.ConsolidateAsync"/> for any scope).
/// </summary>
public sealed class ConsolidationOptions
{
    /// <summary>The scopes the background job consolidates. Empty (the default): no background job.</summary>
    public IReadOnlyList<MemoryScope> Scopes { get; init; } = [];

    /// <summary>How often the background job runs. Default 10 minutes.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>An episode joins a cluster when its cosine with the cluster's centroid is at least this. Default 0.6.</summary>
    public double SimilarityThreshold { get; init; } = 0.6;

    /// <summary>The fewest episodes that make a pattern. Default 3.</summary>
    public int MinClusterSize { get; init; } = 3;

    /// <summary>Checks the settings.</summary>
    public void Validate()
    {
        if (Interval <= TimeSpan.Zero)
        {
            throw new ValidationException("consolidation.interval", "must be positive.");
        }

        if (SimilarityThreshold is <= 0 or > 1 || double.IsNaN(SimilarityThreshold))
        {
            throw new ValidationException("consolidation.similarity_threshold", "must be in (0, 1].");
        }

        if (MinClusterSize < 2)
        {
            throw new ValidationException("consolidation.min_cluster_size", "must be at least 2.");
        }

        foreach (var scope in Scopes)
        {
            scope.Validate();
        }
    }
}
