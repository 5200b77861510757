using Microsoft.Extensions.Logging;
using RoseForest.Cluster.Log;
using RoseForest.Engine;

namespace RoseForest.Cluster.Replication;

/// <summary>
/// This node's replica of one shard: a collection of the local engine that tails the shard's log
/// in sequence order. It starts from an empty collection while the log is complete, or from a
/// peer's snapshot (checksum verified) when the log was truncated past it, then replays.
/// </summary>
internal sealed partial class LocalReplica : IAsyncDisposable
{
    private const int RememberedFailures = 1024;

    private readonly long _shardId;
    private readonly RoseForestDatabase _engine;
    private readonly IShardLog _log;
    private readonly IReplicaHost _host;
    private readonly ClusterOptions _options;
    private readonly ILogger _logger;
    private readonly string _progressFolder;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _nudge = new(0, 1);
    private readonly Dictionary<long, string> _failures = [];
    private readonly Queue<long> _failureOrder = new();
    private TaskCompletionSource _advanced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private Collection? _collection;
    private ReplicaProgress? _progress;

    public LocalReplica(long shardId, RoseForestDatabase engine, IShardLog log, IReplicaHost host, ClusterOptions options, ILogger logger, string progressFolder)
    {
        _shardId = shardId;
        _engine = engine;
        _log = log;
        _host = host;
        _options = options;
        _logger = logger;
        _progressFolder = progressFolder;
    }

    public long ShardId => _shardId;

    public string LocalName => Catalog.ShardInfo.LocalNameOf(_shardId);

    /// <summary>True once the replica has a local collection and tails the log (it may still lag).</summary>
    public bool IsReady => _collection is not null && _progress is not null;

    /// <summary>The last log sequence applied here; -1 before the replica is ready.</summary>
    public long AppliedSeq => _collection is { } c && _progress is { } p ? p.SeqBase + (c.LastLsn - p.LsnBase) : -1;

    /// <summary>The local collection (null while initialising).</summary>
    public Collection? Collection => _collection;

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Wakes the tailer: the log has a new record.</summary>
    public void Nudge()
    {
        try
        {
            if (_nudge.CurrentCount == 0)
            {
                _nudge.Release();
            }
        }
        catch (SemaphoreFullException)
        {
        }
    }

    /// <summary>The refusal message of the record at <paramref name="seq"/> when it did not apply here, else null.</summary>
    public string? FailureOf(long seq)
    {
        lock (_failures)
        {
            return _failures.GetValueOrDefault(seq);
        }
    }

    /// <summary>Waits until the replica has applied <paramref name="seq"/>; false on timeout.</summary>
    public async Task<bool> WaitAppliedAsync(long seq, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (AppliedSeq < seq)
        {
            var advanced = Volatile.Read(ref _advanced).Task;
            if (AppliedSeq >= seq)
            {
                break;
            }

            try
            {
                await advanced.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return AppliedSeq >= seq;
            }
        }

        return true;
    }

    /// <summary>Takes a snapshot of the replica for a peer; returns it with the log sequence it holds.</summary>
    public async Task<(SnapshotDescription Snapshot, long Seq)> SnapshotAsync(CancellationToken cancellationToken)
    {
        var progress = _progress ?? throw new Routing.ReplicaUnavailableException($"the replica of shard {_shardId} is not ready.");
        var snapshot = await _engine.Snapshots.CreateAsync(LocalName, cancellationToken).ConfigureAwait(false);
        return (snapshot, progress.SeqBase + (snapshot.Lsn - progress.LsnBase));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    /// <summary>Stops the replica and deletes its local collection and progress file (the assignment was dropped).</summary>
    public async Task DeleteAsync()
    {
        await DisposeAsync().ConfigureAwait(false);
        _collection = null;
        await _engine.DeleteCollectionAsync(LocalName).ConfigureAwait(false);
        ReplicaProgress.Delete(_progressFolder, _shardId);
    }

    private void Advanced()
    {
        var previous = Interlocked.Exchange(ref _advanced, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (!IsReady)
                {
                    await InitializeAsync(stop).ConfigureAwait(false);
                    Advanced();
                }

                if (!await TailOnceAsync(stop).ConfigureAwait(false))
                {
                    await WaitForNudgeAsync(stop).ConfigureAwait(false);
                }

                backoff = TimeSpan.FromMilliseconds(200);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogTailFailed(_logger, _shardId, e.Message);
                await Task.Delay(backoff, _options.TimeProvider, stop).ConfigureAwait(false);
                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 5000));
            }
        }
    }

    private async Task WaitForNudgeAsync(CancellationToken stop)
    {
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(stop);
        poll.CancelAfter(_options.PollInterval);
        try
        {
            await _nudge.WaitAsync(poll.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Applies the next batch of records; false when there were none.</summary>
    private async Task<bool> TailOnceAsync(CancellationToken stop)
    {
        var applied = AppliedSeq;
        var entries = await _log.ReadAsync(_shardId, applied, _options.ApplyBatch, stop).ConfigureAwait(false);
        if (entries.Count == 0)
        {
            if (_host.TruncatedSeq(_shardId) > applied)
            {
                await ResetAsync(stop).ConfigureAwait(false);
                return true;
            }

            return false;
        }

        if (entries[0].Seq != applied + 1)
        {
            // The log was truncated past this replica: it can only catch up from a snapshot.
            LogGap(_logger, _shardId, applied, entries[0].Seq);
            await ResetAsync(stop).ConfigureAwait(false);
            return true;
        }

        var collection = _collection!;
        foreach (var entry in entries)
        {
            try
            {
                await entry.Op.ApplyAsync(collection, stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ValidationException or NotFoundException)
            {
                // Deterministic: every replica refuses it against the same state. One empty write
                // keeps one LSN per record; the refusal is kept for the writer waiting on it, and
                // kept first: AppliedSeq follows the collection's LSN, so a waiter may see the
                // record applied as soon as the empty write lands and must find its refusal then
                // (recorded after it, a waiter could read "applied, no failure": a CI flake).
                RememberFailure(entry.Seq, e);
                await collection.DeleteAsync(PointSelector.ById([]), stop).ConfigureAwait(false);
            }

            Advanced();
        }

        return true;
    }

    private void RememberFailure(long seq, Exception e)
    {
        lock (_failures)
        {
            _failures[seq] = (e is NotFoundException ? "404:" : "400:") + e.Message;
            _failureOrder.Enqueue(seq);
            while (_failureOrder.Count > RememberedFailures)
            {
                _failures.Remove(_failureOrder.Dequeue());
            }
        }
    }

    private async Task ResetAsync(CancellationToken stop)
    {
        _collection = null;
        _progress = null;
        await InitializeFromSnapshotAsync(stop).ConfigureAwait(false);
    }

    private async Task InitializeAsync(CancellationToken stop)
    {
        var progress = ReplicaProgress.Read(_progressFolder, _shardId);
        if (progress is not null && _engine.TryGetCollection(LocalName, out var existing) && existing.Fault is null)
        {
            _collection = existing;
            _progress = progress;
            if (AppliedSeq >= _host.TruncatedSeq(_shardId))
            {
                LogResumed(_logger, _shardId, AppliedSeq);
                return;
            }
        }

        _collection = null;
        _progress = null;
        if (_host.TruncatedSeq(_shardId) == 0)
        {
            // The log still starts at 1: replay all of it into an empty collection.
            await _engine.DeleteCollectionAsync(LocalName, stop).ConfigureAwait(false);
            var created = await _engine.CreateCollectionAsync(LocalName, _host.LocalOptions(_shardId), stop).ConfigureAwait(false);
            var fresh = new ReplicaProgress(_shardId, 0, created.LastLsn);
            fresh.Write(_progressFolder);
            _progress = fresh;
            _collection = created;
            LogCreated(_logger, _shardId);
            return;
        }

        await InitializeFromSnapshotAsync(stop).ConfigureAwait(false);
    }

    private async Task InitializeFromSnapshotAsync(CancellationToken stop)
    {
        ReplicaProgress.Delete(_progressFolder, _shardId);
        var transfer = await _host.FetchSnapshotAsync(_shardId, stop).ConfigureAwait(false);
        await using (transfer.Content.ConfigureAwait(false))
        {
            await _engine.Snapshots.RestoreAsync(LocalName, transfer.Content, transfer.Checksum, stop).ConfigureAwait(false);
        }

        var restored = _engine.GetCollection(LocalName);
        var progress = new ReplicaProgress(_shardId, transfer.Seq, restored.LastLsn);
        progress.Write(_progressFolder);
        _progress = progress;
        _collection = restored;
        LogRestored(_logger, _shardId, transfer.Seq, transfer.Size);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replica of shard {Shard}: {Error}; retrying")]
    private static partial void LogTailFailed(ILogger logger, long shard, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replica of shard {Shard} applied {Applied} but the log now starts at {First}: restoring from a peer's snapshot")]
    private static partial void LogGap(ILogger logger, long shard, long applied, long first);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replica of shard {Shard} resumes after sequence {Applied}")]
    private static partial void LogResumed(ILogger logger, long shard, long applied);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replica of shard {Shard} created empty; replaying the log")]
    private static partial void LogCreated(ILogger logger, long shard);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replica of shard {Shard} restored from a peer's snapshot at sequence {Seq} ({Bytes} bytes, checksum verified)")]
    private static partial void LogRestored(ILogger logger, long shard, long seq, long bytes);
}

/// <summary>What a replica needs from its node: the catalogue's view of its shard and peers' snapshots.</summary>
internal interface IReplicaHost
{
    /// <summary>The sequence up to which the shard's log was truncated (0: complete).</summary>
    long TruncatedSeq(long shardId);

    /// <summary>The options of the local collection that holds the shard.</summary>
    CollectionOptions LocalOptions(long shardId);

    /// <summary>A snapshot of the shard from an active peer: its bytes, SHA-256 and the sequence it holds.</summary>
    Task<SnapshotTransfer> FetchSnapshotAsync(long shardId, CancellationToken cancellationToken);
}

/// <summary>A snapshot on its way from a peer.</summary>
internal sealed record SnapshotTransfer(Stream Content, string Checksum, long Seq, long Size);
