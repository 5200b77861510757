using RoseForest.Knowledge.Crdt;

namespace RoseForest.Knowledge.Sync;

/// <summary>
/// The in-memory changes feed of a <see cref="Replica"/>. It keeps every change until the owner
/// releases a prefix (<see cref="Release"/>: a durable layer that has copied the changes out);
/// numbering never restarts.
/// </summary>
public sealed class ChangeFeed : IChangeFeed
{
    private readonly List<ReplicaState> _changes = [];
    private long _released;

    /// <summary>The feed's owner, reported as the source of batches.</summary>
    public string Source { get; internal set; } = string.Empty;

    /// <inheritdoc />
    public long LastSequence => _released + _changes.Count;

    /// <summary>The number of the oldest change still held, minus one (0 until something is released).</summary>
    public long ReleasedThrough => _released;

    /// <summary>Appends a delta and returns its number.</summary>
    public long Append(ReplicaState delta)
    {
        _changes.Add(delta);
        return LastSequence;
    }

    /// <summary>
    /// Forgets the changes numbered up to <paramref name="throughSequence"/> (they were copied out
    /// by a durable feed); reading them afterwards throws. Numbering continues unchanged.
    /// </summary>
    public void Release(long throughSequence)
    {
        var count = (int)Math.Clamp(throughSequence - _released, 0, _changes.Count);
        _changes.RemoveRange(0, count);
        _released += count;
    }

    /// <inheritdoc />
    public ChangeBatch ReadSince(long checkpoint, int maxChanges)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(checkpoint);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxChanges);
        if (checkpoint < _released)
        {
            throw new InvalidOperationException($"changes 1..{_released} were released; cannot read from {checkpoint + 1}.");
        }

        var start = (int)Math.Min(checkpoint - _released, _changes.Count);
        var count = Math.Min(maxChanges, _changes.Count - start);
        var changes = new List<Change>(count);
        for (var i = start; i < start + count; i++)
        {
            changes.Add(new Change(_released + i + 1, _changes[i]));
        }

        return new ChangeBatch(Source, changes, LastSequence);
    }
}
