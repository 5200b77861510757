namespace RoseForest.Core;

/// <summary>The geometry of a collection: how distance (or similarity) between two vectors is measured.</summary>
public enum Geometry
{
    /// <summary>Euclidean (L2) distance; lower is better.</summary>
    Euclid,

    /// <summary>Cosine similarity; vectors are normalised on write; higher is better.</summary>
    Cosine,

    /// <summary>Dot-product similarity; higher is better.</summary>
    Dot,

    /// <summary>Manhattan (L1) distance; lower is better.</summary>
    Manhattan,

    /// <summary>Poincaré ball of curvature -c; the true hyperbolic distance; lower is better.</summary>
    Poincare,

    /// <summary>
    /// Lorentz (hyperboloid) model of curvature -c; a point is given in n+1 ambient coordinates
    /// x0..xn with -x0² + Σxi² = -1/c and x0 &gt; 0; the true hyperbolic distance; lower is better.
    /// </summary>
    Lorentz,
}
