namespace RoseForest.Cluster.Catalog;

/// <summary>
/// One consistent read of the catalogue (a repeatable-read transaction), immutable: the router
/// and the replica manager work from the newest one. Ages are PostgreSQL's clock minus the
/// recorded time, measured when the state was read (<see cref="ReadAt"/> on this node's clock).
/// </summary>
internal sealed class ClusterState
{
    public ClusterState(
        string clusterId,
        IReadOnlyList<NodeInfo> nodes,
        IReadOnlyList<CollectionEntry> collections,
        IReadOnlyList<TransferInfo> transfers,
        long? controllerId,
        long readAt,
        IReadOnlyDictionary<string, string>? aliases = null)
    {
        Aliases = aliases ?? new Dictionary<string, string>(StringComparer.Ordinal);
        ClusterId = clusterId;
        Nodes = nodes.ToDictionary(n => n.Id);
        Collections = collections.ToDictionary(c => c.Name, StringComparer.Ordinal);
        Shards = collections.SelectMany(c => c.Shards).ToDictionary(s => s.Id);
        Transfers = transfers;
        ControllerId = controllerId;
        ReadAt = readAt;
    }

    /// <summary>An empty state, before the first read.</summary>
    public static ClusterState Empty { get; } = new(string.Empty, [], [], [], null, 0);

    /// <summary>Collection aliases: alias name to collection name.</summary>
    public IReadOnlyDictionary<string, string> Aliases { get; }

    /// <summary>The collection a name stands for: the target of an alias of that name, else the name itself.</summary>
    public string Resolve(string name) => Aliases.TryGetValue(name, out var target) ? target : name;

    /// <summary>The cluster's id (a UUID made when the schema was created).</summary>
    public string ClusterId { get; }

    /// <summary>The nodes that ever joined, by peer id.</summary>
    public IReadOnlyDictionary<long, NodeInfo> Nodes { get; }

    /// <summary>The collections by name.</summary>
    public IReadOnlyDictionary<string, CollectionEntry> Collections { get; }

    /// <summary>Every shard by id.</summary>
    public IReadOnlyDictionary<long, ShardInfo> Shards { get; }

    /// <summary>Requested moves, replications and drops the controller has not finished.</summary>
    public IReadOnlyList<TransferInfo> Transfers { get; }

    /// <summary>The node that last took the controller lock.</summary>
    public long? ControllerId { get; }

    /// <summary>When this state was read (TimeProvider timestamp of the reading node).</summary>
    public long ReadAt { get; }
}

/// <summary>A node: its peer id, the URL peers reach it at, and how old its last heartbeat was.</summary>
internal sealed record NodeInfo(long Id, Uri Url, TimeSpan HeartbeatAge);

/// <summary>A replica's state, as Qdrant names them.</summary>
internal enum ReplicaStatus
{
    /// <summary>Caught up (within the catch-up lag); serves reads.</summary>
    Active,

    /// <summary>Catching up by log replay or snapshot transfer; not read from.</summary>
    Partial,

    /// <summary>Its node's lease expired; replaced after a while.</summary>
    Dead,
}

/// <summary>One replica assignment.</summary>
internal sealed record ReplicaInfo(long ShardId, long NodeId, ReplicaStatus State, long Epoch, long AppliedSeq, TimeSpan StateAge, bool ReportedInState = true);

/// <summary>One shard: its log's head and truncation point, and its replicas.</summary>
internal sealed record ShardInfo(long Id, long CollectionId, int Number, string? ShardKey, int ReplicationFactor, long LastSeq, long TruncatedSeq, IReadOnlyList<ReplicaInfo> Replicas)
{
    /// <summary>The local engine collection that holds this shard's replica on a node.</summary>
    public string LocalName => LocalNameOf(Id);

    /// <summary>The local collection name of a shard id.</summary>
    public static string LocalNameOf(long shardId) => $"shard_{shardId}";
}

/// <summary>How a collection's points are spread over its shards.</summary>
public enum ShardingMethod
{
    /// <summary>By a hash of the point id over <c>shard_number</c> shards.</summary>
    Auto,

    /// <summary>By the request's shard key; within a key's shards, by a hash of the id.</summary>
    Custom,

    /// <summary>
    /// RoseForest's extension: by vector region. The first upsert trains <c>shard_number</c>
    /// k-means centroids (kept in the catalogue); a point goes to the shard of its nearest
    /// centroid, and a query may visit only the shards nearest to it.
    /// </summary>
    Locality,
}

/// <summary>A collection in the catalogue.</summary>
internal sealed record CollectionEntry(
    long Id,
    string Name,
    CollectionOptions Options,
    int ShardNumber,
    int ReplicationFactor,
    int WriteConsistencyFactor,
    ShardingMethod Sharding,
    IReadOnlyList<ShardInfo> Shards)
{
    /// <summary>The collection's payload indexes by field name (every shard's log holds their create records).</summary>
    public IReadOnlyDictionary<string, PayloadIndexParams> PayloadIndexes { get; init; } = new Dictionary<string, PayloadIndexParams>(StringComparer.Ordinal);

    /// <summary>Locality sharding: the shard centroids, once the first upsert trained them.</summary>
    public Locality.Centroids? Centroids { get; init; }
}

/// <summary>A requested shard operation (POST /collections/{name}/cluster).</summary>
internal sealed record TransferInfo(long Id, long ShardId, string Kind, long? FromNode, long? ToNode);
