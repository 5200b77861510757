using RoseForest.Knowledge.Model;

namespace RoseForest.Knowledge.Crdt;

/// <summary>The dot stores of one record: its field registers, its tags and its votes.</summary>
internal sealed class RecordState
{
    public static readonly RecordState Empty = new();

    public DotKernel<string, string> Fields { get; } = new();

    public DotKernel<string, bool> Tags { get; } = new();

    public DotKernel<string, SignedVote> Votes { get; } = new();

    public bool IsEmpty => Fields.IsEmpty && Tags.IsEmpty && Votes.IsEmpty;

    /// <summary>A record is alive while it has a field or a tag; votes alone do not keep it alive.</summary>
    public bool IsAlive => !Fields.IsEmpty || !Tags.IsEmpty;

    public IEnumerable<Dot> AllDots
        => Fields.Entries.Select(e => e.Dot).Concat(Tags.Entries.Select(e => e.Dot)).Concat(Votes.Entries.Select(e => e.Dot));

    public bool Join(RecordState other, DotContext mine, DotContext theirs)
    {
        var changed = Fields.Join(other.Fields, mine, theirs);
        changed |= Tags.Join(other.Tags, mine, theirs);
        changed |= Votes.Join(other.Votes, mine, theirs);
        return changed;
    }

    public RecordState Clone()
    {
        var copy = new RecordState();
        copy.Fields.Join(Fields, new DotContext(), new DotContext());
        copy.Tags.Join(Tags, new DotContext(), new DotContext());
        copy.Votes.Join(Votes, new DotContext(), new DotContext());
        return copy;
    }
}
