using RoseForest.Cluster.Catalog;

namespace RoseForest.Cluster;

/// <summary>
/// The cluster as an <see cref="IVectorDatabase"/>: collections live in the catalogue, their
/// points in shards replicated over the nodes. Any node accepts any request and routes it.
/// Snapshots, the change feed and recover are per node (the engine's) and are refused here with
/// a message saying so.
/// </summary>
internal sealed partial class ClusterDatabase(ClusterNode node) : IVectorDatabase
{
    /// <summary>The most shards per collection (or per shard key).</summary>
    public const int MaxShards = 256;

    public ISnapshotCatalog Snapshots { get; } = new UnsupportedInCluster();

    public IChangeFeed Changes { get; } = new UnsupportedInCluster();

    public Task<IReadOnlyList<string>> ListCollectionsAsync(CancellationToken cancellationToken = default)
    {
        node.ThrowIfNotJoined();
        return Task.FromResult<IReadOnlyList<string>>([.. node.State.Collections.Keys.Order(StringComparer.Ordinal)]);
    }

    public async Task CreateCollectionAsync(string name, CollectionOptions options, CancellationToken cancellationToken = default)
    {
        node.ThrowIfNotJoined();
        CollectionOptions.ValidateName(name);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Durability == Durability.Memory)
        {
            throw new ValidationException("durability", "memory collections cannot be replicated (a new replica is copied from a snapshot); use sync or buffered.");
        }

        var upNodes = node.State.Nodes.Values.Count(n => node.IsUp(n.Id));
        var settings = ClusterRequest.Current?.CreateSettings ?? new ClusterCollectionSettings(0, 1, 1, ShardingMethod.Auto);
        if (settings.ShardNumber == 0)
        {
            // Qdrant's default in a cluster: one shard per node.
            settings = settings with { ShardNumber = Math.Max(1, upNodes) };
        }

        Validate(settings);
        if (settings.Sharding == ShardingMethod.Locality)
        {
            ValidateLocality(options);
        }

        await node.Catalog.CreateCollectionAsync(name, options, settings, cancellationToken).ConfigureAwait(false);
        await node.RefreshAsync(cancellationToken).ConfigureAwait(false);
        await WaitForActiveAsync(name, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteCollectionAsync(string name, CancellationToken cancellationToken = default)
    {
        node.ThrowIfNotJoined();
        var deleted = await node.Catalog.DeleteCollectionAsync(name, cancellationToken).ConfigureAwait(false);
        await node.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    public async Task<bool> CollectionExistsAsync(string name, CancellationToken cancellationToken = default) =>
        await TryEntryAsync(name, cancellationToken).ConfigureAwait(false) is not null;

    public async Task<CollectionInfo> GetCollectionInfoAsync(string name, CancellationToken cancellationToken = default)
    {
        // Info reports catalogue state (payload schema, shards) changed through any node: read it fresh.
        await node.RefreshAsync(cancellationToken).ConfigureAwait(false);
        var entry = await TryEntryAsync(name, cancellationToken).ConfigureAwait(false) ?? throw new CollectionNotFoundException(name);
        name = entry.Name;
        var collection = new ClusterCollection(node, name);
        var count = await collection.CountAsync(null, cancellationToken).ConfigureAwait(false);
        var payloadSchema = new Dictionary<string, PayloadIndexInfo>(StringComparer.Ordinal);
        foreach (var (field, schema) in entry.PayloadIndexes)
        {
            // Points with a value at the field, counted across the shards (the engine counts the points its index holds).
            var holding = await collection.CountAsync(new Core.Filters.Filter(mustNot: [new Core.Filters.IsEmptyCondition(Core.Payloads.PayloadPath.Parse(field, "field_name"))]), cancellationToken).ConfigureAwait(false);
            payloadSchema[field] = new PayloadIndexInfo(schema, holding);
        }

        var missing = entry.Shards.Where(s => !s.Replicas.Any(r => r.State == ReplicaStatus.Active)).Select(s => s.Number).ToList();
        return new CollectionInfo(name, count, entry.Options.Dimension, entry.Options.Geometry, entry.Options.Curvature, entry.Options.Durability, entry.Shards.Sum(s => s.LastSeq), 0, 0)
        {
            Options = entry.Options,
            PayloadSchema = payloadSchema,
            Status = missing.Count == 0 ? CollectionStatus.Green : CollectionStatus.Faulted,
            Fault = missing.Count == 0 ? null : $"shards {string.Join(", ", missing)} have no active replica.",
        };
    }

    public Task<RecoveryResult> RecoverCollectionAsync(string name, bool salvage = false, CancellationToken cancellationToken = default) =>
        throw new ValidationException("recover", "in cluster mode replicas recover by themselves (log replay or a snapshot from a peer); recover applies to an embedded database.");

    public IVectorCollection GetCollection(string name)
    {
        node.ThrowIfNotJoined();
        return new ClusterCollection(node, name);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    internal static void Validate(ClusterCollectionSettings settings)
    {
        if (settings.ShardNumber is < 1 or > MaxShards)
        {
            throw new ValidationException("shard_number", $"must be between 1 and {MaxShards}, got {settings.ShardNumber}.");
        }

        if (settings.ReplicationFactor is < 1 or > 16)
        {
            throw new ValidationException("replication_factor", $"must be between 1 and 16, got {settings.ReplicationFactor}.");
        }

        if (settings.WriteConsistencyFactor < 1 || settings.WriteConsistencyFactor > settings.ReplicationFactor)
        {
            throw new ValidationException("write_consistency_factor", $"must be between 1 and the replication factor ({settings.ReplicationFactor}), got {settings.WriteConsistencyFactor}.");
        }
    }

    /// <summary>Locality sharding places points by one dense float vector in a geometry where k-means regions make sense.</summary>
    private static void ValidateLocality(CollectionOptions options)
    {
        if (options.NamedVectors.Count > 0 || options.SparseVectors.Count > 0 || options.Multivector is not null || options.Datatype != VectorDatatype.Float32 || options.Dimension < 1)
        {
            throw new ValidationException("sharding_method", "locality sharding needs a collection with one unnamed dense float32 vector.");
        }

        if (!Locality.Centroids.Supports(options.Geometry))
        {
            throw new ValidationException("sharding_method", $"locality sharding supports Euclid, Cosine and Dot collections, not {options.Geometry}.");
        }
    }

    internal async Task<CollectionEntry?> TryEntryAsync(string name, CancellationToken cancellationToken)
    {
        node.ThrowIfNotJoined();
        if (node.State.Collections.TryGetValue(node.State.Resolve(name), out var entry))
        {
            return entry;
        }

        // Created a moment ago through another node: the notification may not have arrived yet.
        await node.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return node.State.Collections.GetValueOrDefault(node.State.Resolve(name));
    }

    /// <summary>A new collection answers once each shard has an active replica (Qdrant's create also waits for its shards).</summary>
    internal async Task WaitForActiveAsync(string name, CancellationToken cancellationToken)
    {
        var deadline = node.Time.GetTimestamp();
        while (true)
        {
            if (node.State.Collections.TryGetValue(name, out var entry) && entry.Shards.All(s => s.Replicas.Any(r => r.State == ReplicaStatus.Active)))
            {
                return;
            }

            if (node.Time.GetElapsedTime(deadline) > TimeSpan.FromSeconds(30))
            {
                throw new ClusterUnavailableException($"collection {name} was created, but not every shard has an active replica yet (are nodes up?).");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), node.Time, cancellationToken).ConfigureAwait(false);
            await node.RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The engine's per-node snapshot catalogue and change feed do not span a cluster.</summary>
    private sealed class UnsupportedInCluster : ISnapshotCatalog, IChangeFeed
    {
        private const string Why = "not available in cluster mode: snapshots and the change feed are per node; a cluster replicates through its PostgreSQL shard logs.";

        public Task<SnapshotDescription> CreateAsync(string collection, CancellationToken cancellationToken = default) => throw Refused("snapshots");

        public Task StartCreateAsync(string collection, CancellationToken cancellationToken = default) => throw Refused("snapshots");

        public Task<IReadOnlyList<SnapshotDescription>> ListAsync(string collection, CancellationToken cancellationToken = default) => throw Refused("snapshots");

        public Task<bool> DeleteAsync(string collection, string snapshot, CancellationToken cancellationToken = default) => throw Refused("snapshots");

        public Task<Stream> OpenAsync(string collection, string snapshot, CancellationToken cancellationToken = default) => throw Refused("snapshots");

        public Task RestoreAsync(string collection, Stream snapshot, string? checksum = null, CancellationToken cancellationToken = default) => throw Refused("snapshots");

        public Task RestoreFromCatalogAsync(string collection, string location, string? checksum = null, CancellationToken cancellationToken = default) => throw Refused("snapshots");

        public Task<ChangeBatch> ReadAsync(string collection, long fromLsn, int maxRecords, TimeSpan wait, CancellationToken cancellationToken = default) => throw Refused("changes");

        public Task RegisterFollowerAsync(string collection, string follower, long nextLsn, CancellationToken cancellationToken = default) => throw Refused("changes");

        public Task<bool> RemoveFollowerAsync(string collection, string follower, CancellationToken cancellationToken = default) => throw Refused("changes");

        private static ValidationException Refused(string field) => new(field, Why);
    }
}
