namespace RoseForest.Storage.Wal;

/// <summary>What opening a log found and did: records replayed, and anything dropped or moved aside.</summary>
public sealed class WalRecoveryReport
{
    /// <summary>Records whose LSN was after the snapshot and were handed to replay.</summary>
    public long RecordsReplayed { get; internal set; }

    /// <summary>The last LSN found intact.</summary>
    public long LastLsn { get; internal set; }

    /// <summary>Torn tails that were cut off (crash mid-write).</summary>
    public List<WalDamage> TornTails { get; } = [];

    /// <summary>Damaged data before the tail that salvage moved aside (never deleted).</summary>
    public List<WalDamage> Salvaged { get; } = [];

    /// <summary>True when nothing was dropped or moved.</summary>
    public bool IsClean => TornTails.Count == 0 && Salvaged.Count == 0;

    /// <inheritdoc />
    public override string ToString() =>
        IsClean
            ? $"replayed {RecordsReplayed} records up to LSN {LastLsn}"
            : $"replayed {RecordsReplayed} records up to LSN {LastLsn}; {string.Join("; ", TornTails.Concat(Salvaged))}";
}

/// <summary>One piece of damage: which file, where it starts, how many bytes, and where they went.</summary>
/// <param name="FilePath">The segment that held the damage.</param>
/// <param name="Offset">The byte offset where the first bad record starts.</param>
/// <param name="Bytes">How many bytes were dropped or moved.</param>
/// <param name="Reason">Why the record was refused.</param>
/// <param name="MovedTo">For salvage, the file that now holds the bytes; null when a torn tail was cut.</param>
public sealed record WalDamage(string FilePath, long Offset, long Bytes, string Reason, string? MovedTo)
{
    /// <inheritdoc />
    public override string ToString() =>
        MovedTo is null
            ? $"cut a torn tail of {Bytes} bytes at offset {Offset} of {Path.GetFileName(FilePath)} ({Reason})"
            : $"moved {Bytes} damaged bytes from offset {Offset} of {Path.GetFileName(FilePath)} to {Path.GetFileName(MovedTo)} ({Reason})";
}
