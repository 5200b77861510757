namespace RoseForest.Knowledge.Crdt;

/// <summary>One surviving write of a field: its value, HLC stamp and dot.</summary>
/// <param name="Value">The written value.</param>
/// <param name="Stamp">The writer's HLC reading.</param>
/// <param name="Dot">The write's dot.</param>
public sealed record FieldVersion(string Value, HlcTimestamp Stamp, Dot Dot);
