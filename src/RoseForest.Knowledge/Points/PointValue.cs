namespace RoseForest.Knowledge.Points;

/// <summary>A value written to a point field: a vector or the JSON text of a payload value.</summary>
/// <param name="Vector">The vector (vector field only).</param>
/// <param name="Json">The JSON text (payload fields only).</param>
public readonly record struct PointValue(float[]? Vector, string? Json)
{
    /// <summary>A vector value.</summary>
    public static PointValue Of(float[] vector) => new(vector, null);

    /// <summary>A payload value given as JSON text.</summary>
    public static PointValue OfJson(string json) => new(null, json);
}
