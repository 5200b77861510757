namespace RoseForest.Engine.Internal;

/// <summary>A checkpoint (the engine's own snapshot file) of a collection.</summary>
/// <param name="Name">The file name.</param>
/// <param name="Path">The full path.</param>
/// <param name="Lsn">The LSN it covers.</param>
/// <param name="Bytes">Its size.</param>
internal sealed record CheckpointInfo(string Name, string Path, long Lsn, long Bytes);
