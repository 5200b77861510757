namespace RoseForest.Engine;

/// <summary>A snapshot (checkpoint) file of a collection.</summary>
/// <param name="Name">The file name.</param>
/// <param name="Path">The full path.</param>
/// <param name="Lsn">The LSN it covers.</param>
/// <param name="Bytes">Its size.</param>
public sealed record SnapshotInfo(string Name, string Path, long Lsn, long Bytes);
