namespace RoseForest.Contracts;

/// <summary>When a write is acknowledged, relative to the disk.</summary>
public enum Durability
{
    /// <summary>The log record is fsynced before the write returns. Survives power loss. The default.</summary>
    Sync,

    /// <summary>
    /// The record is handed to the OS before the write returns (so it survives a process crash) and
    /// fsynced by a group commit at most every <see cref="CollectionOptions.FlushInterval"/>; a power
    /// loss can lose that last interval.
    /// </summary>
    Buffered,

    /// <summary>No files at all: the collection lives and dies with the process.</summary>
    Memory,
}
