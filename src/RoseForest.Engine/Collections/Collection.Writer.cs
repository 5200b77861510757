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
    /// A request that must read the state (a filter to resolve, ids that must exist, a payload
    /// edit to compute) first closes the group before it, so it sees every earlier write applied.
    /// The invariant "a logged record always applies" is kept here: every operation is
    /// <see cref="Stage">staged</see> against the state it will apply to before it is logged,
    /// and <see cref="Apply"/> of a staged operation cannot fail on its content.
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

                if (request.Kind == RequestKind.Maintenance)
                {
                    Commit(group);
                    RunMaintenanceRequest(request);
                    continue;
                }

                try
                {
                    Relayout(request);
                }
                catch (ValidationException e)
                {
                    request.Fail(e);
                    continue;
                }

                if (request.NeedsState)
                {
                    Commit(group);
                    try
                    {
                        var op = Resolve(request);
                        Stage(op);
                        request.Op = op;
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        // Refused before anything was logged: the collection is unchanged.
                        request.Fail(e is RoseForestException ? e : new RoseForestException($"Collection `{Name}` could not prepare the write, so nothing was logged: {e.Message}", e));
                        continue;
                    }
                }

                group.Add(request);
                if (request.Op is ConfigOp)
                {
                    // Writes after a configuration change are prepared and logged with the new layout.
                    Commit(group);
                }
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
                long bytes = 0;
                foreach (var r in group)
                {
                    OpCodec.Encode(r.Op!, Layout, _encodeBuffer);
                    bytes += _encodeBuffer.Length;
                    r.Lsn = _wal.Append(_encodeBuffer.Span);
                }

                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var fsync = _options.Durability == Durability.Sync;
                _wal.Commit(fsync);
                if (fsync)
                {
                    EngineMetrics.FsyncSeconds.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
                }

                EngineMetrics.WalBytes.Add(bytes);
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

        EngineMetrics.Writes.Add(group.Count);
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

        var fresh = new List<int>(needed);
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
                fresh.AddRange(slots);
            }
        }

        EncodeSlots(fresh);
        IndexSlots(fresh);
    }

    /// <summary>Takes a free slot and writes a point's vectors into every space (clearing the spaces it has none in); not visible yet.</summary>
    private int WriteVector(UpsertOp op, int index)
    {
        var slot = _table.AllocateSlot();
        var v = op.Vectors[index];
        foreach (var d in _table.Dense)
        {
            if (v.Dense[d.Index] is { } dense)
            {
                d.Set(slot, dense);
            }
            else
            {
                d.Clear(slot);
            }
        }

        foreach (var m in _table.Multi)
        {
            m.Set(slot, v.Multi[m.Index]);
        }

        foreach (var sp in _table.Sparse)
        {
            sp.Set(slot, v.Sparse[sp.Index]);
        }

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

        foreach (var r in group)
        {
            if (r.Op is ConfigOp config)
            {
                FinishConfig(config);
            }
        }

        _table.RecycleFreed();
        SignalCommitted();
        MaybeConsolidate();
        MaintainValueLinks();
    }

    /// <summary>
    /// Checks an operation against the state it will apply to and computes everything in it that
    /// could fail, so that <see cref="Apply"/> cannot: for payload edits, each point's new payload.
    /// The writer stages before it logs (a failure refuses the write with nothing logged);
    /// recovery stages each replayed record before applying it (a failure quarantines the record).
    /// Upserts and deletes need no state: their content was checked before they were queued.
    /// </summary>
    private void Stage(WriteOp op)
    {
        if (op is IndexOp index)
        {
            StageIndex(index);
            return;
        }

        if (op is ConfigOp config)
        {
            StageConfig(config);
            return;
        }

        if (op is not PayloadOp p)
        {
            return;
        }

        var staged = new System.Text.Json.JsonElement?[p.Ids.Length];
        var absent = new bool[p.Ids.Length];
        for (var i = 0; i < p.Ids.Length; i++)
        {
            if (!_table.TryGetSlot(p.Ids[i], out var slot))
            {
                absent[i] = true;
                continue;
            }

            var current = _table.PayloadAt(slot);
            staged[i] = p.Kind switch
            {
                OpKind.SetPayload => Payload.Merge(current, p.Payload!.Value, p.Key),
                OpKind.OverwritePayload => p.Payload,
                OpKind.DeletePayloadKeys => current is { } c ? Payload.DeleteKeys(c, p.Keys) : null,
                _ => null,
            };
        }

        p.Staged = staged;
        p.Absent = absent;
    }

    /// <summary>
    /// Applies one staged operation: the same code for live writes (slots prepared) and for
    /// replay (slots taken here). Deterministic, so replay rebuilds exactly the acknowledged
    /// state; it only assigns what <see cref="Stage"/> computed, so it does not fail on content.
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
                System.Diagnostics.Debug.Assert(p.Staged is not null, "a payload edit is staged before it is applied");
                for (var i = 0; i < p.Ids.Length; i++)
                {
                    if (!p.Absent![i] && _table.TryGetSlot(p.Ids[i], out var slot))
                    {
                        _table.SetPayload(slot, p.Staged![i], lsn);
                    }
                }

                break;

            case IndexOp index:
                ApplyIndex(index);
                break;

            case ConfigOp config:
                ApplyConfig(config);
                break;
        }
    }

    /// <summary>Turns a selector into ids against the current (fully applied) state.</summary>
    private WriteOp Resolve(WriteRequest request)
    {
        if (request.Kind == RequestKind.UpdateVectors)
        {
            return ResolveVectorUpdates(request.VectorUpdates!, request.UpdateFilter);
        }

        if (request.Kind == RequestKind.ConditionalUpsert)
        {
            return ResolveConditionalUpsert(request.Candidates!, request.Mode, request.UpdateFilter);
        }

        if (request.Kind is RequestKind.CreateIndex or RequestKind.DeleteIndex)
        {
            return ResolveIndex(request);
        }

        if (request.Kind == RequestKind.Reconfigure)
        {
            return request.Config!;
        }

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

        if (request.Kind == RequestKind.DeleteVectors)
        {
            // Resolved into a full upsert of each point without those vectors: logged and
            // replayed as what it did, so it always applies.
            var points = new PreparedVectors[ids.Length];
            var payloads = new System.Text.Json.JsonElement?[ids.Length];
            for (var i = 0; i < ids.Length; i++)
            {
                _table.TryGetSlot(ids[i], out var slot);
                points[i] = CopyVectors(slot);
                payloads[i] = _table.PayloadAt(slot);
                foreach (var name in request.VectorNames!)
                {
                    if (_table.DenseNamed(name) is { } d)
                    {
                        points[i].Dense[d.Index] = null;
                    }
                    else if (_table.MultiNamed(name) is { } m)
                    {
                        points[i].Multi[m.Index] = null;
                    }
                    else if (_table.SparseNamed(name) is { } sp)
                    {
                        points[i].Sparse[sp.Index] = null;
                    }
                }
            }

            return new UpsertOp(ids, points, payloads);
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

    /// <summary>
    /// update_mode and update_filter: the points of the upsert that are written, judged on the
    /// current state. New ids are written unless the mode is update-only; existing ids unless the
    /// mode is insert-only or the stored point does not match the filter.
    /// </summary>
    private UpsertOp ResolveConditionalUpsert(UpsertOp candidates, UpdateMode mode, Filter? filter)
    {
        var keep = new List<int>(candidates.Ids.Length);
        for (var i = 0; i < candidates.Ids.Length; i++)
        {
            var exists = _table.TryGetSlot(candidates.Ids[i], out var slot);
            var write = exists
                ? mode != UpdateMode.InsertOnly && (filter is null || _table.Matches(filter, slot))
                : mode != UpdateMode.UpdateOnly;
            if (write)
            {
                keep.Add(i);
            }
        }

        return keep.Count == candidates.Ids.Length
            ? candidates
            : new UpsertOp([.. keep.Select(i => candidates.Ids[i])], [.. keep.Select(i => candidates.Vectors[i])], [.. keep.Select(i => candidates.Payloads[i])]);
    }

    /// <summary>update_vectors as a full upsert: each point's current vectors and payload, with the given vectors replaced (last entry per id wins).</summary>
    private UpsertOp ResolveVectorUpdates(List<(PointId Id, PreparedVectors Vectors)> updates, Filter? filter)
    {
        var merged = new Dictionary<PointId, PreparedVectors>();
        foreach (var (id, given) in updates)
        {
            if (!merged.TryGetValue(id, out var current))
            {
                if (!_table.TryGetSlot(id, out var slot))
                {
                    throw new PointNotFoundException(id);
                }

                if (filter is not null && !_table.Matches(filter, slot))
                {
                    continue;
                }

                current = CopyVectors(slot);
                merged[id] = current;
            }

            for (var d = 0; d < given.Dense.Length; d++)
            {
                current.Dense[d] = given.Dense[d] ?? current.Dense[d];
            }

            for (var m = 0; m < given.Multi.Length; m++)
            {
                current.Multi[m] = given.Multi[m] ?? current.Multi[m];
            }

            for (var sp = 0; sp < given.Sparse.Length; sp++)
            {
                current.Sparse[sp] = given.Sparse[sp] ?? current.Sparse[sp];
            }
        }

        var ids = merged.Keys.ToArray();
        var payloads = new System.Text.Json.JsonElement?[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            _table.TryGetSlot(ids[i], out var slot);
            payloads[i] = _table.PayloadAt(slot);
        }

        return new UpsertOp(ids, [.. ids.Select(id => merged[id])], payloads);
    }

    /// <summary>Ids of live points matching a filter. The writer reads without a lock: it is the only mutator.</summary>
    private PointId[] MatchingIds(Filter filter)
    {
        var ids = new List<PointId>();
        ForEachMatch(filter, slot => ids.Add(_table.IdAt(slot)));
        return [.. ids];
    }

    /// <summary>
    /// An explicit snapshot request: it must cover every write queued before it, so a running
    /// snapshot (of an older LSN) is waited for first. The request completes when the new
    /// snapshot is on disk; writes continue meanwhile.
    /// </summary>
    private void RunCheckpoint(WriteRequest request)
    {
        try
        {
            WaitForCheckpoint();
            StartCheckpoint().ContinueWith(
                static (t, state) =>
                {
                    var r = (WriteRequest)state!;
                    if (t.IsCompletedSuccessfully)
                    {
                        r.Snapshot = t.Result;
                        r.Complete(new UpdateResult(t.Result.Lsn, 0));
                    }
                    else
                    {
                        var e = t.Exception!.GetBaseException();
                        r.Fail(e as RoseForestException ?? new RoseForestException($"could not write a snapshot: {e.Message}", e));
                    }
                },
                request,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or RoseForestException)
        {
            request.Fail(e is RoseForestException ? e : new RoseForestException($"Collection `{Name}` could not write a snapshot: {e.Message}", e));
        }
    }

    /// <summary>
    /// A graph repair (issue 19) between groups, so it never races inserts or consolidation;
    /// searches go on. The graph is derived state, so nothing is logged. A repair that throws
    /// leaves a graph whose lists are each whole (they change under their node's lock): the
    /// request fails and the collection keeps serving.
    /// </summary>
    private void RunMaintenanceRequest(WriteRequest request)
    {
        try
        {
            request.Maintenance?.Invoke();
            request.Complete(new UpdateResult(_appliedLsn, 0));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            request.Fail(e);
        }
    }

    private void MaybeCheckpoint()
    {
        if (_wal is null || _checkpoint is { IsCompleted: false } || _wal.BytesAfter(Volatile.Read(ref _checkpointLsn)) < _options.CheckpointWalBytes)
        {
            return;
        }

        try
        {
            StartCheckpoint();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LastCheckpointError = e;
        }
    }

    /// <summary>
    /// Starts a snapshot of the applied state in the background and returns it. On the writer:
    /// rotate the log so the snapshot's LSN ends a closed segment and pin a copy of the table's
    /// metadata (the vectors stay put while pinned). In the background: write the snapshot (tmp,
    /// fsync, rename, fsync dir), then delete older snapshots and the covered log segments.
    /// Writes go on meanwhile; only growth of the vector block waits for it.
    /// </summary>
    private Task<CheckpointInfo> StartCheckpoint()
    {
        if (_wal is null || _checkpoints is null)
        {
            throw new ValidationException("snapshot", "a memory collection keeps no files, so it has no snapshots.");
        }

        if (_checkpoint is { IsCompleted: false } running)
        {
            return running;
        }

        var lsn = _appliedLsn;
        _wal.Rotate();
        var view = _table.Pin();
        var options = _options;
        var wal = _wal;
        var store = _checkpoints;
        _checkpoint = Task.Run(() =>
        {
            try
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var file = store.Write(lsn, w => SnapshotCodec.Write(w, options, view));
                EngineMetrics.SnapshotSeconds.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
                _checkpointFiles.Wait();
                try
                {
                    store.DeleteOlderThan(file);
                    wal.DropThrough(RetainedThrough(wal, lsn));
                }
                finally
                {
                    _checkpointFiles.Release();
                }

                Volatile.Write(ref _checkpointLsn, lsn);
                LastCheckpointError = null;
                return new CheckpointInfo(file.Name, file.Path, file.Lsn, file.Bytes);
            }
            catch (Exception e)
            {
                LastCheckpointError = e;
                throw;
            }
            finally
            {
                _table.Unpin();
            }
        });
        return _checkpoint;
    }

    /// <summary>
    /// Waits for the checkpoint running in the background, if any (its failure is reported in
    /// <see cref="LastCheckpointError"/>, not thrown). Lets a caller observe size-triggered
    /// checkpoints without polling.
    /// </summary>
    internal Task WaitForRunningCheckpointAsync() => WaitForCheckpointAsync();

    /// <summary>Blocks the writer until a running snapshot is done (its outcome is recorded elsewhere).</summary>
    private void WaitForCheckpoint()
    {
        if (_checkpoint is { IsCompleted: false } running)
        {
            ((IAsyncResult)running).AsyncWaitHandle.WaitOne();
        }
    }

    private async Task WaitForCheckpointAsync()
    {
        if (_checkpoint is { } running)
        {
            try
            {
                await running.ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Recorded in LastCheckpointError; the log still holds every write.
            }
        }
    }
}
