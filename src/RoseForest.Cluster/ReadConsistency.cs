namespace RoseForest.Cluster;

/// <summary>How a read chooses its replicas (Qdrant's <c>consistency</c> parameter plus RoseForest's session and strong modes).</summary>
public enum ReadConsistencyMode
{
    /// <summary>Read <see cref="ReadConsistency.Factor"/> active replicas of each shard; answer from the most advanced one.</summary>
    Factor,

    /// <summary>Every active replica of each shard.</summary>
    All,

    /// <summary>A majority (n/2 + 1) of each shard's active replicas.</summary>
    Majority,

    /// <summary>Like <see cref="Majority"/> (Qdrant's quorum).</summary>
    Quorum,

    /// <summary>One replica that has applied the request's consistency token (read-your-writes).</summary>
    Session,

    /// <summary>One replica that has applied the shard's last committed sequence at the start of the read.</summary>
    Strong,
}

/// <summary>A read consistency: a mode and, for <see cref="ReadConsistencyMode.Factor"/>, how many replicas.</summary>
/// <param name="Mode">The mode.</param>
/// <param name="Factor">Replicas per shard for <see cref="ReadConsistencyMode.Factor"/>.</param>
public sealed record ReadConsistency(ReadConsistencyMode Mode, int Factor = 1)
{
    /// <summary>One replica, no waiting: Qdrant's default.</summary>
    public static ReadConsistency Default { get; } = new(ReadConsistencyMode.Factor, 1);

    /// <summary>Parses Qdrant's values (a number, <c>all</c>, <c>majority</c>, <c>quorum</c>) and <c>session</c>, <c>strong</c>.</summary>
    public static ReadConsistency Parse(string text) => text switch
    {
        "all" => new(ReadConsistencyMode.All),
        "majority" => new(ReadConsistencyMode.Majority),
        "quorum" => new(ReadConsistencyMode.Quorum),
        "session" => new(ReadConsistencyMode.Session),
        "strong" => new(ReadConsistencyMode.Strong),
        _ when int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 64 => new(ReadConsistencyMode.Factor, n),
        _ => throw new ValidationException("consistency", $"expected a number from 1 to 64, all, majority, quorum, session or strong, got '{text}'."),
    };

    /// <summary>How many of <paramref name="active"/> replicas a read of this consistency asks.</summary>
    public int ReplicasFor(int active) => Mode switch
    {
        ReadConsistencyMode.All => active,
        ReadConsistencyMode.Majority or ReadConsistencyMode.Quorum => (active / 2) + 1,
        ReadConsistencyMode.Factor => Factor,
        _ => 1,
    };
}
