namespace RoseForest.Hyperbolic.Graphs;

/// <summary>A recommended geometry and why.</summary>
/// <param name="Geometry">"lorentz" (hyperbolic; "poincare" is the same space in other coordinates), "euclid" or "cosine".</param>
/// <param name="Reason">The measurement behind it, in words.</param>
internal sealed record GeometryRecommendation(string Geometry, string Reason);
