namespace RoseForest.VectorData;

/// <summary>
/// RoseForest's own distance functions, beyond MEVD's <see cref="Microsoft.Extensions.VectorData.DistanceFunction"/>:
/// the hyperbolic geometries. Set them as a vector property's <c>DistanceFunction</c>.
/// </summary>
public static class RoseForestDistanceFunction
{
    /// <summary>The Poincaré ball of curvature −1: the true hyperbolic distance, lower is better. Vectors must lie inside the unit ball.</summary>
    public const string PoincareDistance = nameof(PoincareDistance);

    /// <summary>
    /// The Lorentz (hyperboloid) model of curvature −1: the true hyperbolic distance, lower is
    /// better. A vector holds the n+1 ambient coordinates of a point on the hyperboloid.
    /// </summary>
    public const string LorentzDistance = nameof(LorentzDistance);
}
