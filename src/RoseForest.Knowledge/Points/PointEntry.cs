using RoseForest.Knowledge.Crdt;

namespace RoseForest.Knowledge.Points;

/// <summary>
/// One write of one field of a point: made once by the node its dot names, never changed. A
/// <see cref="PointFields.Vector"/> entry holds a vector, a payload entry the JSON text of one
/// top-level payload value, a <see cref="PointFields.Deleted"/> entry (a delete marker) nothing.
/// </summary>
/// <param name="Dot">The write's identity: the writing node and its per-point sequence number.</param>
/// <param name="Field">The field written.</param>
/// <param name="Stamp">The writer's hybrid logical clock reading.</param>
/// <param name="Version">One more than the largest version of the field's writes it superseded (for <c>highest_version</c>).</param>
/// <param name="Vector">The vector, for the vector field.</param>
/// <param name="Json">The JSON text of the value, for a payload field.</param>
public sealed record PointEntry(Dot Dot, string Field, HlcTimestamp Stamp, long Version, float[]? Vector, string? Json);
