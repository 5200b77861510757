namespace RoseForest.Knowledge.Points;

/// <summary>What readers see of a point under a conflict strategy: alive with a vector and payload, or gone.</summary>
/// <param name="Alive">True when the point has a visible vector.</param>
/// <param name="Vector">The resolved vector, when alive.</param>
/// <param name="Payload">The visible top-level payload keys and their JSON text, ordinal order.</param>
public sealed record PointView(bool Alive, float[]? Vector, IReadOnlyList<KeyValuePair<string, string>> Payload)
{
    /// <summary>A point that is not there.</summary>
    public static PointView Gone { get; } = new(false, null, []);
}
