namespace RoseForest.Storage;

/// <summary>
/// Stored data is damaged before its tail (not a torn last write), so opening it would lose
/// acknowledged writes. Names the file and the byte offset. Opening with salvage keeps
/// everything before the damage and moves the rest aside.
/// </summary>
public sealed class StorageCorruptionException : IOException
{
    /// <summary>Creates the exception.</summary>
    public StorageCorruptionException(string filePath, long offset, string reason)
        : base($"Corrupt data in '{filePath}' at byte offset {offset}: {reason}. Open with salvage to keep everything before this point and move the rest aside.")
    {
        FilePath = filePath;
        Offset = offset;
    }

    /// <summary>The damaged file.</summary>
    public string FilePath { get; }

    /// <summary>Where the damage starts.</summary>
    public long Offset { get; }
}
