using System.Text.Json;

namespace RoseForest.Contracts;

/// <summary>A search hit.</summary>
/// <param name="Id">The point's id.</param>
/// <param name="Version">The LSN of the write that last changed the point.</param>
/// <param name="Score">Similarity for cosine and dot (higher is better); the true distance otherwise (lower is better).</param>
/// <param name="Vector">The stored unnamed vector, when asked for.</param>
/// <param name="Payload">The payload (selected keys), when asked for and present.</param>
public sealed record ScoredPoint(PointId Id, long Version, double Score, float[]? Vector, JsonElement? Payload)
{
    /// <summary>The named vectors asked for (name → vector), or null.</summary>
    public IReadOnlyDictionary<string, VectorData>? Vectors { get; init; }

    /// <summary>The payload value the point was ordered by (an order-by query), or null.</summary>
    public OrderValue? OrderValue { get; init; }
}
