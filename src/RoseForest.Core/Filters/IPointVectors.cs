namespace RoseForest.Core.Filters;

/// <summary>
/// Tells a filter which named vectors a point has, for <c>has_vector</c>. The engine passes one
/// object per scan and points it at the current point before each
/// <see cref="Filter.Matches(PointId, System.Text.Json.JsonElement?, IPointVectors?)"/> call, so
/// nothing is allocated per point.
/// </summary>
public interface IPointVectors
{
    /// <summary>True when the point has a vector under <paramref name="vectorName"/> (<c>""</c> is the unnamed vector).</summary>
    bool Has(string vectorName);
}
