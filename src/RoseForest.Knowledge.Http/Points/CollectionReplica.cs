using Microsoft.Extensions.Logging;
using RoseForest.Knowledge.Crdt;
using RoseForest.Knowledge.Http.Geometry;
using RoseForest.Knowledge.Http.Store;
using RoseForest.Knowledge.Points;
using RoseForest.Knowledge.Sync;

namespace RoseForest.Knowledge.Http.Points;

/// <summary>
/// One collection's points as replicated CRDT records on this node (docs/knowledge.md, "Sync of
/// collections"). The engine stays the source of truth for local writes: the <em>tracker</em>
/// follows the engine's change feed and turns each committed write into record writes stamped by
/// this node's clock. Records merged from peers are <em>materialized</em> back into the engine as
/// upserts and deletes; the tracker recognises those writes by their LSN (echoes) and does not
/// count them as local. The feed peers read is CouchDB-like: each record carries the sequence
/// number of its latest change, and a read returns the current record of every change after a
/// checkpoint. State, sequence numbers, checkpoints and the tracker's position are kept in an
/// <see cref="ISyncLog"/>, each commit in one durable record. All access goes through one lock.
/// </summary>
internal sealed partial class CollectionReplica : IAsyncDisposable
{
    private readonly IVectorDatabase _db;
    private readonly ISyncLog _log;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxClockDrift;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, Slot> _records = new(StringComparer.Ordinal);
    private readonly SortedSet<(long Seq, string Id)> _bySeq = [];
    private readonly Dictionary<(string Source, string Key), long> _checkpoints = [];
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly HashSet<long> _echoes = [];
    private readonly HashSet<string> _materializing = new(StringComparer.Ordinal);
    private IVectorGeometry _geometry;
    private long _lastSeq;
    private long _trackedLsn;
    private long _committedTrackedLsn;
    private long _pinnedLsn;
    private bool _checkpointsDirty;
    private bool _trackedDirty;
    private bool _disposed;

    private CollectionReplica(string collection, string nodeId, CollectionShape shape, IVectorDatabase db, ISyncLog log, TimeProvider time, TimeSpan maxClockDrift, ILogger logger)
    {
        Collection = collection;
        NodeId = nodeId;
        Shape = shape;
        _db = db;
        _log = log;
        _time = time;
        _maxClockDrift = maxClockDrift;
        _logger = logger;
        Clock = new HybridLogicalClock(nodeId, time);
        _geometry = VectorGeometries.For(shape.Geometry, shape.Curvature);
    }

    /// <summary>The collection.</summary>
    public string Collection { get; }

    /// <summary>This node.</summary>
    public string NodeId { get; }

    /// <summary>The collection's geometry, dimension and curvature.</summary>
    public CollectionShape Shape { get; }

    /// <summary>How concurrent versions are read into the engine (set by the sync jobs).</summary>
    public ConflictStrategy Strategy { get; private set; } = ConflictStrategy.Crdt;

    /// <summary>The node's clock for this collection's records.</summary>
    public HybridLogicalClock Clock { get; }

    /// <summary>The sequence number of the latest change.</summary>
    public long LastSequence => _lastSeq;

    /// <summary>The follower name this node pins the engine's change feed with.</summary>
    public string FollowerName => "sync-" + NodeId;

    /// <summary>
    /// Opens the replica of a collection: loads its log, catches the tracker up with the engine
    /// (starting with a full scan the first time), and repairs any merged record the engine missed
    /// because the process stopped between the two writes.
    /// </summary>
    public static async Task<CollectionReplica> OpenAsync(
        string collection, string nodeId, IVectorDatabase db, ISyncLog log, TimeProvider time, TimeSpan maxClockDrift, ILogger logger, CancellationToken cancellationToken)
    {
        var info = await db.GetCollectionInfoAsync(collection, cancellationToken).ConfigureAwait(false);
        var replica = new CollectionReplica(collection, nodeId, CollectionShape.Of(info), db, log, time, maxClockDrift, logger);
        try
        {
            replica.Load();
            await replica._gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                replica.IsMemoryCollection = info.Durability == Durability.Memory;
                await replica.CatchUpAsync(cancellationToken).ConfigureAwait(false);
                if (replica._materializing.Count > 0)
                {
                    // The process stopped between committing merged records and writing them to the engine.
                    await replica.MaterializeAsync([.. replica._materializing], cancellationToken).ConfigureAwait(false);
                    replica._materializing.Clear();
                    replica._trackedDirty = true;
                    await replica.CatchUpAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                replica._gate.Release();
            }

            return replica;
        }
        catch
        {
            await replica.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sets the strategy the engine reads concurrent versions with; re-materializes conflicted points.</summary>
    public async Task SetStrategyAsync(ConflictStrategy strategy, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (strategy == Strategy)
            {
                return;
            }

            Strategy = strategy;
            _checkpointsDirty = true;
            Commit();
            await MaterializeAsync([.. _records.Where(r => r.Value.Record.HasConflicts).Select(r => r.Key)], cancellationToken).ConfigureAwait(false);
            await CatchUpAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Brings the records up to date with local writes (used by the background tracker).</summary>
    public async Task TrackAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CatchUpAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Waits for the engine's next committed write after the tracker's position (a long poll), or for the timeout.</summary>
    public async Task WaitForLocalWritesAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            await _db.Changes.ReadAsync(Collection, Math.Max(1, Volatile.Read(ref _trackedLsn)), 1, wait, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ValidationException or ChangeFeedGapException)
        {
            // A memory collection has no feed and a gap is handled by the next catch-up: poll instead.
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _log.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    private PointView Resolve(PointRecord record) => PointResolver.Resolve(record, Strategy, _geometry);

    private Slot SlotFor(string id)
    {
        if (!_records.TryGetValue(id, out var slot))
        {
            slot = new Slot(new PointRecord(), 0);
            _records[id] = slot;
        }

        return slot;
    }

    /// <summary>Gives a changed record the next sequence number and marks it for the next commit.</summary>
    private void MarkChanged(string id)
    {
        var slot = _records[id];
        if (slot.Seq != 0)
        {
            _bySeq.Remove((slot.Seq, id));
        }

        slot.Seq = ++_lastSeq;
        _bySeq.Add((slot.Seq, id));
        _dirty.Add(id);
    }

    private sealed class Slot(PointRecord record, long seq)
    {
        public PointRecord Record { get; set; } = record;

        public long Seq { get; set; } = seq;
    }
}
