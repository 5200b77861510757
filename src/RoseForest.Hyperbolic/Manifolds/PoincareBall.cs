using RoseForest.Core;
using RoseForest.Core.Spaces;

namespace RoseForest.Hyperbolic.Manifolds;

/// <summary>
/// The Poincaré ball of curvature −c: the points x with √c‖x‖ &lt; 1 and the metric
/// λ_x² ⟨·,·⟩ with the conformal factor λ_x = 2 / (1 − c‖x‖²). Formulas follow Ganea, Bécigneul
/// &amp; Hofmann (2018): Möbius addition and scalar multiplication, and the exp/log maps written
/// with them. See docs/hyperbolic.md.
/// </summary>
public sealed class PoincareBall : IManifold
{
    /// <summary>
    /// Points are kept at √c‖x‖ ≤ 1 − ε with ε = 1e-5 (the same bound the collections enforce), so
    /// 1 − c‖x‖² stays ≥ 2e-5 and distances stay finite.
    /// </summary>
    public const double BoundaryEpsilon = VectorPreparer.PoincareBoundaryEpsilon;

    /// <summary>Creates the ball of curvature −<paramref name="curvature"/>.</summary>
    /// <exception cref="ValidationException">When the curvature magnitude is not a finite number &gt; 0.</exception>
    public PoincareBall(double curvature = GeometryInfo.DefaultCurvature)
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

    /// <inheritdoc />
    public int CoordinateCount(int dimension) => dimension;

    /// <summary>The conformal factor λ_x = 2 / (1 − c‖x‖²).</summary>
    public double ConformalFactor(ReadOnlySpan<double> x) => 2 / (1 - (Curvature * SpanMath.Dot(x, x)));

    /// <summary>d(x,y) = arcosh(1 + 2c‖x−y‖² / ((1−c‖x‖²)(1−c‖y‖²))) / √c.</summary>
    public double Distance(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        SpanMath.CheckSameLength(x.Length, y.Length, "distance");
        var c = Curvature;
        var denom = (1 - (c * SpanMath.Dot(x, x))) * (1 - (c * SpanMath.Dot(y, y)));
        return GeometryMath.ArcoshOnePlus(2 * c * SpanMath.SquaredDistance(x, y) / Math.Max(denom, double.Epsilon)) / SqrtC;
    }

    /// <summary>The same distance from float coordinates (computed in double), as search reports it.</summary>
    public double Distance(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => GeometryMath.PoincareDistance(x, y, Curvature);

    /// <summary>Möbius addition x ⊕ y = ((1 + 2c⟨x,y⟩ + c‖y‖²) x + (1 − c‖x‖²) y) / (1 + 2c⟨x,y⟩ + c²‖x‖²‖y‖²).</summary>
    public void MobiusAdd(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> result)
    {
        SpanMath.CheckSameLength(x.Length, y.Length, "mobius_add");
        var c = Curvature;
        var xy = SpanMath.Dot(x, y);
        var xx = SpanMath.Dot(x, x);
        var yy = SpanMath.Dot(y, y);
        var denom = 1 + (2 * c * xy) + (c * c * xx * yy);
        SpanMath.Combine((1 + (2 * c * xy) + (c * yy)) / denom, x, (1 - (c * xx)) / denom, y, result);
    }

    /// <summary>Möbius scalar multiplication r ⊗ x = tanh(r·artanh(√c‖x‖)) x / (√c‖x‖).</summary>
    public void MobiusScale(double r, ReadOnlySpan<double> x, Span<double> result)
    {
        var norm = Math.Sqrt(SpanMath.Dot(x, x));
        if (norm == 0)
        {
            result.Clear();
            return;
        }

        var scaled = Math.Min(SqrtC * norm, 1 - BoundaryEpsilon);
        SpanMath.Scale(Math.Tanh(r * SpanMath.Artanh(scaled)) / (SqrtC * norm), x, result);
    }

    /// <summary>exp_x(v) = x ⊕ (tanh(√c λ_x ‖v‖ / 2) v / (√c‖v‖)).</summary>
    public void Exp(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> result)
    {
        SpanMath.CheckSameLength(x.Length, v.Length, "exp");
        var norm = Math.Sqrt(SpanMath.Dot(v, v));
        if (norm == 0)
        {
            x.CopyTo(result);
            return;
        }

        Span<double> step = v.Length <= 256 ? stackalloc double[v.Length] : new double[v.Length];
        SpanMath.Scale(Math.Tanh(SqrtC * ConformalFactor(x) * norm / 2) / (SqrtC * norm), v, step);
        MobiusAdd(x, step, result);
        Project(result);
    }

    /// <summary>log_x(y) = 2 / (√c λ_x) · artanh(√c‖w‖) · w / ‖w‖ with w = (−x) ⊕ y.</summary>
    public void Log(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> result)
    {
        SpanMath.CheckSameLength(x.Length, y.Length, "log");
        Span<double> negX = x.Length <= 256 ? stackalloc double[x.Length] : new double[x.Length];
        SpanMath.Scale(-1, x, negX);
        MobiusAdd(negX, y, result);
        var norm = Math.Sqrt(SpanMath.Dot(result, result));
        if (norm == 0)
        {
            result.Clear();
            return;
        }

        var scaled = Math.Min(SqrtC * norm, 1 - (BoundaryEpsilon * BoundaryEpsilon));
        SpanMath.Scale(2 / (SqrtC * ConformalFactor(x)) * SpanMath.Artanh(scaled) / norm, result, result);
    }

    /// <summary>‖v‖_x = λ_x ‖v‖.</summary>
    public double TangentNorm(ReadOnlySpan<double> x, ReadOnlySpan<double> v) => ConformalFactor(x) * Math.Sqrt(SpanMath.Dot(v, v));

    /// <summary>Pulls a point with √c‖x‖ &gt; 1 − ε back to √c‖x‖ = 1 − ε along its own direction (ε = <see cref="BoundaryEpsilon"/>).</summary>
    public void Project(Span<double> x)
    {
        var scaled = SqrtC * Math.Sqrt(SpanMath.Dot(x, x));
        if (scaled > 1 - BoundaryEpsilon)
        {
            SpanMath.Scale((1 - BoundaryEpsilon) / scaled, x, x);
        }
    }

    /// <inheritdoc />
    public void Origin(Span<double> result) => result.Clear();
}
