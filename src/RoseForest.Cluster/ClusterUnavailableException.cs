namespace RoseForest.Cluster;

/// <summary>
/// The cluster cannot serve the request now (no active replica of a shard, a write not applied by
/// enough replicas in time, PostgreSQL unreachable). The REST API answers 503 with the message.
/// A write that fails this way after it was committed says so and gives its operation id: it
/// will still be applied.
/// </summary>
public sealed class ClusterUnavailableException : RoseForestException
{
    /// <summary>Creates the exception.</summary>
    public ClusterUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public ClusterUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
