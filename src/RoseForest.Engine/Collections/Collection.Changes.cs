using System.Text.RegularExpressions;
using RoseForest.Engine.Internal;
using RoseForest.Storage.Wal;

namespace RoseForest.Engine;

public sealed partial class Collection
{
    private readonly object _commitGate = new();
    private TaskCompletionSource _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FollowerPins? _followers;

    /// <summary>
    /// The collection's change feed (see <see cref="IChangeFeed"/>): up to
    /// <paramref name="maxRecords"/> committed writes from <paramref name="fromLsn"/>, waiting up
    /// to <paramref name="wait"/> (on the database's <see cref="TimeProvider"/>) when there are
    /// none yet. Only writes durable at the collection's level are served. Records the log set
    /// aside in quarantine are skipped. Not available for memory collections (they keep no log).
    /// </summary>
    public async Task<ChangeBatch> ReadChangesAsync(long fromLsn, int maxRecords = 1000, TimeSpan wait = default, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        var wal = _wal ?? throw new ValidationException("changes", "a memory collection keeps no log, so it has no change feed.");
        if (fromLsn < 1)
        {
            throw new ValidationException("from_lsn", $"must be at least 1, got {fromLsn}.");
        }

        if (maxRecords is < 1 or > 100_000)
        {
            throw new ValidationException("limit", $"must be between 1 and 100000, got {maxRecords}.");
        }

        if (wait < TimeSpan.Zero || wait > TimeSpan.FromMinutes(5))
        {
            throw new ValidationException("wait", "must be between 0 and 5 minutes.");
        }

        var deadline = _time.GetUtcNow() + wait;
        while (true)
        {
            Task signal;
            lock (_commitGate)
            {
                signal = _committed.Task;
            }

            var last = CommittedLsn(wal);
            if (fromLsn <= last)
            {
                var records = new List<ChangeRecord>();
                var layout = Layout;
                if (fromLsn < wal.OldestLsn)
                {
                    throw new ChangeFeedGapException(Name, fromLsn, wal.OldestLsn);
                }

                var lastVisited = fromLsn - 1;
                wal.Read(fromLsn, last, maxRecords, 4 << 20, (lsn, payload) =>
                {
                    lastVisited = lsn;
                    if (ChangeCodec.TryDecode(payload, layout) is { } change)
                    {
                        records.Add(new ChangeRecord(lsn, change));
                    }
                });
                if (lastVisited < fromLsn && fromLsn < wal.OldestLsn)
                {
                    throw new ChangeFeedGapException(Name, fromLsn, wal.OldestLsn); // dropped while we read
                }

                return new ChangeBatch(records, lastVisited + 1, last);
            }

            var remaining = deadline - _time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                return new ChangeBatch([], fromLsn, last);
            }

            try
            {
                await signal.WaitAsync(remaining, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return new ChangeBatch([], fromLsn, CommittedLsn(wal));
            }
        }
    }

    /// <summary>Registers or moves a follower's retention pin (durable): the log keeps records from <paramref name="nextLsn"/> on.</summary>
    public Task RegisterFollowerAsync(string follower, long nextLsn, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ValidateFollower(follower);
        if (nextLsn < 1)
        {
            throw new ValidationException("next_lsn", $"must be at least 1, got {nextLsn}.");
        }

        (_followers ?? throw new ValidationException("changes", "a memory collection keeps no log, so it has no change feed.")).Set(follower, nextLsn);
        return Task.CompletedTask;
    }

    /// <summary>Removes a follower's pin; false when there was none.</summary>
    public Task<bool> RemoveFollowerAsync(string follower, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ValidateFollower(follower);
        return Task.FromResult(_followers?.Remove(follower) ?? false);
    }

    /// <summary>The last LSN a follower may see: applied, and durable at the collection's level.</summary>
    private long CommittedLsn(WriteAheadLog wal)
    {
        var applied = Volatile.Read(ref _appliedLsn);
        return _options.Durability == Durability.Sync ? applied : Math.Min(applied, wal.DurableLsn);
    }

    /// <summary>Wakes change-feed readers waiting for new writes.</summary>
    private void SignalCommitted()
    {
        TaskCompletionSource done;
        lock (_commitGate)
        {
            done = _committed;
            _committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        done.TrySetResult();
    }

    /// <summary>
    /// How far a checkpoint at <paramref name="lsn"/> may drop the log: through its LSN, but not
    /// past what a follower still needs, unless the log kept for followers would exceed
    /// <see cref="DatabaseOptions.MaxRetainedWalBytes"/> (then that follower must resync).
    /// </summary>
    private long RetainedThrough(WriteAheadLog wal, long lsn)
    {
        if (_followers?.Minimum is not { } pin || pin > lsn)
        {
            return lsn;
        }

        return wal.BytesAfter(pin - 1) - wal.BytesAfter(lsn) > _maxRetainedWalBytes ? lsn : pin - 1;
    }

    private static void ValidateFollower(string follower)
    {
        if (string.IsNullOrEmpty(follower) || !FollowerName().IsMatch(follower))
        {
            throw new ValidationException("follower", $"'{follower}' is not a follower name: use 1-128 letters, digits, '_', '-' or '.'.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,128}$")]
    private static partial Regex FollowerName();
}
