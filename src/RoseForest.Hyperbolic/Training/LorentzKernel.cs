using RoseForest.Core.Spaces;
using RoseForest.Hyperbolic.Manifolds;

namespace RoseForest.Hyperbolic.Training;

/// <summary>
/// Hyperboloid, c = 1 (Nickel &amp; Kiela 2018): d(u,v) = arcosh(−⟨u,v⟩_L). The step turns the
/// Euclidean gradient into the Riemannian one (flip the sign of the 0th coordinate: g_L⁻¹∇),
/// projects it onto the tangent space at x (h + ⟨x,h⟩_L x), clips the step's length to
/// <see cref="MaxStep"/> and follows the exponential map; x0 is then recomputed from the spatial
/// coordinates so rounding never accumulates off the hyperboloid.
/// </summary>
internal readonly struct LorentzKernel : IModelKernel
{
    /// <summary>The longest geodesic step one update may take (the reference clips at 1 as well).</summary>
    public const double MaxStep = 1.0;

    /// <summary>
    /// The farthest a point may be from the origin: the spatial norm is capped at 1e6 (the
    /// reference implementation's max_norm), a radius of asinh(1e6) ≈ 14.5. Without a cap a few
    /// rows drift outwards over long runs and the ranking degrades. It used to be the Poincaré
    /// ball's bound (≈ 12.2), which on the WordNet nouns pinned most rows to the boundary and
    /// stalled training at MAP 0.87 (docs/benchmarks.md). A point out here is still a valid ball
    /// point after conversion (norm tanh(r/2) &lt; 1), but nearer the boundary than a poincare
    /// collection's ε admits: such embeddings belong in a lorentz collection (as the CLI stores them).
    /// </summary>
    public static readonly double MaxRadius = Math.Asinh(1e6);

    private static readonly double MaxSpatialSquared = Math.Pow(Math.Sinh(MaxRadius), 2);

    public static int Stride(int dimension) => dimension + 1;

    /// <summary>Draws the spatial coordinates; <see cref="Normalize"/> then lifts the row onto the hyperboloid.</summary>
    public static void Initialize(Span<double> row, Random random, double range)
    {
        for (var i = 1; i < row.Length; i++)
        {
            row[i] = ((random.NextDouble() * 2) - 1) * range;
        }
    }

    public static double LossDistance(ReadOnlySpan<double> u, ReadOnlySpan<double> v) => Distance(u, v);

    public static double Distance(ReadOnlySpan<double> u, ReadOnlySpan<double> v) => GeometryMath.ArcoshOnePlus(Math.Max(0, RankKey(u, v, 0) / 2));

    /// <summary>
    /// With z = −⟨u,v⟩_L = 1 + m, m = ‖u−v‖²_L / 2: e^{−d} = 1/(z + √(z²−1)), and
    /// ∂d/∂u = −G v / √(z²−1) with G = diag(−1, 1, …, 1), so U = V = 0 and Cross = −1/√(m(m+2)).
    /// </summary>
    public static PairTerms Pair(ReadOnlySpan<double> u, double uAux, ReadOnlySpan<double> v, double vAux)
    {
        var m = Math.Max(0, RowMath.MinkowskiSquaredDistance(u, v) / 2);
        var root = Math.Sqrt(m * (m + 2));
        return new PairTerms(1 / (1 + m + root), 0, 0, -1 / Math.Max(root, 1e-9), m);
    }

    /// <summary>
    /// With h = g_L⁻¹∇ = w·Cross·u and ⟨v,u⟩_L = −z, z = 1 + m: the tangent step is −lr·w·Cross·(u − z v),
    /// of Lorentz length n = lr·|w·Cross|·√(m(m+2)), so the exponential map gives
    /// cosh(t)·v + sinh(t)/n · (−lr·w·Cross)·(u − z v) with t = min(n, <see cref="MaxStep"/>).
    /// </summary>
    public static (double Keep, double Toward) TargetStep(in PairTerms pair, double vAux, double weight, double learningRate)
    {
        var m = pair.CoshMinusOne;
        var c = -learningRate * weight * pair.Cross;
        var norm = Math.Abs(c) * Math.Sqrt(m * (m + 2));
        if (norm == 0 || !double.IsFinite(norm))
        {
            return (1, 0);
        }

        var length = Math.Min(norm, MaxStep);
        var (cosh, sinhc) = RowMath.CoshSinhc(length);
        var f = (length == norm ? sinhc : sinhc * length / norm) * c;
        return (cosh - (f * (1 + m)), f);
    }

    public static void ApplyMetric(Span<double> vector) => vector[0] = -vector[0];

    public static void Step(Span<double> x, double xAux, Span<double> euclideanGradient, double learningRate)
    {
        var h = euclideanGradient;
        var xh = RowMath.Dot(x, h); // ⟨x, g_L⁻¹∇⟩_L = x·∇ (the two sign flips of coordinate 0 cancel)
        h[0] = -h[0];
        RowMath.Combine(-learningRate, h, -learningRate * xh, x, h); // v = −lr · proj_x(h)
        var norm = Math.Sqrt(Math.Max(RowMath.MinkowskiDot(h, h), 0));
        if (norm == 0 || !double.IsFinite(norm))
        {
            return;
        }

        var length = Math.Min(norm, MaxStep);
        var (cosh, sinhc) = RowMath.CoshSinhc(length);
        RowMath.Combine(cosh, x, length == norm ? sinhc : sinhc * length / norm, h, x); // cosh(t)·x + sinh(t)·v/‖v‖_L
        Normalize(x);
    }

    /// <summary>Recomputes x0 from the spatial coordinates after capping their norm at sinh(<see cref="MaxRadius"/>).</summary>
    public static double Normalize(Span<double> row)
    {
        var spatial = RowMath.SpatialSquaredNorm(row);
        if (spatial > MaxSpatialSquared)
        {
            RowMath.Scale(Math.Sqrt(MaxSpatialSquared / spatial), row, row);
            spatial = MaxSpatialSquared;
        }

        row[0] = Math.Sqrt(1 + spatial);
        return 0;
    }

    public static double Aux(ReadOnlySpan<double> v) => 0;

    /// <summary>‖u − v‖²_L = −(u0−v0)² + Σ(ui−vi)² = −2 − 2⟨u,v⟩_L, increasing with the distance.</summary>
    public static double RankKey(ReadOnlySpan<double> u, ReadOnlySpan<double> v, double vAux)
    {
        var d0 = u[0] - v[0];
        return SpanMath.SquaredDistance(u[1..], v[1..]) - (d0 * d0);
    }
}
