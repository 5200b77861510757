namespace RoseForest.Knowledge.Sync;

/// <summary>
/// Replicates between a local and a remote endpoint: pull (remote feed from the local checkpoint,
/// applied locally), push (local feed from the remote checkpoint, applied remotely), then an
/// exchange of acknowledgement vectors. Each applied batch advances the receiver's checkpoint in
/// the same step, so a run interrupted anywhere resumes from the last applied batch, and a batch
/// delivered twice changes nothing. The job is a state machine (<see cref="Phase"/>); running it
/// again after <see cref="ReplicationPhase.Failed"/> or <see cref="ReplicationPhase.Completed"/> starts a new run.
/// </summary>
public sealed class ReplicationJob
{
    private readonly IReplicationEndpoint _local;
    private readonly IReplicationEndpoint _remote;
    private readonly ReplicationOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates a job between two endpoints.</summary>
    public ReplicationJob(IReplicationEndpoint local, IReplicationEndpoint remote, ReplicationOptions options, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BatchSize);
        _local = local;
        _remote = remote;
        _options = options;
        _time = time;
    }

    /// <summary>Where the job is.</summary>
    public ReplicationPhase Phase { get; private set; } = ReplicationPhase.Idle;

    /// <summary>The pairing's sync state, updated at the end of each run (pending changes also after a failure).</summary>
    public SyncState State { get; private set; } = new();

    /// <summary>The exception that failed the last run, if it failed.</summary>
    public Exception? LastError { get; private set; }

    /// <summary>Runs pull, push and acknowledgement; returns <see cref="ReplicationPhase.Completed"/> or <see cref="ReplicationPhase.Failed"/>.</summary>
    public async Task<ReplicationPhase> RunAsync(CancellationToken cancellationToken = default)
    {
        LastError = null;
        var conflicts = 0;
        try
        {
            if (_options.Pull)
            {
                Phase = ReplicationPhase.Pulling;
                conflicts += await DrainAsync(_remote, _local, cancellationToken).ConfigureAwait(false);
            }

            if (_options.Push)
            {
                Phase = ReplicationPhase.Pushing;
                await DrainAsync(_local, _remote, cancellationToken).ConfigureAwait(false);
            }

            Phase = ReplicationPhase.Acknowledging;
            var localVector = await _local.GetAcknowledgementVectorAsync(cancellationToken).ConfigureAwait(false);
            var remoteVector = await _remote.GetAcknowledgementVectorAsync(cancellationToken).ConfigureAwait(false);
            await _remote.AcknowledgeAsync(_local.NodeId, localVector, cancellationToken).ConfigureAwait(false);
            await _local.AcknowledgeAsync(_remote.NodeId, remoteVector, cancellationToken).ConfigureAwait(false);

            State = new SyncState
            {
                LastSyncTime = _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0,
                SyncVersion = State.SyncVersion + 1,
                PendingChanges = await PendingAsync(cancellationToken).ConfigureAwait(false),
                ConflictCount = conflicts,
            };
            Phase = ReplicationPhase.Completed;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LastError = e;
            Phase = ReplicationPhase.Failed;
            State = State with { PendingChanges = await SafePendingAsync().ConfigureAwait(false) };
        }

        return Phase;
    }

    private async Task<int> DrainAsync(IReplicationEndpoint from, IReplicationEndpoint to, CancellationToken cancellationToken)
    {
        var conflicts = 0;
        while (true)
        {
            var since = await to.GetCheckpointAsync(from.NodeId, cancellationToken).ConfigureAwait(false);
            var batch = await from.ReadChangesAsync(since, _options.BatchSize, cancellationToken).ConfigureAwait(false);
            if (batch.Changes.Count == 0)
            {
                return conflicts;
            }

            var result = await to.ApplyAsync(batch, cancellationToken).ConfigureAwait(false);
            conflicts += result.Conflicts;
            if (!batch.HasMore)
            {
                return conflicts;
            }
        }
    }

    private async Task<IReadOnlyList<string>> PendingAsync(CancellationToken cancellationToken)
    {
        var since = await _remote.GetCheckpointAsync(_local.NodeId, cancellationToken).ConfigureAwait(false);
        var pending = new SortedSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var batch = await _local.ReadChangesAsync(since, _options.BatchSize, cancellationToken).ConfigureAwait(false);
            foreach (var change in batch.Changes)
            {
                pending.UnionWith(change.Delta.RecordIds);
                pending.UnionWith(change.Delta.Tombstones.Select(t => t.RecordId));
            }

            if (batch.EndSequence is not { } end || !batch.HasMore)
            {
                return [.. pending];
            }

            since = end;
        }
    }

    private async Task<IReadOnlyList<string>> SafePendingAsync()
    {
        try
        {
            return await PendingAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return State.PendingChanges;
        }
    }
}
