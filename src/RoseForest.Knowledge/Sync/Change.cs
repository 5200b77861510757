using RoseForest.Knowledge.Crdt;

namespace RoseForest.Knowledge.Sync;

/// <summary>One numbered entry of a changes feed.</summary>
/// <param name="Sequence">Its number in the feed, from 1.</param>
/// <param name="Delta">The delta; a state, merged with <see cref="ReplicaState.Merge"/>.</param>
public sealed record Change(long Sequence, ReplicaState Delta);
