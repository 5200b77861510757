namespace RoseForest.Cluster;

/// <summary>
/// A request the cluster cannot yet answer correctly across shards (for example maximal marginal
/// relevance or a score formula, which need every shard's candidates in one place). It is a
/// <see cref="ValidationException"/>, so the REST API answers 400 with the message; the request
/// changed nothing. docs/cluster.md lists what is refused and why.
/// </summary>
public sealed class ClusterNotSupportedException : ValidationException
{
    /// <summary>Creates the exception for a field.</summary>
    public ClusterNotSupportedException(string field, string message)
        : base(field, $"{message} (not supported in cluster mode yet; see docs/cluster.md)")
    {
    }
}
