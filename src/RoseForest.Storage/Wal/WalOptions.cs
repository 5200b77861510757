namespace RoseForest.Storage.Wal;

/// <summary>Settings of one write-ahead log.</summary>
public sealed class WalOptions
{
    /// <summary>A segment is closed and a new one started once it reaches this size (default 32 MiB).</summary>
    public long SegmentBytes { get; init; } = 32L << 20;

    /// <summary>The largest record the log accepts (default 256 MiB); bigger ones are refused before any write.</summary>
    public int MaxRecordBytes { get; init; } = 256 << 20;
}
