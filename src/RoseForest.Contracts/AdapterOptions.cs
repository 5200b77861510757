namespace RoseForest.Contracts;

/// <summary>A collection's query-adapter settings, shared by all its adapters.</summary>
public sealed record AdapterOptions
{
    /// <summary>Whether queries use the adapters (default false: feedback trains them, queries ignore them unless they ask).</summary>
    public bool Enabled { get; init; }

    /// <summary>Rank r of A (r x d) and B (d x r), 1..8.</summary>
    public int Rank { get; init; } = 2;

    /// <summary>The scale of the low-rank term: q' = q + alpha * B(A q).</summary>
    public double Alpha { get; init; } = 0.1;

    /// <summary>Adam's step size.</summary>
    public double LearningRate { get; init; } = 0.01;

    /// <summary>Weight of the elastic-weight-consolidation penalty (lambda / 2 * sum F (theta - theta*)^2); 0 turns it off.</summary>
    public double EwcLambda { get; init; } = 5000;

    /// <summary>Feedback examples kept for replay (FIFO); 0 turns replay off.</summary>
    public int ReplayCapacity { get; init; } = 10_000;

    /// <summary>Earlier examples replayed with each update.</summary>
    public int ReplayBatch { get; init; } = 4;

    /// <summary>Random points of the collection sampled as negatives per example.</summary>
    public int Negatives { get; init; } = 16;

    /// <summary>InfoNCE temperature, applied to scores standardised per example (so it means the same in every geometry).</summary>
    public double Temperature { get; init; } = 0.1;

    /// <summary>Consolidate (and save a version) automatically after this many updates; 0: only when asked.</summary>
    public int ConsolidateEvery { get; init; } = 1000;

    /// <summary>The A/B switch: the fraction of queries (that do not say) which use the adapter while it is enabled.</summary>
    public double AbFraction { get; init; } = 1.0;
}

/// <summary>A change to <see cref="AdapterOptions"/>: null fields keep their value.</summary>
public sealed record AdapterSettings
{
    /// <inheritdoc cref="AdapterOptions.Enabled"/>
    public bool? Enabled { get; init; }

    /// <summary>Rank 1..8; changing it for a collection that has trained adapters needs <see cref="Reset"/>.</summary>
    public int? Rank { get; init; }

    /// <inheritdoc cref="AdapterOptions.Alpha"/>
    public double? Alpha { get; init; }

    /// <inheritdoc cref="AdapterOptions.LearningRate"/>
    public double? LearningRate { get; init; }

    /// <inheritdoc cref="AdapterOptions.EwcLambda"/>
    public double? EwcLambda { get; init; }

    /// <inheritdoc cref="AdapterOptions.ReplayCapacity"/>
    public int? ReplayCapacity { get; init; }

    /// <inheritdoc cref="AdapterOptions.ReplayBatch"/>
    public int? ReplayBatch { get; init; }

    /// <inheritdoc cref="AdapterOptions.Negatives"/>
    public int? Negatives { get; init; }

    /// <inheritdoc cref="AdapterOptions.Temperature"/>
    public double? Temperature { get; init; }

    /// <inheritdoc cref="AdapterOptions.ConsolidateEvery"/>
    public int? ConsolidateEvery { get; init; }

    /// <inheritdoc cref="AdapterOptions.AbFraction"/>
    public double? AbFraction { get; init; }

    /// <summary>Discards every trained adapter, its versions and replay buffer (they start again as the identity).</summary>
    public bool Reset { get; init; }
}
