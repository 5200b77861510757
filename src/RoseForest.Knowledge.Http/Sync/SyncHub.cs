using Microsoft.Extensions.Logging;
using RoseForest.Knowledge.Http.Points;
using RoseForest.Knowledge.Http.Store;
using RoseForest.Knowledge.Sync;

namespace RoseForest.Knowledge.Http.Sync;

/// <summary>
/// This node's replicated scopes: the knowledge state and the collections being synced. A
/// collection's replica is opened the first time a job or a peer touches it (or at start, when it
/// was synced before) and from then on a background tracker follows the engine's change feed with a
/// long poll, so local writes get their stamps when they happen rather than at the next sync.
/// Sync state lives in <c>&lt;data&gt;/sync/collections/&lt;name&gt;/</c>.
/// </summary>
internal sealed partial class SyncHub : IAsyncDisposable
{
    private readonly IVectorDatabase _db;
    private readonly string? _dataPath;
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxClockDrift;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, CollectionReplica> _replicas = new(StringComparer.Ordinal);
    private readonly List<Task> _trackers = [];
    private readonly CancellationTokenSource _stopping = new();

    public SyncHub(string nodeId, KnowledgeNode.KnowledgeNode knowledge, IVectorDatabase db, string? dataPath, TimeProvider time, TimeSpan maxClockDrift, ILogger logger)
    {
        NodeId = nodeId;
        Knowledge = knowledge;
        _db = db;
        _dataPath = dataPath;
        _time = time;
        _maxClockDrift = maxClockDrift;
        _logger = logger;
    }

    /// <summary>This node's id.</summary>
    public string NodeId { get; }

    /// <summary>The knowledge scope.</summary>
    public KnowledgeNode.KnowledgeNode Knowledge { get; }

    /// <summary>Opens the replicas of collections synced by an earlier run, so their trackers run again.</summary>
    public async Task ResumeAsync(CancellationToken cancellationToken)
    {
        if (_dataPath is null || !Directory.Exists(CollectionsFolder))
        {
            return;
        }

        foreach (var folder in Directory.GetDirectories(CollectionsFolder))
        {
            var name = Path.GetFileName(folder);
            try
            {
                await ReplicaAsync(name, cancellationToken).ConfigureAwait(false);
            }
            catch (NotFoundException)
            {
                // ReplicaAsync dropped the state of a collection that no longer exists.
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A faulted collection (or damaged sync state) must not stop the server: the next job or peer that needs it retries.
                LogResumeFailure(_logger, name, e);
            }
        }
    }

    /// <summary>The collections that can be synced (internal ones, such as the knowledge index, left out) and their shapes.</summary>
    public async Task<IReadOnlyDictionary<string, CollectionShape>> CollectionsAsync(CancellationToken cancellationToken)
    {
        var shapes = new SortedDictionary<string, CollectionShape>(StringComparer.Ordinal);
        foreach (var name in await _db.ListCollectionsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!IsInternal(name))
            {
                try
                {
                    shapes[name] = CollectionShape.Of(await _db.GetCollectionInfoAsync(name, cancellationToken).ConfigureAwait(false));
                }
                catch (CollectionFaultedException)
                {
                    // A faulted collection cannot sync until it is recovered.
                }
            }
        }

        return shapes;
    }

    /// <summary>
    /// Prepares a collection for sync: creates it when it is missing and <paramref name="create"/>
    /// gives a shape, refuses a shape that differs from the existing one, opens its replica and
    /// sets the conflict strategy.
    /// </summary>
    public async Task<CollectionReplica> PrepareAsync(string collection, CollectionShape? create, ConflictStrategy? strategy, CancellationToken cancellationToken)
    {
        CheckName(collection);
        if (!await _db.CollectionExistsAsync(collection, cancellationToken).ConfigureAwait(false))
        {
            if (create is null)
            {
                throw new CollectionNotFoundException(collection);
            }

            try
            {
                await _db.CreateCollectionAsync(collection, create.ToOptions(), cancellationToken).ConfigureAwait(false);
            }
            catch (CollectionAlreadyExistsException)
            {
                // Created concurrently by another job: the shape check below decides.
            }
        }

        var replica = await ReplicaAsync(collection, cancellationToken).ConfigureAwait(false);
        if (create is not null && !replica.Shape.IsCompatibleWith(create))
        {
            throw new ValidationException("collection", $"`{collection}` is {replica.Shape} here and {create} on the other side: sync works only between collections of the same geometry and dimension.");
        }

        if (strategy is { } s)
        {
            await replica.SetStrategyAsync(s, cancellationToken).ConfigureAwait(false);
        }

        return replica;
    }

    /// <summary>The replica of an existing collection, opened on first use.</summary>
    public async Task<CollectionReplica> ReplicaAsync(string collection, CancellationToken cancellationToken)
    {
        CheckName(collection);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            var exists = await _db.CollectionExistsAsync(collection, cancellationToken).ConfigureAwait(false);
            if (_replicas.TryGetValue(collection, out var open))
            {
                if (exists)
                {
                    return open;
                }

                _replicas.Remove(collection);
                await open.DisposeAsync().ConfigureAwait(false);
            }

            if (!exists)
            {
                DropState(collection);
                throw new CollectionNotFoundException(collection);
            }

            var info = await _db.GetCollectionInfoAsync(collection, cancellationToken).ConfigureAwait(false);
            ISyncLog log = _dataPath is null || info.Durability == Durability.Memory
                ? new MemorySyncLog()
                : FileSyncLog.Open(Path.Combine(CollectionsFolder, collection));
            var replica = await CollectionReplica.OpenAsync(collection, NodeId, _db, log, _time, _maxClockDrift, _logger, cancellationToken).ConfigureAwait(false);
            _replicas[collection] = replica;
            _trackers.Add(Task.Run(() => TrackLoopAsync(replica, _stopping.Token), CancellationToken.None));
            return replica;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_trackers).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        foreach (var replica in _replicas.Values)
        {
            await replica.DisposeAsync().ConfigureAwait(false);
        }

        _replicas.Clear();
        _stopping.Dispose();
    }

    /// <summary>True for collections that are derived or private to this node and never synced.</summary>
    public static bool IsInternal(string collection) => collection.StartsWith('_');

    private string CollectionsFolder => Path.Combine(_dataPath!, "sync", "collections");

    private async Task TrackLoopAsync(CollectionReplica replica, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await replica.WaitForLocalWritesAsync(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                await replica.TrackAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (NotFoundException)
            {
                return; // the collection was deleted; the next ReplicaAsync drops its state
            }
            catch (Exception e)
            {
                LogTrackerFailure(_logger, replica.Collection, e);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void DropState(string collection)
    {
        if (_dataPath is not null && Directory.Exists(Path.Combine(CollectionsFolder, collection)))
        {
            Directory.Delete(Path.Combine(CollectionsFolder, collection), recursive: true);
        }
    }

    private static void CheckName(string collection)
    {
        CollectionOptions.ValidateName(collection);
        if (IsInternal(collection))
        {
            throw new ValidationException("collection", $"`{collection}` is internal to this node (names starting with '_' are not synced).");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not resume syncing collection {Collection}; it is retried when a job or a peer needs it")]
    private static partial void LogResumeFailure(ILogger logger, string collection, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tracking local writes of collection {Collection} failed; retrying")]
    private static partial void LogTrackerFailure(ILogger logger, string collection, Exception error);
}
