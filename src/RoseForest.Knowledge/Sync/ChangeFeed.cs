using RoseForest.Knowledge.Crdt;

namespace RoseForest.Knowledge.Sync;

/// <summary>
/// The in-memory changes feed of a <see cref="Replica"/>. It keeps every change; truncating the
/// prefix every peer has checkpointed past is left to a durable implementation.
/// </summary>
public sealed class ChangeFeed : IChangeFeed
{
    private readonly List<ReplicaState> _changes = [];

    /// <summary>The feed's owner, reported as the source of batches.</summary>
    public string Source { get; internal set; } = string.Empty;

    /// <inheritdoc />
    public long LastSequence => _changes.Count;

    /// <summary>Appends a delta and returns its number.</summary>
    public long Append(ReplicaState delta)
    {
        _changes.Add(delta);
        return _changes.Count;
    }

    /// <inheritdoc />
    public ChangeBatch ReadSince(long checkpoint, int maxChanges)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(checkpoint);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxChanges);
        var start = (int)Math.Min(checkpoint, _changes.Count);
        var count = Math.Min(maxChanges, _changes.Count - start);
        var changes = new List<Change>(count);
        for (var i = start; i < start + count; i++)
        {
            changes.Add(new Change(i + 1, _changes[i]));
        }

        return new ChangeBatch(Source, changes, _changes.Count);
    }
}
