using RoseForest.Hyperbolic.Manifolds;

namespace RoseForest.Hyperbolic.Training;

/// <summary>Flat ℝⁿ, the baseline: the loss uses ‖u−v‖² (as the reference's Euclidean manifold does) and plain SGD.</summary>
internal readonly struct EuclidKernel : IModelKernel
{
    public static int Stride(int dimension) => dimension;

    public static void Initialize(Span<double> row, Random random, double range)
    {
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = ((random.NextDouble() * 2) - 1) * range;
        }
    }

    public static double LossDistance(ReadOnlySpan<double> u, ReadOnlySpan<double> v) => SpanMath.SquaredDistance(u, v);

    public static double Distance(ReadOnlySpan<double> u, ReadOnlySpan<double> v) => Math.Sqrt(SpanMath.SquaredDistance(u, v));

    public static void AddGradient(ReadOnlySpan<double> u, ReadOnlySpan<double> v, double weight, Span<double> gu, Span<double> gv)
    {
        for (var i = 0; i < u.Length; i++)
        {
            var d = 2 * weight * (u[i] - v[i]);
            gu[i] += d;
            gv[i] -= d;
        }
    }

    public static void Step(Span<double> x, Span<double> euclideanGradient, double learningRate) => SpanMath.Combine(1, x, -learningRate, euclideanGradient, x);

    public static void Normalize(Span<double> row)
    {
    }

    public static double Aux(ReadOnlySpan<double> v) => 0;

    public static double RankKey(ReadOnlySpan<double> u, ReadOnlySpan<double> v, double vAux) => SpanMath.SquaredDistance(u, v);
}
