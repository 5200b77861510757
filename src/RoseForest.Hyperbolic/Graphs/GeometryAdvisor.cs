namespace RoseForest.Hyperbolic.Graphs;

/// <summary>
/// The HVS specification's select_optimal_geometry, decided by measurement. Hyperbolic space
/// suits data whose metric is tree-like: relative δ (δ / diameter) at most
/// <see cref="MaxRelativeDelta"/>. Relative δ is also small when all distances are nearly equal
/// (high-dimensional noise looks like a star), so hyperbolic is chosen only if the distances also
/// spread (coefficient of variation ≥ <see cref="MinSpread"/>). Otherwise vectors whose norms are
/// nearly equal (CV of the norms &lt; <see cref="MaxNormSpreadForCosine"/>) get cosine, and the rest euclid.
/// </summary>
internal static class GeometryAdvisor
{
    public const double MaxRelativeDelta = 0.2;

    public const double MinSpread = 0.2;

    public const double MaxNormSpreadForCosine = 0.05;

    /// <param name="delta">The δ estimate of the data.</param>
    /// <param name="normSpread">For vectors: the coefficient of variation of their norms; null for a graph.</param>
    public static GeometryRecommendation Recommend(DeltaEstimate delta, double? normSpread)
    {
        var measured = $"δ = {delta.Delta:G4} over {delta.Samples:N0} quadruples of {delta.Points} points, diameter {delta.Diameter:G4}, δ/diameter = {delta.RelativeDelta:F3}, distance spread (CV) {delta.DistanceSpread:F3}";
        if (delta.RelativeDelta <= MaxRelativeDelta && delta.DistanceSpread >= MinSpread)
        {
            return new("lorentz", $"tree-like metric ({measured}): hyperbolic space embeds it with low distortion in few dimensions; lorentz trains stably, poincare is the same space.");
        }

        var why = delta.RelativeDelta > MaxRelativeDelta ? $"not tree-like ({measured})" : $"distances too uniform to call tree-like ({measured})";
        if (normSpread is { } cv && cv < MaxNormSpreadForCosine)
        {
            return new("cosine", $"{why}; norms nearly equal (CV {cv:F3}), so direction carries the information.");
        }

        return new("euclid", normSpread is { } spread ? $"{why}; norms vary (CV {spread:F3})." : $"{why}.");
    }
}
