namespace RoseForest.Cluster;

/// <summary>
/// Settings of one cluster node. The defaults suit a small cluster on a LAN; tests shorten the
/// timings. Every interval is measured with <see cref="TimeProvider"/>; node leases are judged
/// by PostgreSQL's clock, so the nodes' clocks need not agree.
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>The PostgreSQL connection string (Npgsql syntax) of the cluster's catalogue and logs.</summary>
    public required string ConnectionString { get; init; }

    /// <summary>The address peers use to reach this node's HTTP API (default: the address the server listens on).</summary>
    public Uri? AdvertisedUrl { get; init; }

    /// <summary>The API key peers send to each other (every node of a cluster shares it); null when the servers need none.</summary>
    public string? ApiKey { get; init; }

    /// <summary>How often the node renews its lease. Default 1 s.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a heartbeat keeps a node alive; after it, the node counts as down. Default 5 s.</summary>
    public TimeSpan NodeLease { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the catalogue is re-read even without a notification. Default 1 s.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the controller (when this node holds the lock) runs its duties. Default 1 s.</summary>
    public TimeSpan ControllerInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a replica stays Dead before the controller drops it and places a replacement. Default 30 s.</summary>
    public TimeSpan ReplaceDeadAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A Partial replica within this many log records of the shard's head is promoted to Active. Default 64.</summary>
    public long CatchUpLag { get; init; } = 64;

    /// <summary>How long a write waits for write_consistency_factor replicas to apply it. Default 10 s.</summary>
    public TimeSpan WriteAckTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The timeout of one read attempt on one node. Default 5 s.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a session or strong read waits for a replica to reach its sequence. Default 10 s.</summary>
    public TimeSpan ReadWaitTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a node's circuit stays open before a half-open probe. Default 2 s.</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Records a replica applies per batch read from its log. Default 256.</summary>
    public int ApplyBatch { get; init; } = 256;

    /// <summary>How often replicas report their applied sequence to the catalogue. Default 500 ms.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The clock for every interval, timeout and latency measurement here.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Checks the settings; throws <see cref="ValidationException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ValidationException("cluster", "a PostgreSQL connection string is required.");
        }

        if (HeartbeatInterval <= TimeSpan.Zero || NodeLease <= HeartbeatInterval)
        {
            throw new ValidationException("cluster.node_lease", "the lease must be longer than the heartbeat interval.");
        }

        if (CatchUpLag < 0 || ApplyBatch < 1)
        {
            throw new ValidationException("cluster", "catch_up_lag must be >= 0 and apply_batch >= 1.");
        }
    }
}
