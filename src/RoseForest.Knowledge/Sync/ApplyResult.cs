namespace RoseForest.Knowledge.Sync;

/// <summary>What applying a batch did.</summary>
/// <param name="Applied">Changes past the checkpoint that were merged (0 for a repeated batch).</param>
/// <param name="Checkpoint">The receiver's checkpoint for the batch's source afterwards.</param>
/// <param name="Conflicts">Fields of records touched by the batch left with more than one concurrent version.</param>
public sealed record ApplyResult(int Applied, long Checkpoint, int Conflicts);
