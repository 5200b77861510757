namespace RoseForest.Hyperbolic.Manifolds;

/// <summary>Points on the geodesic between two points of any <see cref="IManifold"/>.</summary>
public static class Geodesics
{
    /// <summary>γ(t) = exp_x(t · log_x(y)): t = 0 gives x, t = 1 gives y, and d(x, γ(t)) = t·d(x, y) for t in [0, 1].</summary>
    public static void Interpolate(IManifold manifold, ReadOnlySpan<double> x, ReadOnlySpan<double> y, double t, Span<double> result)
    {
        ArgumentNullException.ThrowIfNull(manifold);
        Span<double> v = x.Length <= 256 ? stackalloc double[x.Length] : new double[x.Length];
        manifold.Log(x, y, v);
        SpanMath.Scale(t, v, v);
        manifold.Exp(x, v, result);
    }

    /// <summary>The geodesic midpoint γ(1/2), equidistant from x and y.</summary>
    public static void Midpoint(IManifold manifold, ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> result) => Interpolate(manifold, x, y, 0.5, result);

    /// <summary>
    /// The weighted midpoint: the point on the geodesic at t = w_y / (w_x + w_y), which is the exact
    /// weighted Fréchet mean of the two points (closed form, no iteration).
    /// </summary>
    /// <exception cref="ArgumentException">Weights negative, non-finite, or both zero.</exception>
    public static void WeightedMidpoint(IManifold manifold, ReadOnlySpan<double> x, double weightX, ReadOnlySpan<double> y, double weightY, Span<double> result)
    {
        if (!double.IsFinite(weightX) || !double.IsFinite(weightY) || weightX < 0 || weightY < 0 || weightX + weightY <= 0)
        {
            throw new ArgumentException($"weights must be finite, >= 0 and not both zero, got {weightX} and {weightY}.");
        }

        Interpolate(manifold, x, y, weightY / (weightX + weightY), result);
    }
}
