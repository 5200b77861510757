using System.Text.Json;

namespace RoseForest.Contracts;

/// <summary>A stored point as read back.</summary>
/// <param name="Id">The point's id.</param>
/// <param name="Version">The LSN of the write that last changed the point.</param>
/// <param name="Vector">The stored unnamed vector (unit length for cosine), when asked for.</param>
/// <param name="Payload">The payload (selected keys), when asked for and present.</param>
public sealed record Record(PointId Id, long Version, float[]? Vector, JsonElement? Payload)
{
    /// <summary>The named vectors asked for (name → vector), or null.</summary>
    public IReadOnlyDictionary<string, VectorData>? Vectors { get; init; }
}
