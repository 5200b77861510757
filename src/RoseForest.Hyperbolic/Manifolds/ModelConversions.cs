namespace RoseForest.Hyperbolic.Manifolds;

/// <summary>
/// The isometries between the Poincaré ball and the hyperboloid of the same curvature −c
/// (stereographic projection from (−1/√c, 0, …, 0)), and the Euclidean case as the flat limit.
/// </summary>
public static class ModelConversions
{
    /// <summary>Hyperboloid → ball: p_i = x_i / (1 + √c·x0). <paramref name="result"/> has one coordinate fewer.</summary>
    public static void LorentzToPoincare(ReadOnlySpan<double> x, Span<double> result, double curvature = 1)
    {
        SpanMath.CheckSameLength(x.Length - 1, result.Length, "lorentz_to_poincare");
        var scale = 1 / (1 + (Math.Sqrt(curvature) * x[0]));
        SpanMath.Scale(scale, x[1..], result);
    }

    /// <summary>
    /// Ball → hyperboloid: with s = c‖p‖², x0 = (1 + s) / (√c(1 − s)) and x_i = 2p_i / (1 − s).
    /// <paramref name="result"/> has one coordinate more.
    /// </summary>
    public static void PoincareToLorentz(ReadOnlySpan<double> p, Span<double> result, double curvature = 1)
    {
        SpanMath.CheckSameLength(p.Length + 1, result.Length, "poincare_to_lorentz");
        var s = curvature * SpanMath.Dot(p, p);
        var inv = 1 / (1 - s);
        result[0] = (1 + s) * inv / Math.Sqrt(curvature);
        SpanMath.Scale(2 * inv, p, result[1..]);
    }

    /// <summary>
    /// The Euclidean tangent picture of a ball point: log at the origin, v = 2 artanh(√c‖p‖) p / (√c‖p‖),
    /// the coordinates in which a Euclidean model would see the same point (exact distances from the origin).
    /// </summary>
    public static void PoincareToTangentAtOrigin(ReadOnlySpan<double> p, Span<double> result, double curvature = 1)
    {
        SpanMath.CheckSameLength(p.Length, result.Length, "poincare_to_tangent");
        var norm = Math.Sqrt(curvature * SpanMath.Dot(p, p));
        SpanMath.Scale(norm == 0 ? 2 : 2 * SpanMath.Artanh(Math.Min(norm, 1 - 1e-16)) / norm, p, result);
    }
}
