using RoseForest.Knowledge.Model;

namespace RoseForest.Knowledge.Crdt;

/// <summary>Building deltas: each method fills an empty state with the entries and dots of one mutation.</summary>
public sealed partial class ReplicaState
{
    internal static ReplicaState FieldWrite(
        ReplicaState current, string recordId, string field, string value, Dot dot, HlcTimestamp stamp, Func<FieldVersion, bool> supersedes)
    {
        var delta = new ReplicaState();
        if (current._records.TryGetValue(recordId, out var record))
        {
            foreach (var entry in record.Fields.EntriesOf(field))
            {
                if (supersedes(new FieldVersion(entry.Value, entry.Stamp, entry.Dot)))
                {
                    delta._context.Add(entry.Dot);
                }
            }
        }

        delta.RecordFor(recordId).Fields.Add(new KernelEntry<string, string>(dot, field, value, stamp));
        delta._context.Add(dot);
        return delta;
    }

    internal static ReplicaState FieldRemoval(ReplicaState current, string recordId, string field, Func<FieldVersion, bool> removes)
    {
        var delta = new ReplicaState();
        if (current._records.TryGetValue(recordId, out var record))
        {
            foreach (var entry in record.Fields.EntriesOf(field))
            {
                if (removes(new FieldVersion(entry.Value, entry.Stamp, entry.Dot)))
                {
                    delta._context.Add(entry.Dot);
                }
            }
        }

        return delta;
    }

    internal static ReplicaState TagAdd(ReplicaState current, string recordId, string tag, Dot dot, HlcTimestamp stamp)
    {
        var delta = TagRemoval(current, recordId, tag);
        delta.RecordFor(recordId).Tags.Add(new KernelEntry<string, bool>(dot, tag, true, stamp));
        delta._context.Add(dot);
        return delta;
    }

    internal static ReplicaState TagRemoval(ReplicaState current, string recordId, string tag)
    {
        var delta = new ReplicaState();
        if (current._records.TryGetValue(recordId, out var record))
        {
            foreach (var observed in record.Tags.DotsOf(tag))
            {
                delta._context.Add(observed);
            }
        }

        return delta;
    }

    internal static ReplicaState VoteCast(ReplicaState current, string recordId, SignedVote vote, Dot dot)
    {
        var delta = new ReplicaState();
        var votes = current._records.TryGetValue(recordId, out var record) ? record.Votes : RecordState.Empty.Votes;
        var deltaVotes = new DotKernel<string, SignedVote>();
        if (VoteKernel.TryPrepareCast(votes, vote, dot, deltaVotes, delta._context))
        {
            delta.RecordFor(recordId).Votes.Join(deltaVotes, new DotContext(), new DotContext());
        }

        return delta;
    }

    internal static ReplicaState RecordDelete(ReplicaState current, string recordId, Dot dot, HlcTimestamp stamp)
    {
        var delta = new ReplicaState();
        if (current._records.TryGetValue(recordId, out var record))
        {
            foreach (var observed in record.AllDots)
            {
                delta._context.Add(observed);
            }
        }

        foreach (var observed in current._tombstones.DotsOf(recordId))
        {
            delta._context.Add(observed);
        }

        delta._tombstones.Add(new KernelEntry<string, bool>(dot, recordId, true, stamp));
        delta._context.Add(dot);
        return delta;
    }

    /// <summary>Drops delete markers whose dots every known peer has acknowledged; their dots stay in the context.</summary>
    internal int CollectTombstones(Func<Dot, bool> acknowledgedByAll)
    {
        var collectable = _tombstones.Entries.Where(e => acknowledgedByAll(e.Dot)).Select(e => e.Dot).ToList();
        foreach (var dot in collectable)
        {
            _tombstones.Remove(dot);
        }

        return collectable.Count;
    }
}
