using RoseForest.Core.Spaces;
using RoseForest.Hyperbolic.Manifolds;

namespace RoseForest.Hyperbolic.Training;

/// <summary>
/// Poincaré ball, c = 1 (Nickel &amp; Kiela 2017): the gradient of d(u,v) = arcosh(1 + 2‖u−v‖²/(αβ)),
/// α = 1−‖u‖², β = 1−‖v‖², is 4/(β√(γ²−1)) · ((‖v‖² − 2⟨u,v⟩ + 1)/α² · u − v/α); the step rescales it
/// by the inverse metric (1−‖u‖²)²/4 and projects back inside the ball.
/// </summary>
internal readonly struct PoincareKernel : IModelKernel
{
    private const double MinGap = 1e-15;

    public static int Stride(int dimension) => dimension;

    public static void Initialize(Span<double> row, Random random, double range)
    {
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = ((random.NextDouble() * 2) - 1) * range;
        }
    }

    public static double LossDistance(ReadOnlySpan<double> u, ReadOnlySpan<double> v) => Distance(u, v);

    public static double Distance(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        var alpha = Math.Max(1 - SpanMath.Dot(u, u), MinGap);
        var beta = Math.Max(1 - SpanMath.Dot(v, v), MinGap);
        return GeometryMath.ArcoshOnePlus(2 * SpanMath.SquaredDistance(u, v) / (alpha * beta));
    }

    public static void AddGradient(ReadOnlySpan<double> u, ReadOnlySpan<double> v, double weight, Span<double> gu, Span<double> gv)
    {
        var uu = SpanMath.Dot(u, u);
        var vv = SpanMath.Dot(v, v);
        var uv = SpanMath.Dot(u, v);
        var alpha = Math.Max(1 - uu, MinGap);
        var beta = Math.Max(1 - vv, MinGap);
        var x = 2 * SpanMath.SquaredDistance(u, v) / (alpha * beta); // γ − 1
        var root = Math.Sqrt(Math.Max(x * (x + 2), 1e-18));           // √(γ² − 1)
        var cu = 4 * weight / (beta * root);
        var cv = 4 * weight / (alpha * root);
        var au = (vv - (2 * uv) + 1) / (alpha * alpha);
        var av = (uu - (2 * uv) + 1) / (beta * beta);
        for (var i = 0; i < u.Length; i++)
        {
            gu[i] += cu * ((au * u[i]) - (v[i] / alpha));
            gv[i] += cv * ((av * v[i]) - (u[i] / beta));
        }
    }

    public static void Step(Span<double> x, Span<double> euclideanGradient, double learningRate)
    {
        var gap = 1 - SpanMath.Dot(x, x);
        var scale = learningRate * gap * gap / 4;
        for (var i = 0; i < x.Length; i++)
        {
            x[i] -= scale * euclideanGradient[i];
        }

        Normalize(x);
    }

    public static void Normalize(Span<double> row)
    {
        var norm = Math.Sqrt(SpanMath.Dot(row, row));
        if (norm > 1 - PoincareBall.BoundaryEpsilon)
        {
            SpanMath.Scale((1 - PoincareBall.BoundaryEpsilon) / norm, row, row);
        }
    }

    public static double Aux(ReadOnlySpan<double> v) => 1 / Math.Max(1 - SpanMath.Dot(v, v), MinGap);

    public static double RankKey(ReadOnlySpan<double> u, ReadOnlySpan<double> v, double vAux) => SpanMath.SquaredDistance(u, v) * vAux;
}
