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

    /// <summary>d = ‖u−v‖²: e^{−d} (which underflows beyond d ≈ 745), ∂d/∂u = 2u − 2v, ∂d/∂v = 2v − 2u.</summary>
    public static PairTerms Pair(ReadOnlySpan<double> u, double uAux, ReadOnlySpan<double> v, double vAux) =>
        new(Math.Exp(-RowMath.SquaredDistance(u, v)), 2, 2, -2, 0);

    /// <summary>v − lr·w·(V v + Cross u).</summary>
    public static (double Keep, double Toward) TargetStep(in PairTerms pair, double vAux, double weight, double learningRate) =>
        (1 - (learningRate * weight * pair.V), -learningRate * weight * pair.Cross);

    public static void ApplyMetric(Span<double> vector)
    {
    }

    public static void Step(Span<double> x, double xAux, Span<double> euclideanGradient, double learningRate) => RowMath.AddScaled(x, -learningRate, euclideanGradient);

    public static double Normalize(Span<double> row) => 0;

    public static double Aux(ReadOnlySpan<double> v) => 0;

    public static double RankKey(ReadOnlySpan<double> u, ReadOnlySpan<double> v, double vAux) => SpanMath.SquaredDistance(u, v);
}
