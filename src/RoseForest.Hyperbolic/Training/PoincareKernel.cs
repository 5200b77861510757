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

    private const double Bound = 1 - PoincareBall.BoundaryEpsilon;

    /// <summary>Below this squared norm a row is certainly inside <see cref="Bound"/> (a margin over the rounding of Bound²).</summary>
    private const double SafeSquaredNorm = Bound * Bound * (1 - 1e-12);

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

    /// <summary>
    /// With x = γ − 1 = 2‖u−v‖²/(αβ): e^{−d} = 1/(1 + x + √(x(x+2))). In the gradient
    /// ‖v‖² − 2⟨u,v⟩ + 1 is written ‖u−v‖² + (1 − ‖u‖²), the same number without the cancellation
    /// near the boundary: U = 4(‖u−v‖² + 1 − ‖u‖²)/(α²β√(γ²−1)), V likewise, Cross = −4/(αβ√(γ²−1)).
    /// </summary>
    public static PairTerms Pair(ReadOnlySpan<double> u, double uAux, ReadOnlySpan<double> v, double vAux)
    {
        var squared = RowMath.SquaredDistance(u, v);
        var gapU = 1 - uAux;
        var gapV = 1 - vAux;
        var alpha = Math.Max(gapU, MinGap);
        var beta = Math.Max(gapV, MinGap);
        var ab = alpha * beta;
        var x = 2 * squared / ab;
        var root = Math.Sqrt(x * (x + 2));
        var k = 4 / Math.Max(root, 1e-9);
        return new PairTerms(1 / (1 + x + root), k * (squared + gapU) / (alpha * ab), k * (squared + gapV) / (beta * ab), -k / ab, x);
    }

    /// <summary>v − s·w·(V v + Cross u) with s = lr·(1 − ‖v‖²)²/4.</summary>
    public static (double Keep, double Toward) TargetStep(in PairTerms pair, double vAux, double weight, double learningRate)
    {
        var gap = 1 - vAux;
        var s = learningRate * gap * gap / 4 * weight;
        return (1 - (s * pair.V), -s * pair.Cross);
    }

    public static void ApplyMetric(Span<double> vector)
    {
    }

    public static void Step(Span<double> x, double xAux, Span<double> euclideanGradient, double learningRate)
    {
        var gap = 1 - xAux;
        RowMath.AddScaled(x, -learningRate * gap * gap / 4, euclideanGradient);
        Normalize(x);
    }

    /// <summary>Pulls a row with ‖x‖ &gt; 1 − ε back to 1 − ε along its direction; returns ‖x‖².</summary>
    public static double Normalize(Span<double> row)
    {
        var squared = RowMath.Dot(row, row);
        if (squared > SafeSquaredNorm)
        {
            var norm = Math.Sqrt(squared);
            if (norm > Bound)
            {
                RowMath.Scale(Bound / norm, row, row);
                squared = RowMath.Dot(row, row);
            }
        }

        return squared;
    }

    public static double Aux(ReadOnlySpan<double> v) => 1 / Math.Max(1 - SpanMath.Dot(v, v), MinGap);

    public static double RankKey(ReadOnlySpan<double> u, ReadOnlySpan<double> v, double vAux) => SpanMath.SquaredDistance(u, v) * vAux;
}
