using System.Text.Json;
using RoseForest.Knowledge.Http.Points;

namespace RoseForest.Knowledge.Http.Sync;

/// <summary>
/// A replication job between this node and a remote one, in the spirit of CouchDB's replicator.
/// Each run prepares every scope on both sides (creating a collection where it is missing,
/// refusing mismatched geometry or dimension), pulls (the remote's feed from this node's
/// checkpoint, applied here), pushes (this node's feed from the remote's checkpoint, applied there),
/// and for knowledge exchanges acknowledgement vectors. Checkpoints live on the receiving side and
/// move in the same durable commit as the batch they cover, so a run stopped anywhere (a killed
/// process included) resumes at the last applied batch, and a batch applied twice changes nothing.
/// A continuous job runs again every interval, and keeps trying after a failure.
/// </summary>
internal sealed class SyncJob
{
    private readonly object _status = new();
    private readonly SyncHub _hub;
    private readonly ISyncPeer _local;
    private readonly ISyncPeer _remote;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private IReadOnlyList<string> _pending = [];
    private IReadOnlyList<ScopeReport> _scopes = [];
    private int _pendingCount;
    private int _conflicts;
    private long _lag;
    private long _syncVersion;
    private double _lastSyncTime;
    private string _state = "idle";
    private string? _lastError;
    private Task? _loop;

    public SyncJob(string id, SyncJobSpec spec, SyncHub hub, ISyncPeer remote, TimeProvider time)
    {
        Id = id;
        Spec = spec;
        _hub = hub;
        _local = new LocalPeer(hub);
        _remote = remote;
        _time = time;
    }

    public string Id { get; }

    public SyncJobSpec Spec { get; }

    /// <summary>Completes when the job's loop ends (a one-shot job after its run).</summary>
    public Task Completion => _loop ?? Task.CompletedTask;

    /// <summary>True once the loop has ended.</summary>
    public bool IsFinished => _loop?.IsCompleted ?? false;

    public void Start() => _loop = Task.Run(() => LoopAsync(_stop.Token));

    /// <summary>Asks a continuous job to run now rather than after its interval.</summary>
    public void Wake() => _wake.Release();

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Completion.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        lock (_status)
        {
            _state = "stopped";
        }

        (_remote as IDisposable)?.Dispose();
    }

    /// <summary>The job's status: the HVS SyncState fields plus lag, last error and per-scope counts.</summary>
    public void WriteStatus(Utf8JsonWriter w)
    {
        lock (_status)
        {
            w.WriteStartObject();
            w.WriteString("id", Id);
            Spec.Write(w, includeApiKey: false);
            w.WriteString("state", _state);
            w.WriteNumber("last_sync_time", _lastSyncTime);
            w.WriteNumber("sync_version", _syncVersion);
            w.WriteStartArray("pending_changes");
            foreach (var id in _pending)
            {
                w.WriteStringValue(id);
            }

            w.WriteEndArray();
            w.WriteNumber("pending_count", _pendingCount);
            w.WriteNumber("conflict_count", _conflicts);
            w.WriteNumber("lag", _lag);
            if (_lastError is null)
            {
                w.WriteNull("last_error");
            }
            else
            {
                w.WriteString("last_error", _lastError);
            }

            w.WriteStartArray("scopes");
            foreach (var s in _scopes)
            {
                w.WriteStartObject();
                w.WriteString("scope", s.Scope);
                w.WriteNumber("pulled", s.Pulled);
                w.WriteNumber("pushed", s.Pushed);
                w.WriteNumber("conflicts", s.Conflicts);
                w.WriteNumber("lag", s.Lag);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }
    }

    /// <summary>The state of the last run: idle, running, completed, failed or stopped.</summary>
    public string State
    {
        get
        {
            lock (_status)
            {
                return _state;
            }
        }
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await RunOnceAsync(cancellationToken).ConfigureAwait(false);
            if (!Spec.Continuous)
            {
                return;
            }

            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = Task.Delay(Spec.Interval, _time, timeout.Token);
                var woken = _wake.WaitAsync(timeout.Token);
                await Task.WhenAny(delay, woken).ConfigureAwait(false);
                await timeout.CancelAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        lock (_status)
        {
            _state = "running";
        }

        try
        {
            var localId = await _local.NodeIdAsync(cancellationToken).ConfigureAwait(false);
            var remoteId = await _remote.NodeIdAsync(cancellationToken).ConfigureAwait(false);
            if (localId == remoteId)
            {
                throw new ValidationException("remote", $"the remote is this node ({localId}): a node does not sync with itself.");
            }

            var reports = new List<ScopeReport>();
            var pending = new List<string>();
            var pendingCount = 0;
            foreach (var collection in await CollectionsAsync(cancellationToken).ConfigureAwait(false))
            {
                var (report, ids, count) = await SyncCollectionAsync(collection.Name, collection.Local, collection.Remote, localId, remoteId, cancellationToken).ConfigureAwait(false);
                reports.Add(report);
                pending.AddRange(ids.Take(100 - pending.Count));
                pendingCount += count;
            }

            if (Spec.Knowledge)
            {
                reports.Add(await SyncKnowledgeAsync(localId, remoteId, cancellationToken).ConfigureAwait(false));
            }

            lock (_status)
            {
                _scopes = reports;
                _pending = pending;
                _pendingCount = pendingCount;
                _conflicts = reports.Sum(r => r.Conflicts);
                _lag = reports.Sum(r => r.Lag);
                _syncVersion++;
                _lastSyncTime = _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
                _lastError = null;
                _state = "completed";
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            lock (_status)
            {
                _lastError = e is HttpRequestException or TaskCanceledException ? $"{_remote.Name}: {e.Message}" : e.Message;
                _state = "failed";
            }
        }
    }

    private async Task<List<(string Name, CollectionShape? Local, CollectionShape? Remote)>> CollectionsAsync(CancellationToken cancellationToken)
    {
        var local = await _local.CollectionsAsync(cancellationToken).ConfigureAwait(false);
        var remote = await _remote.CollectionsAsync(cancellationToken).ConfigureAwait(false);
        IEnumerable<string> names = Spec.Mode == "full" || (Spec.Mode == "selective" && Spec.Collections.Count == 0)
            ? local.Keys.Union(remote.Keys, StringComparer.Ordinal)
            : Spec.Collections;
        var list = new List<(string, CollectionShape?, CollectionShape?)>();
        foreach (var name in names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var l = local.GetValueOrDefault(name);
            var r = remote.GetValueOrDefault(name);
            if (l is null && r is null)
            {
                throw new ValidationException("collections", $"`{name}` exists on neither side.");
            }

            if (l is not null && r is not null && !l.IsCompatibleWith(r))
            {
                throw new ValidationException("collections", $"`{name}` is {l} here and {r} on {_remote.Name}: sync works only between collections of the same geometry and dimension.");
            }

            list.Add((name, l, r));
        }

        return list;
    }

    private async Task<(ScopeReport Report, IReadOnlyList<string> Pending, int PendingCount)> SyncCollectionAsync(
        string collection, CollectionShape? local, CollectionShape? remote, string localId, string remoteId, CancellationToken cancellationToken)
    {
        var shape = await _local.PrepareAsync(collection, remote, Spec.Strategy, cancellationToken).ConfigureAwait(false);
        await _remote.PrepareAsync(collection, local ?? shape, Spec.Strategy, cancellationToken).ConfigureAwait(false);
        var key = Spec.CheckpointKey;
        var (pulled, pullConflicts, remoteLast) = Spec.Pull ? await DrainAsync(_remote, remoteId, _local, collection, key, cancellationToken).ConfigureAwait(false) : (0, 0, 0L);
        var (pushed, _, _) = Spec.Push ? await DrainAsync(_local, localId, _remote, collection, key, cancellationToken).ConfigureAwait(false) : (0, 0, 0L);

        // What the remote has yet to read of this node's feed, and what this node has yet to read of the remote's.
        var replica = await _hub.ReplicaAsync(collection, cancellationToken).ConfigureAwait(false);
        var remoteHas = await _remote.CheckpointAsync(collection, localId, key, cancellationToken).ConfigureAwait(false);
        var (ids, count) = await replica.PendingAsync(remoteHas, 100, cancellationToken).ConfigureAwait(false);
        var localHas = await _local.CheckpointAsync(collection, remoteId, key, cancellationToken).ConfigureAwait(false);
        var lag = (Spec.Push ? count : 0) + (Spec.Pull ? Math.Max(0, remoteLast - localHas) : 0);
        return (new ScopeReport("collection:" + collection, pulled, pushed, pullConflicts, lag), Spec.Push ? ids : [], Spec.Push ? count : 0);
    }

    private async Task<ScopeReport> SyncKnowledgeAsync(string localId, string remoteId, CancellationToken cancellationToken)
    {
        var (pulled, conflicts, remoteLast) = Spec.Pull ? await DrainAsync(_remote, remoteId, _local, null, string.Empty, cancellationToken).ConfigureAwait(false) : (0, 0, 0L);
        var (pushed, _, localLast) = Spec.Push ? await DrainAsync(_local, localId, _remote, null, string.Empty, cancellationToken).ConfigureAwait(false) : (0, 0, 0L);
        if (Spec.Pull && Spec.Push)
        {
            var localVector = await _local.AcknowledgementVectorAsync(cancellationToken).ConfigureAwait(false);
            var remoteVector = await _remote.AcknowledgementVectorAsync(cancellationToken).ConfigureAwait(false);
            await _remote.AcknowledgeAsync(localId, localVector, cancellationToken).ConfigureAwait(false);
            await _local.AcknowledgeAsync(remoteId, remoteVector, cancellationToken).ConfigureAwait(false);
        }

        var lag = 0L;
        if (Spec.Pull)
        {
            lag += Math.Max(0, remoteLast - await _local.CheckpointAsync(null, remoteId, string.Empty, cancellationToken).ConfigureAwait(false));
        }

        if (Spec.Push)
        {
            lag += Math.Max(0, localLast - await _remote.CheckpointAsync(null, localId, string.Empty, cancellationToken).ConfigureAwait(false));
        }

        return new ScopeReport("knowledge", pulled, pushed, conflicts, lag);
    }

    /// <summary>
    /// Moves <paramref name="from"/>'s feed into <paramref name="to"/> batch by batch; returns
    /// changes applied, conflicts, and the sender's last sequence. The next batch is read while the
    /// current one is applied (its start is the current batch's end, known before the apply).
    /// </summary>
    private async Task<(int Changes, int Conflicts, long LastSequence)> DrainAsync(ISyncPeer from, string fromId, ISyncPeer to, string? collection, string key, CancellationToken cancellationToken)
    {
        var since = await to.CheckpointAsync(collection, fromId, key, cancellationToken).ConfigureAwait(false);
        int changes = 0, conflicts = 0;
        var filter = collection is null ? null : Spec.Filter;
        Task<byte[]>? next = from.ReadAsync(collection, since, Spec.BatchSize, filter, key, cancellationToken);
        try
        {
            while (true)
            {
                var before = since;
                var bytes = await next.ConfigureAwait(false);
                next = null;
                BatchHeader header;
                using (var doc = JsonDocument.Parse(bytes))
                {
                    header = BatchHeader.Read(doc.RootElement);
                }

                if (header.HasMore)
                {
                    next = from.ReadAsync(collection, header.End, Spec.BatchSize, filter, key, cancellationToken);
                }

                if (header.End > since)
                {
                    var outcome = await to.ApplyAsync(collection, bytes, cancellationToken).ConfigureAwait(false);
                    changes += outcome.Applied;
                    conflicts += outcome.Conflicts;
                    since = outcome.Checkpoint;
                }

                if (next is null || since <= before)
                {
                    return (changes, conflicts, header.LastSequence);
                }
            }
        }
        finally
        {
            // A read started ahead and not used (the apply failed): observe it so its error is not lost to the finalizer.
            next?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    private sealed record ScopeReport(string Scope, int Pulled, int Pushed, int Conflicts, long Lag);
}
