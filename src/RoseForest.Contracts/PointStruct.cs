using System.Text.Json;

namespace RoseForest.Contracts;

/// <summary>
/// A point to write: its id, its vectors and an optional JSON object payload. <see cref="Vector"/>
/// is the unnamed dense vector (Qdrant's default vector, name <c>""</c>); <see cref="Vectors"/>
/// holds named vectors (dense, sparse or multi). A point may omit any named vector.
/// </summary>
/// <param name="Id">The point's id (a number or a UUID).</param>
/// <param name="Vector">The unnamed dense vector; its length must be the collection's dimension.</param>
/// <param name="Payload">An optional JSON object.</param>
public sealed record PointStruct(PointId Id, float[]? Vector = null, JsonElement? Payload = null)
{
    /// <summary>Named vectors: name → dense, sparse or multi vector (the unnamed vector may also be given here under <c>""</c>).</summary>
    public IReadOnlyDictionary<string, VectorData>? Vectors { get; init; }
}
