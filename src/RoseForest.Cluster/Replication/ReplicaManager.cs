using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RoseForest.Cluster.Catalog;
using RoseForest.Cluster.Log;
using RoseForest.Cluster.Routing;
using RoseForest.Engine;

namespace RoseForest.Cluster.Replication;

/// <summary>
/// This node's replicas: one <see cref="LocalReplica"/> per shard the catalogue assigns here,
/// started when an assignment appears and deleted (with its local collection) when it goes; the
/// periodic progress report; snapshot transfers from peers.
/// </summary>
internal sealed partial class ReplicaManager(
    RoseForestDatabase engine,
    IShardLog log,
    ClusterOptions options,
    ILogger logger,
    string progressFolder,
    Func<ClusterState> state,
    Func<long, PeerClient?> peer,
    Func<long> selfId) : IReplicaHost, IAsyncDisposable
{
    private readonly ConcurrentDictionary<long, LocalReplica> _replicas = new();
    private readonly SemaphoreSlim _reconcile = new(1, 1);
    private bool _sweptOrphans;

    public LocalReplica? Get(long shardId) => _replicas.TryGetValue(shardId, out var r) ? r : null;

    public IEnumerable<LocalReplica> All => _replicas.Values;

    public void Nudge(long shardId) => Get(shardId)?.Nudge();

    /// <summary>Starts replicas newly assigned here and deletes the ones no longer assigned.</summary>
    public async Task ReconcileAsync(ClusterState current, CancellationToken cancellationToken)
    {
        await _reconcile.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var self = selfId();
            var assigned = current.Shards.Values.Where(s => s.Replicas.Any(r => r.NodeId == self)).Select(s => s.Id).ToHashSet();
            foreach (var shardId in assigned)
            {
                if (!_replicas.ContainsKey(shardId))
                {
                    var replica = new LocalReplica(shardId, engine, log, this, options, logger, progressFolder);
                    _replicas[shardId] = replica;
                    replica.Start();
                }
            }

            foreach (var (shardId, replica) in _replicas)
            {
                if (!assigned.Contains(shardId) && _replicas.TryRemove(shardId, out _))
                {
                    LogDropped(logger, shardId);
                    await replica.DeleteAsync().ConfigureAwait(false);
                }
            }

            if (!_sweptOrphans)
            {
                // Local shard collections of assignments that ended while this node was down.
                _sweptOrphans = true;
                foreach (var name in engine.ListCollections())
                {
                    if (name.StartsWith("shard_", StringComparison.Ordinal) && long.TryParse(name.AsSpan(6), out var id) && !assigned.Contains(id))
                    {
                        LogDropped(logger, id);
                        await engine.DeleteCollectionAsync(name, cancellationToken).ConfigureAwait(false);
                        ReplicaProgress.Delete(progressFolder, id);
                    }
                }
            }
        }
        finally
        {
            _reconcile.Release();
        }
    }

    /// <summary>Tells the catalogue where each local replica stands (for promotion and log truncation).</summary>
    public async Task ReportAsync(CatalogStore catalog, CancellationToken cancellationToken)
    {
        var current = state();
        var self = selfId();
        var progress = new List<(long, long, long)>();
        foreach (var replica in _replicas.Values)
        {
            if (current.Shards.TryGetValue(replica.ShardId, out var shard) && shard.Replicas.FirstOrDefault(r => r.NodeId == self) is { } row)
            {
                progress.Add((replica.ShardId, row.Epoch, replica.AppliedSeq));
            }
        }

        await catalog.ReportProgressAsync(self, progress, cancellationToken).ConfigureAwait(false);
    }

    public long TruncatedSeq(long shardId) => state().Shards.TryGetValue(shardId, out var s) ? s.TruncatedSeq : 0;

    public CollectionOptions LocalOptions(long shardId)
    {
        var current = state();
        var shard = current.Shards[shardId];
        var collection = current.Collections.Values.First(c => c.Id == shard.CollectionId);

        // PostgreSQL holds the durable log: a replica's own log only saves replay after a
        // restart, so it is group-committed rather than fsynced per record.
        return collection.Options.WithDurability(Durability.Buffered);
    }

    public async Task<SnapshotTransfer> FetchSnapshotAsync(long shardId, CancellationToken cancellationToken)
    {
        var current = state();
        var self = selfId();
        var sources = current.Shards.TryGetValue(shardId, out var shard)
            ? shard.Replicas.Where(r => r.NodeId != self && r.State == ReplicaStatus.Active).Select(r => peer(r.NodeId)).OfType<PeerClient>().Where(p => !p.IsOpen).ToList()
            : [];
        if (sources.Count == 0)
        {
            throw new ReplicaUnavailableException($"shard {shardId} has no active replica on another node to copy a snapshot from.");
        }

        Directory.CreateDirectory(progressFolder);
        Exception? last = null;
        foreach (var source in sources)
        {
            var staged = Path.Combine(progressFolder, $".transfer-{shardId}-{Guid.NewGuid():N}");
            try
            {
                var (name, checksum, size, seq) = await source.CreateTransferSnapshotAsync(shardId, cancellationToken).ConfigureAwait(false);
                var localName = ShardInfo.LocalNameOf(shardId);
                await using (var remote = await source.Local.Snapshots.OpenAsync(localName, name, cancellationToken).ConfigureAwait(false))
                await using (var file = new FileStream(staged, FileMode.CreateNew, FileAccess.Write))
                {
                    await remote.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                }

                try
                {
                    await source.Local.Snapshots.DeleteAsync(localName, name, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is RoseForestException or HttpRequestException)
                {
                    LogSnapshotLeft(logger, shardId, name, e.Message);
                }

                var content = new FileStream(staged, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.DeleteOnClose);
                return new SnapshotTransfer(content, checksum, seq, size);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                File.Delete(staged);
                last = e;
            }
        }

        throw new ReplicaUnavailableException($"no peer could send a snapshot of shard {shardId}: {last?.Message}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas.Values)
        {
            await replica.DisposeAsync().ConfigureAwait(false);
        }

        _replicas.Clear();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard {Shard} is no longer assigned here: its local replica is deleted")]
    private static partial void LogDropped(ILogger logger, long shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The transfer snapshot {Name} of shard {Shard} could not be deleted on its source: {Error}")]
    private static partial void LogSnapshotLeft(ILogger logger, long shard, string name, string error);
}
