using RoseForest.Cluster.Catalog;

namespace RoseForest.Cluster;

/// <summary>
/// The cluster parameters of the requests made in a scope (the REST API fills it from Qdrant's
/// parameters; .NET callers use <see cref="Begin"/>): shard key, read consistency and token,
/// whether a write waits for its replicas, an idempotency key, and a collection's cluster
/// settings. After a write, <see cref="ResultToken"/> holds its consistency token.
/// <code>
/// using (ClusterRequest.Begin(new ClusterRequest { Consistency = new(ReadConsistencyMode.Session), Token = token }))
///     hits = await collection.SearchAsync(request);
/// </code>
/// </summary>
public sealed class ClusterRequest
{
    private static readonly AsyncLocal<ClusterRequest?> CurrentScope = new();

    /// <summary>The scope's request parameters, or null.</summary>
    public static ClusterRequest? Current => CurrentScope.Value;

    /// <summary>The shard key (its JSON text: <c>"tenant"</c> with quotes, or a number) for custom sharding.</summary>
    public string? ShardKey { get; init; }

    /// <summary>How reads choose replicas; null: one replica.</summary>
    public ReadConsistency? Consistency { get; init; }

    /// <summary>For session reads: the sequences to wait for.</summary>
    public ConsistencyToken? Token { get; init; }

    /// <summary>False: a write returns once PostgreSQL committed it, without waiting for replicas (Qdrant's wait=false).</summary>
    public bool Wait { get; init; } = true;

    /// <summary>A key that makes a retried write apply once (kept while the log holds the write).</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>
    /// Locality sharding: how many shards a nearest query visits (those whose centroids are
    /// nearest its vector); null visits every shard (the exact answer).
    /// </summary>
    public int? Probe { get; init; }

    /// <summary>For collection creation: shards, replication and write consistency.</summary>
    public ClusterCollectionSettings? CreateSettings { get; init; }

    /// <summary>Set by a write: the consistency token of what it wrote (merged over the scope's writes).</summary>
    public ConsistencyToken? ResultToken { get; set; }

    /// <summary>Makes <paramref name="request"/> current until the returned scope is disposed.</summary>
    public static IDisposable Begin(ClusterRequest request)
    {
        var previous = CurrentScope.Value;
        CurrentScope.Value = request;
        return new Scope(previous);
    }

    private sealed class Scope(ClusterRequest? previous) : IDisposable
    {
        public void Dispose() => CurrentScope.Value = previous;
    }
}
