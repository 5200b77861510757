using RoseForest.Core.Filters;
using RoseForest.Core.Payloads;
using RoseForest.Core.Spaces;
using RoseForest.Engine.Internal;

namespace RoseForest.Engine;

public sealed partial class Collection
{
    /// <summary>The last checkpoint that failed, if the most recent attempt failed (writes continue; the log still holds everything).</summary>
    public Exception? LastCheckpointError { get; private set; }

    /// <summary>
    /// The single writer: takes queued requests in order, groups them, logs each as one WAL
    /// record (one write and, in sync mode, one fsync per group), prepares vectors in free slots
    /// without blocking readers, then publishes the group under the write lock and acknowledges.
    /// A request that must read the state (a filter to resolve, ids that must exist) first closes
    /// the group before it, so it sees every earlier write applied.
    /// </summary>
    private async Task WriterLoopAsync()
    {
        var reader = _requests.Reader;
        var group = new List<WriteRequest>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (group.Count < MaxGroupRequests && reader.TryRead(out var request))
            {
                if (!request.TryStart())
                {
                    continue;
                }

                if (_fault is not null)
                {
                    request.Fail(new CollectionFaultedException(Name, _fault));
                    continue;
                }

                if (request.Kind == RequestKind.Checkpoint)
                {
                    Commit(group);
                    RunCheckpoint(request);
                    continue;
                }

                if (request.NeedsState)
                {
                    Commit(group);
                    try
                    {
                        request.Op = Resolve(request);
                    }
                    catch (RoseForestException e)
                    {
                        request.Fail(e);
                        continue;
                    }
                }

                group.Add(request);
            }

            Commit(group);
        }
    }

    private void Commit(List<WriteRequest> group)
    {
        if (group.Count == 0)
        {
            return;
        }

        try
        {
            if (_wal is not null)
            {
                foreach (var r in group)
                {
                    OpCodec.Encode(r.Op!, _encodeBuffer);
                    r.Lsn = _wal.Append(_encodeBuffer.Span);
                }

                _wal.Commit(fsync: _options.Durability == Durability.Sync);
            }
            else
            {
                var lsn = _appliedLsn;
                foreach (var r in group)
                {
                    r.Lsn = ++lsn;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _wal?.DiscardPending();
            var error = new RoseForestException($"Collection `{Name}` could not log the write, so nothing was applied: {e.Message}", e);
            foreach (var r in group)
            {
                r.Fail(error);
            }

            group.Clear();
            return;
        }

        try
        {
            Prepare(group);
            Publish(group);
        }
        catch (Exception e)
        {
            // The log holds writes the memory does not: refuse further writes until a reopen
            // replays the log.
            _fault = e;
            foreach (var r in group)
            {
                r.Fail(new CollectionFaultedException(Name, e));
            }

            group.Clear();
            return;
        }

        foreach (var r in group)
        {
            r.Complete(new UpdateResult(r.Lsn, r.Op!.PointCount));
        }

        group.Clear();
        MaybeCheckpoint();
    }

    /// <summary>Copies upserted vectors into free slots; readers do not see them yet.</summary>
    private void Prepare(List<WriteRequest> group)
    {
        var needed = 0;
        foreach (var r in group)
        {
            if (r.Op is UpsertOp u)
            {
                needed += u.Ids.Length;
            }
        }

        if (needed == 0)
        {
            return;
        }

        if (_table.NeedsGrowth(needed))
        {
            _lock.EnterWriteLock();
            try
            {
                _table.EnsureCapacity(needed);
            }
            finally
            {
                _lock.ExitWriteLock();
            }
        }

        foreach (var r in group)
        {
            if (r.Op is UpsertOp u)
            {
                var slots = new int[u.Ids.Length];
                for (var i = 0; i < slots.Length; i++)
                {
                    slots[i] = WriteVector(u, i);
                }

                r.Slots = slots;
            }
        }
    }

    private int WriteVector(UpsertOp op, int index)
    {
        var dim = _options.Dimension;
        var vector = op.Vectors.AsSpan(index * dim, dim);
        var slot = _table.AllocateSlot();
        _table.Vectors.Set(slot, vector, GeometryMath.Aux(_options.Geometry, _options.Curvature, vector));
        return slot;
    }

    /// <summary>Makes the group visible at once, in LSN order.</summary>
    private void Publish(List<WriteRequest> group)
    {
        _lock.EnterWriteLock();
        try
        {
            foreach (var r in group)
            {
                Apply(r.Op!, r.Lsn, r.Slots);
                _appliedLsn = r.Lsn;
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        _table.RecycleFreed();
    }

    /// <summary>
    /// Applies one logged operation: the same code for live writes (slots prepared) and for
    /// replay (slots taken here). Deterministic, so replay rebuilds exactly the acknowledged state.
    /// </summary>
    private void Apply(WriteOp op, long lsn, int[]? slots)
    {
        switch (op)
        {
            case UpsertOp u:
                for (var i = 0; i < u.Ids.Length; i++)
                {
                    int slot;
                    if (slots is not null)
                    {
                        slot = slots[i];
                    }
                    else
                    {
                        _table.EnsureCapacity(1);
                        slot = WriteVector(u, i);
                    }

                    _table.Publish(u.Ids[i], slot, u.Payloads[i], lsn);
                }

                break;

            case DeleteOp d:
                foreach (var id in d.Ids)
                {
                    _table.Remove(id);
                }

                break;

            case PayloadOp p:
                foreach (var id in p.Ids)
                {
                    if (!_table.TryGetSlot(id, out var slot))
                    {
                        continue;
                    }

                    var current = _table.PayloadAt(slot);
                    var next = p.Kind switch
                    {
                        OpKind.SetPayload => Payload.Merge(current, p.Payload!.Value, p.Key),
                        OpKind.OverwritePayload => p.Payload,
                        OpKind.DeletePayloadKeys => current is { } c ? Payload.DeleteKeys(c, p.Keys) : null,
                        _ => null,
                    };
                    _table.SetPayload(slot, next, lsn);
                }

                break;
        }
    }

    /// <summary>Turns a selector into ids against the current (fully applied) state.</summary>
    private WriteOp Resolve(WriteRequest request)
    {
        var selector = request.Selector!;
        PointId[] ids;
        if (selector.Filter is { } filter)
        {
            ids = MatchingIds(filter);
        }
        else
        {
            ids = [.. selector.Ids!.Distinct()];
            if (request.Kind != RequestKind.Delete)
            {
                foreach (var id in ids)
                {
                    if (!_table.Contains(id))
                    {
                        throw new PointNotFoundException(id);
                    }
                }
            }
        }

        return request.Kind switch
        {
            RequestKind.Delete => new DeleteOp(ids),
            RequestKind.SetPayload => new PayloadOp(OpKind.SetPayload, ids, request.Payload, request.Key),
            RequestKind.OverwritePayload => new PayloadOp(OpKind.OverwritePayload, ids, request.Payload),
            RequestKind.DeletePayloadKeys => new PayloadOp(OpKind.DeletePayloadKeys, ids, keys: request.Keys),
            RequestKind.ClearPayload => new PayloadOp(OpKind.ClearPayload, ids),
            _ => throw new InvalidOperationException($"{request.Kind} needs no resolution"),
        };
    }

    /// <summary>Ids of live points matching a filter. The writer reads without a lock: it is the only mutator.</summary>
    private PointId[] MatchingIds(Filter filter)
    {
        var ids = new List<PointId>();
        for (var slot = 0; slot < _table.SlotCount; slot++)
        {
            if (_table.IsLive(slot) && filter.Matches(_table.IdAt(slot), _table.PayloadAt(slot)))
            {
                ids.Add(_table.IdAt(slot));
            }
        }

        return [.. ids];
    }

    private void RunCheckpoint(WriteRequest request)
    {
        try
        {
            request.Snapshot = Checkpoint();
            request.Complete(new UpdateResult(_appliedLsn, 0));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or RoseForestException)
        {
            request.Fail(e is RoseForestException ? e : new RoseForestException($"Collection `{Name}` could not write a snapshot: {e.Message}", e));
        }
    }

    private void MaybeCheckpoint()
    {
        if (_wal is null || _wal.TotalBytes < _options.CheckpointWalBytes)
        {
            return;
        }

        try
        {
            Checkpoint();
            LastCheckpointError = null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LastCheckpointError = e;
        }
    }

    /// <summary>
    /// Writes a snapshot of the applied state and drops the log it covers: rotate the log so the
    /// snapshot's LSN ends a closed segment, write the snapshot (tmp, fsync, rename, fsync dir),
    /// then delete older snapshots and the covered segments. Runs on the writer (or at close).
    /// </summary>
    private SnapshotInfo Checkpoint()
    {
        if (_wal is null || _checkpoints is null)
        {
            throw new ValidationException("snapshot", "a memory collection keeps no files, so it has no snapshots.");
        }

        var lsn = _appliedLsn;
        _wal.Rotate();
        var file = _checkpoints.Write(lsn, w => SnapshotCodec.Write(w, _options, _table));
        _checkpoints.DeleteOlderThan(file);
        _wal.DropThrough(lsn);
        _checkpointLsn = lsn;
        return new SnapshotInfo(file.Name, file.Path, file.Lsn, file.Bytes);
    }
}
