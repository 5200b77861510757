namespace RoseForest.Knowledge.Sync;

/// <summary>
/// A replica's changes feed: the deltas that changed its state, numbered 1, 2, 3, ... in the
/// order they were applied. A reader keeps a checkpoint (the last number it applied) and asks for
/// what follows; because every delta is a state and merging is idempotent, reading a range twice
/// is harmless.
/// </summary>
public interface IChangeFeed
{
    /// <summary>The number of the newest change (0 when empty).</summary>
    long LastSequence { get; }

    /// <summary>Up to <paramref name="maxChanges"/> changes after <paramref name="checkpoint"/>, oldest first.</summary>
    ChangeBatch ReadSince(long checkpoint, int maxChanges);
}
