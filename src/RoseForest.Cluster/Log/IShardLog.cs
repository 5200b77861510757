namespace RoseForest.Cluster.Log;

/// <summary>
/// The durable, totally ordered log of every shard: the one seam between the cluster and the
/// store under it (PostgreSQL today; the door stays open for another log). Its contract:
/// an append is durable when it returns; the records of one append commit together; per shard,
/// sequence numbers are dense and commit in order (a reader that sees n has seen 1..n-1); an
/// append retried with the same idempotency key returns the first append's sequences and adds
/// nothing.
/// </summary>
internal interface IShardLog
{
    /// <summary>Appends one record to each named shard, atomically; returns the operation id and each shard's sequence.</summary>
    Task<AppendResult> AppendAsync(IReadOnlyList<(long ShardId, LogOperation Op)> records, string? idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> records after <paramref name="afterSeq"/>, in sequence order.</summary>
    Task<IReadOnlyList<LogEntry>> ReadAsync(long shardId, long afterSeq, int max, CancellationToken cancellationToken);

    /// <summary>Forgets records up to and including <paramref name="upToSeq"/>.</summary>
    Task TruncateAsync(long shardId, long upToSeq, CancellationToken cancellationToken);
}

/// <summary>The outcome of an append: the write's operation id and each shard's new sequence.</summary>
internal sealed record AppendResult(long OperationId, IReadOnlyDictionary<long, long> Sequences);

/// <summary>A record read back from a shard's log.</summary>
internal sealed record LogEntry(long Seq, LogOperation Op);
