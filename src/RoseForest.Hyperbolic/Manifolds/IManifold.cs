namespace RoseForest.Hyperbolic.Manifolds;

/// <summary>
/// A Riemannian manifold whose points and tangent vectors are arrays of doubles in its model's
/// coordinates (the ball for Poincaré, the n+1 ambient coordinates for Lorentz). The generic
/// algorithms (<see cref="FrechetMean"/>, <see cref="Geodesics"/>) work through this interface.
/// </summary>
public interface IManifold
{
    /// <summary>The (constant) sectional curvature: −c for the hyperbolic models, 0 for flat space.</summary>
    double SectionalCurvature { get; }

    /// <summary>The number of coordinates of a point of intrinsic dimension <paramref name="dimension"/>.</summary>
    int CoordinateCount(int dimension);

    /// <summary>The geodesic distance between two points.</summary>
    double Distance(ReadOnlySpan<double> x, ReadOnlySpan<double> y);

    /// <summary>The exponential map: the point reached from <paramref name="x"/> along the geodesic with initial velocity <paramref name="v"/>.</summary>
    void Exp(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> result);

    /// <summary>The logarithmic map, the inverse of <see cref="Exp"/>: the tangent vector at <paramref name="x"/> pointing to <paramref name="y"/>, of length d(x, y).</summary>
    void Log(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> result);

    /// <summary>The Riemannian length of the tangent vector <paramref name="v"/> at <paramref name="x"/>.</summary>
    double TangentNorm(ReadOnlySpan<double> x, ReadOnlySpan<double> v);

    /// <summary>Moves a point that has drifted off the manifold (by rounding or by a step) back onto it, in place.</summary>
    void Project(Span<double> x);

    /// <summary>Writes the manifold's origin (the ball's centre, the hyperboloid's apex, zero).</summary>
    void Origin(Span<double> result);
}
