namespace RoseForest.Contracts;

/// <summary>A snapshot in the catalogue (Qdrant's SnapshotDescription, plus the LSN it covers).</summary>
/// <param name="Name">The file name, <c>&lt;collection&gt;-&lt;lsn&gt;-&lt;yyyy-MM-dd-HH-mm-ss&gt;.snapshot</c>.</param>
/// <param name="CreationTime">When it was made (UTC).</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Checksum">Its SHA-256, lowercase hex.</param>
/// <param name="Lsn">The LSN of the last write it holds: a follower that restores it continues the change feed after it.</param>
public sealed record SnapshotDescription(string Name, DateTimeOffset CreationTime, long Size, string Checksum, long Lsn);
