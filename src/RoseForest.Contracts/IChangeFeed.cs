namespace RoseForest.Contracts;

/// <summary>
/// A collection's committed writes in LSN order, for followers: replicas, sync between
/// instances, mailboxes, a live view. The log keeps what a registered follower still needs
/// (up to a cap); a follower that falls further behind gets <see cref="ChangeFeedGapException"/>
/// and resyncs from a snapshot (<see cref="SnapshotDescription.Lsn"/> says where to continue).
/// </summary>
public interface IChangeFeed
{
    /// <summary>
    /// Up to <paramref name="maxRecords"/> committed writes from <paramref name="fromLsn"/>
    /// (inclusive); when there are none yet, waits up to <paramref name="wait"/> for the next
    /// (a long poll). Throws <see cref="ChangeFeedGapException"/> when the log no longer holds
    /// <paramref name="fromLsn"/>.
    /// </summary>
    Task<ChangeBatch> ReadAsync(string collection, long fromLsn, int maxRecords, TimeSpan wait, CancellationToken cancellationToken = default);

    /// <summary>
    /// Registers (or moves) a follower's retention pin: the log keeps every record from
    /// <paramref name="nextLsn"/> on, until the follower moves its pin past them or is removed.
    /// Pins survive restarts.
    /// </summary>
    Task RegisterFollowerAsync(string collection, string follower, long nextLsn, CancellationToken cancellationToken = default);

    /// <summary>Removes a follower's pin; false when there was none.</summary>
    Task<bool> RemoveFollowerAsync(string collection, string follower, CancellationToken cancellationToken = default);
}

/// <summary>A batch of the change feed.</summary>
/// <param name="Records">The writes, in LSN order.</param>
/// <param name="NextLsn">Where the next read starts.</param>
/// <param name="LastLsn">The collection's last committed LSN when the batch was read.</param>
public sealed record ChangeBatch(IReadOnlyList<ChangeRecord> Records, long NextLsn, long LastLsn);

/// <summary>One committed write.</summary>
/// <param name="Lsn">Its LSN (the write's operation id).</param>
/// <param name="Operation">What it did, always in terms of point ids.</param>
public sealed record ChangeRecord(long Lsn, ChangeOperation Operation);

/// <summary>The feed no longer holds the requested LSN: resync from a snapshot, then continue after its LSN.</summary>
public sealed class ChangeFeedGapException : RoseForestException
{
    /// <summary>Creates the exception.</summary>
    public ChangeFeedGapException(string collection, long requestedLsn, long oldestAvailableLsn)
        : base($"The change feed of `{collection}` starts at LSN {oldestAvailableLsn}; LSN {requestedLsn} was dropped from the log. Resync from a snapshot and continue after its LSN.")
    {
        Collection = collection;
        RequestedLsn = requestedLsn;
        OldestAvailableLsn = oldestAvailableLsn;
    }

    /// <summary>The collection.</summary>
    public string Collection { get; }

    /// <summary>The LSN asked for.</summary>
    public long RequestedLsn { get; }

    /// <summary>The oldest LSN the log still holds.</summary>
    public long OldestAvailableLsn { get; }
}
