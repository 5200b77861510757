namespace RoseForest.Knowledge.Http.Store;

/// <summary>
/// Where one replicated scope (the knowledge state, or one collection's point records) keeps its
/// state: a snapshot plus the records appended after it. <see cref="Append"/> returns once the
/// record is durable; <see cref="Snapshot"/> atomically replaces the snapshot and forgets the
/// records it covers. One writer at a time (the scope's lock).
/// </summary>
internal interface ISyncLog : IDisposable
{
    /// <summary>The snapshot read when the log was opened, or null.</summary>
    byte[]? LoadedSnapshot { get; }

    /// <summary>The records after the snapshot, in append order, as read when the log was opened.</summary>
    IReadOnlyList<byte[]> LoadedRecords { get; }

    /// <summary>Bytes appended since the last snapshot (what compaction weighs).</summary>
    long BytesSinceSnapshot { get; }

    /// <summary>Appends one record and makes it durable.</summary>
    void Append(ReadOnlySpan<byte> record);

    /// <summary>Replaces the snapshot with <paramref name="snapshot"/> (the whole state now) and drops the covered records.</summary>
    void Snapshot(ReadOnlySpan<byte> snapshot);

    /// <summary>Frees what <see cref="LoadedSnapshot"/> and <see cref="LoadedRecords"/> hold, once the owner has read them.</summary>
    void ReleaseLoaded();
}
