using RoseForest.Core;
using RoseForest.Core.Spaces;

namespace RoseForest.Hyperbolic.Manifolds;

/// <summary>
/// The hyperboloid (Lorentz) model of curvature −c: points x = (x0, x1..xn) with
/// ⟨x,x⟩_L = −x0² + Σ xi² = −1/c and x0 &gt; 0; tangent vectors v at x satisfy ⟨x,v⟩_L = 0.
/// Formulas follow Nickel &amp; Kiela (2018); see docs/hyperbolic.md.
/// </summary>
public sealed class LorentzModel : IManifold
{
    /// <summary>Creates the hyperboloid of curvature −<paramref name="curvature"/>.</summary>
    /// <exception cref="ValidationException">When the curvature magnitude is not a finite number &gt; 0.</exception>
    public LorentzModel(double curvature = GeometryInfo.DefaultCurvature)
    {
        GeometryInfo.ValidateCurvature(curvature);
        Curvature = curvature;
        SqrtC = Math.Sqrt(curvature);
    }

    /// <summary>The curvature magnitude c (the space has curvature −c).</summary>
    public double Curvature { get; }

    private double SqrtC { get; }

    /// <inheritdoc />
    public double SectionalCurvature => -Curvature;

    /// <summary>n + 1 ambient coordinates for an n-dimensional hyperboloid.</summary>
    public int CoordinateCount(int dimension) => dimension + 1;

    /// <summary>The Minkowski inner product ⟨x,y⟩_L = −x0·y0 + Σ_{i≥1} xi·yi.</summary>
    public static double MinkowskiDot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        SpanMath.CheckSameLength(x.Length, y.Length, "minkowski_dot");
        return SpanMath.Dot(x[1..], y[1..]) - (x[0] * y[0]);
    }

    /// <summary>d(x,y) = arcosh(−c⟨x,y⟩_L) / √c, computed as arcosh(1 + c‖x−y‖²_L / 2) / √c to keep precision for near points.</summary>
    public double Distance(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        SpanMath.CheckSameLength(x.Length, y.Length, "distance");
        var d0 = x[0] - y[0];
        var s = SpanMath.SquaredDistance(x[1..], y[1..]) - (d0 * d0);
        return GeometryMath.ArcoshOnePlus(Math.Max(0, Curvature * s / 2)) / SqrtC;
    }

    /// <summary>The same distance from float coordinates (computed in double), as search reports it.</summary>
    public double Distance(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => GeometryMath.LorentzDistance(x, y, Curvature);

    /// <summary>exp_x(v) = cosh(√c‖v‖_L) x + sinh(√c‖v‖_L) v / (√c‖v‖_L), with ‖v‖_L = √⟨v,v⟩_L; the result is re-projected.</summary>
    public void Exp(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> result)
    {
        SpanMath.CheckSameLength(x.Length, v.Length, "exp");
        var norm = Math.Sqrt(Math.Max(MinkowskiDot(v, v), 0));
        if (norm == 0)
        {
            x.CopyTo(result);
            return;
        }

        var a = SqrtC * norm;
        SpanMath.Combine(Math.Cosh(a), x, Math.Sinh(a) / a, v, result);
        Project(result);
    }

    /// <summary>log_x(y) = d(x,y) · u / ‖u‖_L with u = y + c⟨x,y⟩_L x, the part of y tangent at x.</summary>
    public void Log(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> result)
    {
        SpanMath.CheckSameLength(x.Length, y.Length, "log");
        SpanMath.Combine(1, y, Curvature * MinkowskiDot(x, y), x, result);
        var norm = Math.Sqrt(Math.Max(MinkowskiDot(result, result), 0));
        if (norm == 0)
        {
            result.Clear();
            return;
        }

        SpanMath.Scale(Distance(x, y) / norm, result, result);
    }

    /// <summary>‖v‖_L = √⟨v,v⟩_L (tangent vectors are spacelike).</summary>
    public double TangentNorm(ReadOnlySpan<double> x, ReadOnlySpan<double> v) => Math.Sqrt(Math.Max(MinkowskiDot(v, v), 0));

    /// <summary>Projects an ambient vector onto the tangent space at x: v + c⟨x,v⟩_L x, in place.</summary>
    public void ProjectTangent(ReadOnlySpan<double> x, Span<double> v) => SpanMath.Combine(1, v, Curvature * MinkowskiDot(x, v), x, v);

    /// <summary>Keeps the spatial coordinates and recomputes x0 = √(1/c + Σ xi²), in place.</summary>
    public void Project(Span<double> x) => x[0] = Math.Sqrt((1 / Curvature) + SpanMath.Dot(x[1..], x[1..]));

    /// <summary>Lifts a spatial vector s ∈ ℝⁿ onto the hyperboloid: (√(1/c + ‖s‖²), s).</summary>
    public void Lift(ReadOnlySpan<double> spatial, Span<double> result)
    {
        SpanMath.CheckSameLength(spatial.Length + 1, result.Length, "lift");
        spatial.CopyTo(result[1..]);
        Project(result);
    }

    /// <inheritdoc />
    public void Origin(Span<double> result)
    {
        result.Clear();
        result[0] = 1 / SqrtC;
    }
}
