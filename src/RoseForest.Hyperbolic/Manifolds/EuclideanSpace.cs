using RoseForest.Core.Spaces;

namespace RoseForest.Hyperbolic.Manifolds;

/// <summary>Flat space ℝⁿ, the zero-curvature case: exp_x(v) = x + v, log_x(y) = y − x, d = ‖x − y‖.</summary>
public sealed class EuclideanSpace : IManifold
{
    /// <summary>The one Euclidean space (it has no parameters).</summary>
    public static EuclideanSpace Instance { get; } = new();

    /// <inheritdoc />
    public double SectionalCurvature => 0;

    /// <inheritdoc />
    public int CoordinateCount(int dimension) => dimension;

    /// <inheritdoc />
    public double Distance(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        SpanMath.CheckSameLength(x.Length, y.Length, "distance");
        return Math.Sqrt(SpanMath.SquaredDistance(x, y));
    }

    /// <summary>The same distance from float coordinates (computed in double).</summary>
    public static double Distance(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => Math.Sqrt(GeometryMath.SquaredL2(x, y));

    /// <inheritdoc />
    public void Exp(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> result) => SpanMath.Combine(1, x, 1, v, result);

    /// <inheritdoc />
    public void Log(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> result) => SpanMath.Combine(1, y, -1, x, result);

    /// <inheritdoc />
    public double TangentNorm(ReadOnlySpan<double> x, ReadOnlySpan<double> v) => Math.Sqrt(SpanMath.Dot(v, v));

    /// <summary>Every point is on the manifold: nothing to do.</summary>
    public void Project(Span<double> x)
    {
    }

    /// <inheritdoc />
    public void Origin(Span<double> result) => result.Clear();
}
