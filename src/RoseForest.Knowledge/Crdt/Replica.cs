using RoseForest.Knowledge.Model;
using RoseForest.Knowledge.Sync;

namespace RoseForest.Knowledge.Crdt;

/// <summary>
/// One node's replica: its state, its hybrid logical clock, its dot counter and its changes feed.
/// Every mutation makes a delta (a <see cref="ReplicaState"/>), applies it, appends it to
/// <see cref="Changes"/> and returns it for shipping; <see cref="Merge"/> applies a delta, batch or
/// whole state from a peer. Not thread-safe: callers serialise access to one replica.
/// </summary>
public sealed partial class Replica
{
    private readonly SortedDictionary<string, Dictionary<string, long>> _acknowledgements = new(StringComparer.Ordinal);
    private long _seq;

    /// <summary>Creates an empty replica for a node.</summary>
    public Replica(string nodeId, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        NodeId = nodeId;
        Clock = new HybridLogicalClock(nodeId, time);
        Changes.Source = nodeId;
    }

    /// <summary>The node id: the origin of this replica's dots and the tie-break of its stamps.</summary>
    public string NodeId { get; }

    /// <summary>The replica's hybrid logical clock.</summary>
    public HybridLogicalClock Clock { get; }

    /// <summary>The current state (read it; change it only through this replica).</summary>
    public ReplicaState State { get; } = new();

    /// <summary>Every delta this replica made or merged that changed its state, numbered 1, 2, 3, ...</summary>
    public ChangeFeed Changes { get; } = new();

    /// <summary>Writes one field; the write supersedes the field's writes observed here.</summary>
    public ReplicaState WriteField(string recordId, string field, string value)
        => WriteField(recordId, field, value, static _ => true);

    /// <summary>
    /// Writes one field, superseding only the observed writes <paramref name="supersedes"/> selects;
    /// the others stay beside the new write as concurrent versions.
    /// </summary>
    public ReplicaState WriteField(string recordId, string field, string value, Func<FieldVersion, bool> supersedes)
        => Apply(ReplicaState.FieldWrite(State, recordId, field, value, NextDot(), Clock.Now(), supersedes));

    /// <summary>Writes several fields of one record with one HLC reading (one dot per field).</summary>
    public ReplicaState WriteFields(string recordId, IReadOnlyDictionary<string, string> fields)
    {
        var stamp = Clock.Now();
        var delta = new ReplicaState();
        foreach (var (field, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            delta.Merge(ReplicaState.FieldWrite(State, recordId, field, value, NextDot(), stamp, static _ => true));
        }

        return Apply(delta);
    }

    /// <summary>Removes the observed writes of a field that <paramref name="removes"/> selects (all when null).</summary>
    public ReplicaState RemoveField(string recordId, string field, Func<FieldVersion, bool>? removes = null)
        => Apply(ReplicaState.FieldRemoval(State, recordId, field, removes ?? (static _ => true)));

    /// <summary>Adds a tag to a record (add-wins against concurrent removes).</summary>
    public ReplicaState AddTag(string recordId, string tag)
        => Apply(ReplicaState.TagAdd(State, recordId, tag, NextDot(), Clock.Now()));

    /// <summary>Removes the adds of a tag observed here.</summary>
    public ReplicaState RemoveTag(string recordId, string tag)
        => Apply(ReplicaState.TagRemoval(State, recordId, tag));

    /// <summary>
    /// Records a vote (already verified by the caller). The vote's own stamp orders it among the
    /// voter's votes; the replica's clock absorbs that stamp.
    /// </summary>
    public ReplicaState CastVote(string recordId, SignedVote vote)
    {
        if (vote.Vote.Stamp > Clock.Current)
        {
            Clock.Receive(vote.Vote.Stamp);
        }

        var next = Math.Max(_seq, State.Context.Max(NodeId)) + 1;
        var delta = ReplicaState.VoteCast(State, recordId, vote, new Dot(NodeId, next));
        if (!delta.IsEmpty)
        {
            _seq = next;
        }

        return Apply(delta);
    }

    /// <summary>Deletes a record: removes every entry of it observed here and leaves a delete marker.</summary>
    public ReplicaState Delete(string recordId)
        => Apply(ReplicaState.RecordDelete(State, recordId, NextDot(), Clock.Now()));

    /// <summary>
    /// Merges a delta, batch or state from a peer. The clock absorbs the largest stamp so later
    /// local writes order after what was seen. A merge that changed the state is appended to
    /// <see cref="Changes"/> so it travels on to this replica's own peers; a repeat changes nothing.
    /// </summary>
    public bool Merge(ReplicaState incoming)
    {
        if (incoming.MaxStamp() is { } max && max > Clock.Current)
        {
            Clock.Receive(max);
        }

        if (!State.Merge(incoming))
        {
            return false;
        }

        Changes.Append(incoming.Clone());
        return true;
    }

    private Dot NextDot()
    {
        _seq = Math.Max(_seq, State.Context.Max(NodeId)) + 1;
        return new Dot(NodeId, _seq);
    }

    private ReplicaState Apply(ReplicaState delta)
    {
        if (State.Merge(delta))
        {
            Changes.Append(delta);
        }

        return delta;
    }
}
