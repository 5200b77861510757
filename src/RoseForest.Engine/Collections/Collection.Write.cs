using System.Text.Json;
using System.Threading.Channels;
using RoseForest.Core.Filters;
using RoseForest.Core.Payloads;
using RoseForest.Core.Spaces;
using RoseForest.Engine.Internal;

namespace RoseForest.Engine;

public sealed partial class Collection
{
    /// <summary>The most points one upsert may carry.</summary>
    public const int MaxBatchPoints = 100_000;

    /// <summary>
    /// Inserts or replaces a batch of points, atomically: after a crash either the whole batch is
    /// there or none of it. A later entry with the same id wins. Every vector and payload is
    /// validated before anything is written. <see cref="UpsertOptions.Mode"/> and
    /// <see cref="UpsertOptions.UpdateFilter"/> choose, against the state the write applies to,
    /// which of the points are written (the others are left out of the logged write).
    /// </summary>
    public Task<UpdateResult> UpsertAsync(IReadOnlyList<PointStruct> points, UpsertOptions? options = null, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count > MaxBatchPoints)
        {
            throw new ValidationException("points", $"a batch may hold at most {MaxBatchPoints} points, got {points.Count}.");
        }

        options ??= UpsertOptions.Default;
        var project = options.ProjectOntoManifold;
        if (!Enum.IsDefined(options.Mode))
        {
            throw new ValidationException("update_mode", $"unknown mode {options.Mode}.");
        }

        // Keep the last occurrence of each id, in first-seen order.
        var last = new Dictionary<PointId, int>(points.Count);
        for (var i = 0; i < points.Count; i++)
        {
            if (points[i] is null)
            {
                throw new ValidationException($"points[{i}]", "a point must not be null.");
            }

            last[points[i].Id] = i;
        }

        var ids = new PointId[last.Count];
        var vectors = new PreparedVectors[last.Count];
        var payloads = new JsonElement?[last.Count];
        long bytes = 0;
        var n = 0;
        foreach (var (id, i) in last)
        {
            var p = points[i];
            vectors[n] = PrepareVectors(p, $"points[{i}]", project, requireUnnamed: true);
            if (p.Payload is { } payload)
            {
                payloads[n] = Payload.RequireObject(payload, $"points[{i}].payload").Clone();
                bytes += Payload.Utf8(payloads[n]!.Value).Length;
            }

            bytes += VectorBytes(vectors[n]) + 32;
            ids[n++] = id;
        }

        if (bytes > MaxGroupBytes * 8)
        {
            throw new ValidationException("points", $"the batch is {bytes} bytes; split it into batches under {MaxGroupBytes * 8} bytes.");
        }

        var op = new UpsertOp(ids, vectors, payloads);
        if (options.Mode != UpdateMode.Upsert || options.UpdateFilter is { IsEmpty: false })
        {
            // Which points are written depends on the state when the write is applied: resolved by the writer.
            var filter = options.UpdateFilter is { IsEmpty: false } f ? f : null;
            return EnqueueAsync(new WriteRequest(RequestKind.ConditionalUpsert) { Candidates = op, UpdateFilter = filter, Mode = options.Mode }, cancellationToken);
        }

        return EnqueueAsync(new WriteRequest(RequestKind.Upsert) { Op = op }, cancellationToken);
    }

    /// <summary>
    /// Qdrant's update_vectors: sets the given vectors of existing points (each point names the
    /// vectors it changes; the others and the payload are kept). Ids must exist. With
    /// <paramref name="updateFilter"/>, points whose stored state does not match it are left as they are.
    /// </summary>
    public Task<UpdateResult> UpdateVectorsAsync(IReadOnlyList<PointStruct> points, Filter? updateFilter = null, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count > MaxBatchPoints)
        {
            throw new ValidationException("points", $"a batch may hold at most {MaxBatchPoints} points, got {points.Count}.");
        }

        var updates = new List<(PointId, PreparedVectors)>(points.Count);
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i] ?? throw new ValidationException($"points[{i}]", "a point must not be null.");
            if (p.Payload is not null)
            {
                throw new ValidationException($"points[{i}].payload", "update_vectors changes vectors only.");
            }

            updates.Add((p.Id, PrepareVectors(p, $"points[{i}]", project: false, requireUnnamed: false)));
        }

        return EnqueueAsync(new WriteRequest(RequestKind.UpdateVectors) { VectorUpdates = updates, UpdateFilter = updateFilter is { IsEmpty: false } ? updateFilter : null }, cancellationToken);
    }

    /// <summary>Qdrant's delete_vectors: removes the named vectors from the selected points (the unnamed vector cannot be removed).</summary>
    public Task<UpdateResult> DeleteVectorsAsync(PointSelector selector, IReadOnlyList<string> vectorNames, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(vectorNames);
        for (var i = 0; i < vectorNames.Count; i++)
        {
            var name = vectorNames[i] ?? string.Empty;
            if (name.Length == 0 && (_table.DenseNamed(name) is not null || _table.MultiNamed(name) is not null))
            {
                throw new ValidationException($"vector[{i}]", "the unnamed vector cannot be deleted; delete the point instead.");
            }

            if (_table.DenseNamed(name) is null && _table.MultiNamed(name) is null && _table.SparseNamed(name) is null)
            {
                throw new ValidationException($"vector[{i}]", $"Not existing vector name error: {name}");
            }
        }

        return EnqueueAsync(new WriteRequest(RequestKind.DeleteVectors) { Selector = selector, VectorNames = [.. vectorNames] }, cancellationToken);
    }

    /// <summary>
    /// Several writes in order (Qdrant's <c>/points/batch</c>): each starts after the one before it
    /// is applied; the first that fails stops the batch, and the writes before it stay applied.
    /// </summary>
    public async Task<IReadOnlyList<UpdateResult>> UpdateBatchAsync(IReadOnlyList<UpdateOperation> operations, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(operations);
        var results = new List<UpdateResult>(operations.Count);
        for (var i = 0; i < operations.Count; i++)
        {
            var op = operations[i] ?? throw new ValidationException($"operations[{i}]", "must not be null.");
            results.Add(await op.ApplyAsync(this, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    /// <summary>Deletes the selected points (ids that do not exist are ignored).</summary>
    public Task<UpdateResult> DeleteAsync(PointSelector selector, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(selector);
        var request = selector.Filter is null
            ? new WriteRequest(RequestKind.Delete) { Selector = selector, Op = new DeleteOp([.. selector.Ids!.Distinct()]) }
            : new WriteRequest(RequestKind.Delete) { Selector = selector };
        return EnqueueAsync(request, cancellationToken);
    }

    /// <summary>
    /// Sets payload keys on the selected points, keeping the others (with <paramref name="key"/>,
    /// inside the nested object at that path). Selected ids must exist.
    /// </summary>
    public Task<UpdateResult> SetPayloadAsync(PointSelector selector, JsonElement payload, string? key = null, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(selector);
        var patch = Payload.RequireObject(payload).Clone();
        var path = key is null ? null : PayloadPath.Parse(key, "key");
        return EnqueueAsync(new WriteRequest(RequestKind.SetPayload) { Selector = selector, Payload = patch, Key = path }, cancellationToken);
    }

    /// <summary>Replaces the whole payload of the selected points. Selected ids must exist.</summary>
    public Task<UpdateResult> OverwritePayloadAsync(PointSelector selector, JsonElement payload, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(selector);
        var replacement = Payload.RequireObject(payload).Clone();
        return EnqueueAsync(new WriteRequest(RequestKind.OverwritePayload) { Selector = selector, Payload = replacement }, cancellationToken);
    }

    /// <summary>Removes payload keys (dotted paths allowed) from the selected points. Selected ids must exist.</summary>
    public Task<UpdateResult> DeletePayloadKeysAsync(PointSelector selector, IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(keys);
        var paths = new PayloadPath[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            paths[i] = PayloadPath.Parse(keys[i], $"keys[{i}]");
        }

        return EnqueueAsync(new WriteRequest(RequestKind.DeletePayloadKeys) { Selector = selector, Keys = paths }, cancellationToken);
    }

    /// <summary>Removes the whole payload of the selected points. Selected ids must exist.</summary>
    public Task<UpdateResult> ClearPayloadAsync(PointSelector selector, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(selector);
        return EnqueueAsync(new WriteRequest(RequestKind.ClearPayload) { Selector = selector }, cancellationToken);
    }

    /// <summary>
    /// Takes a checkpoint now: writes a snapshot of the state after every write queued before it
    /// and drops the log it covers (except what a change-feed follower still needs). Returns the
    /// LSN it covers. User-facing snapshots that can be downloaded and restored are made by the
    /// database's snapshot catalogue (<c>RoseForestDatabase.Snapshots</c>), which calls this.
    /// Not available for memory collections.
    /// </summary>
    public async Task<long> CheckpointAsync(CancellationToken cancellationToken = default) =>
        (await CheckpointFileAsync(cancellationToken).ConfigureAwait(false)).Lsn;

    internal async Task<CheckpointInfo> CheckpointFileAsync(CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        if (_options.Durability == Durability.Memory)
        {
            throw new ValidationException("snapshot", "a memory collection keeps no files, so it has no snapshots.");
        }

        var request = new WriteRequest(RequestKind.Checkpoint);
        await EnqueueAsync(request, cancellationToken).ConfigureAwait(false);
        return request.Snapshot!;
    }

    /// <summary>
    /// Runs <paramref name="use"/> on the newest checkpoint file, which covers at least
    /// <paramref name="atLeastLsn"/>; while it runs, no checkpoint file is deleted, so the file
    /// can be copied out safely.
    /// </summary>
    internal async Task<T> UseNewestCheckpointAsync<T>(long atLeastLsn, Func<CheckpointInfo, T> use, CancellationToken cancellationToken)
    {
        await _checkpointFiles.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var newest = _checkpoints!.List().LastOrDefault();
            if (newest is null || newest.Lsn < atLeastLsn)
            {
                throw new RoseForestException($"Collection `{Name}` has no checkpoint covering LSN {atLeastLsn}.");
            }

            return use(new CheckpointInfo(newest.Name, newest.Path, newest.Lsn, newest.Bytes));
        }
        finally
        {
            _checkpointFiles.Release();
        }
    }

    private async Task<UpdateResult> EnqueueAsync(WriteRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        request.RegisterCancellation(cancellationToken);
        try
        {
            await _requests.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            ThrowClosed();
        }

        return await request.Task.ConfigureAwait(false);
    }
}
