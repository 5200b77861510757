using RoseForest.Knowledge.Crdt;

namespace RoseForest.Knowledge.Sync;

/// <summary>A run of consecutive changes read from a feed.</summary>
/// <param name="Source">The node whose feed it was read from.</param>
/// <param name="Changes">The changes, oldest first; empty when the reader is up to date.</param>
/// <param name="LastSequence">The feed's newest number when read; more is pending while it exceeds the batch's end.</param>
public sealed record ChangeBatch(string Source, IReadOnlyList<Change> Changes, long LastSequence)
{
    /// <summary>The number of the last change in the batch, or null when it is empty.</summary>
    public long? EndSequence => Changes.Count == 0 ? null : Changes[^1].Sequence;

    /// <summary>True when the feed held changes past this batch.</summary>
    public bool HasMore => (EndSequence ?? LastSequence) < LastSequence;

    /// <summary>All deltas of the batch joined into one state.</summary>
    public ReplicaState Joined()
    {
        var joined = new ReplicaState();
        foreach (var change in Changes)
        {
            joined.Merge(change.Delta);
        }

        return joined;
    }
}
