namespace RoseForest.Knowledge.Crdt;

/// <summary>
/// The marker a record delete leaves: which record, the delete's dot and HLC stamp. The delete
/// itself works through the causal context (it removes exactly the entries it observed); the
/// marker lets readers tell "deleted" from "never existed" and is collected once every known
/// peer has acknowledged its dot (see <see cref="Replica.CollectGarbage"/>).
/// </summary>
/// <param name="RecordId">The deleted record.</param>
/// <param name="Dot">The delete's dot.</param>
/// <param name="Stamp">The delete's HLC reading.</param>
public sealed record Tombstone(string RecordId, Dot Dot, HlcTimestamp Stamp);
