namespace RoseForest.Knowledge.Sync;

/// <summary>Settings of a <see cref="ReplicationJob"/>.</summary>
public sealed record ReplicationOptions
{
    /// <summary>Most changes read in one batch.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Whether to pull the remote feed (default true).</summary>
    public bool Pull { get; init; } = true;

    /// <summary>Whether to push the local feed (default true).</summary>
    public bool Push { get; init; } = true;
}
