namespace RoseForest.Core.Spaces;

/// <summary>
/// True scores in double precision, computed from the stored float vectors: what results report.
/// The hyperbolic distances use arcosh(1+x) = log1p(x + sqrt(x(x+2))), accurate for small x.
/// </summary>
internal static class GeometryMath
{
    public static double Score(Geometry geometry, double curvature, ReadOnlySpan<float> a, ReadOnlySpan<float> b) => geometry switch
    {
        Geometry.Euclid => Math.Sqrt(SquaredL2(a, b)),
        Geometry.Cosine or Geometry.Dot => DotProduct(a, b),
        Geometry.Manhattan => L1(a, b),
        Geometry.Poincare => PoincareDistance(a, b, curvature),
        Geometry.Lorentz => LorentzDistance(a, b, curvature),
        _ => throw new ArgumentOutOfRangeException(nameof(geometry)),
    };

    /// <summary>The per-vector constant of <see cref="ISpace.Proxy"/>: 1/(1−c‖v‖²) for Poincaré, 1 otherwise.</summary>
    public static float Aux(Geometry geometry, double curvature, ReadOnlySpan<float> v) =>
        geometry == Geometry.Poincare ? (float)(1.0 / (1.0 - (curvature * VectorMath.SumSquaresDouble(v)))) : 1f;

    public static double DotProduct(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double s = 0;
        for (var i = 0; i < a.Length; i++)
        {
            s += (double)a[i] * b[i];
        }

        return s;
    }

    public static double SquaredL2(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double s = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = (double)a[i] - b[i];
            s += d * d;
        }

        return s;
    }

    public static double L1(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double s = 0;
        for (var i = 0; i < a.Length; i++)
        {
            s += Math.Abs((double)a[i] - b[i]);
        }

        return s;
    }

    /// <summary>d(u,v) = arcosh(1 + 2c‖u−v‖² / ((1−c‖u‖²)(1−c‖v‖²))) / √c.</summary>
    public static double PoincareDistance(ReadOnlySpan<float> u, ReadOnlySpan<float> v, double c)
    {
        double uu = 0, vv = 0, dd = 0;
        for (var i = 0; i < u.Length; i++)
        {
            double a = u[i], b = v[i];
            uu += a * a;
            vv += b * b;
            dd += (a - b) * (a - b);
        }

        var denom = (1 - (c * uu)) * (1 - (c * vv));
        var x = 2 * c * dd / Math.Max(denom, double.Epsilon);
        return ArcoshOnePlus(x) / Math.Sqrt(c);
    }

    /// <summary>d(x,y) = arcosh(−c⟨x,y⟩_L) / √c, computed as arcosh(1 + c‖x−y‖²_L / 2) / √c.</summary>
    public static double LorentzDistance(ReadOnlySpan<float> x, ReadOnlySpan<float> y, double c)
    {
        var d0 = (double)x[0] - y[0];
        double s = -(d0 * d0);
        for (var i = 1; i < x.Length; i++)
        {
            var d = (double)x[i] - y[i];
            s += d * d;
        }

        return ArcoshOnePlus(Math.Max(0, c * s / 2)) / Math.Sqrt(c);
    }

    /// <summary>arcosh(1 + x) for x ≥ 0 without the cancellation of acosh near 1.</summary>
    public static double ArcoshOnePlus(double x) => Log1P(x + Math.Sqrt(x * (x + 2)));

    /// <summary>log(1 + x), accurate for small x (the classic u = 1 + x correction).</summary>
    public static double Log1P(double x)
    {
        var u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }
}
