using System.Text.Json;

namespace RoseForest.Contracts;

/// <summary>A point to write: its id, its vector and an optional JSON object payload.</summary>
/// <param name="Id">The point's id (a number or a UUID).</param>
/// <param name="Vector">The vector; its length must be the collection's dimension.</param>
/// <param name="Payload">An optional JSON object.</param>
public sealed record PointStruct(PointId Id, float[] Vector, JsonElement? Payload = null);
