using RoseForest.Knowledge.Crdt;

namespace RoseForest.Knowledge.Sync;

/// <summary>One version of a value as the conflict strategies see it.</summary>
/// <param name="Value">The value.</param>
/// <param name="Version">Its version number (for <see cref="ConflictStrategy.HighestVersion"/>).</param>
/// <param name="Stamp">Its HLC stamp.</param>
/// <param name="Weight">Its weight in a Fréchet mean (e.g. the author's confidence); 1 by default.</param>
public sealed record Versioned<T>(T Value, long Version, HlcTimestamp Stamp, double Weight = 1.0);
