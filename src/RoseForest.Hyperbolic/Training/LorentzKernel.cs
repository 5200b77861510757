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
    /// The farthest a point may be from the origin: the radius of the Poincaré ball's bound
    /// √c‖x‖ ≤ 1 − ε, 2·artanh(1 − ε) ≈ 12.2, so both models train on the same bounded region and
    /// every Lorentz point converts to a valid ball point. Without it a few rows drift outwards
    /// over long runs and the ranking degrades.
    /// </summary>
    public static readonly double MaxRadius = 2 * SpanMath.Artanh(1 - PoincareBall.BoundaryEpsilon);

    private static readonly double MaxSpatialSquared = Math.Pow(Math.Sinh(MaxRadius), 2);

    public static int Stride(int dimension) => dimension + 1;

    public static void Initialize(Span<double> row, Random random, double range)
    {
        for (var i = 1; i < row.Length; i++)
        {
            row[i] = ((random.NextDouble() * 2) - 1) * range;
        }

        Lift(row);
    }

    public static double LossDistance(ReadOnlySpan<double> u, ReadOnlySpan<double> v) => Distance(u, v);

    public static double Distance(ReadOnlySpan<double> u, ReadOnlySpan<double> v) => GeometryMath.ArcoshOnePlus(Math.Max(0, RankKey(u, v, 0) / 2));

    public static void AddGradient(ReadOnlySpan<double> u, ReadOnlySpan<double> v, double weight, Span<double> gu, Span<double> gv)
    {
        // z = −⟨u,v⟩_L = 1 + m with m = ‖u−v‖²_L / 2; ∂arcosh(z)/∂u = (v0, −v1.., −vn) / √(z²−1).
        var m = Math.Max(0, RankKey(u, v, 0) / 2);
        var c = weight / Math.Max(Math.Sqrt(m * (m + 2)), 1e-9);
        gu[0] += c * v[0];
        gv[0] += c * u[0];
        for (var i = 1; i < u.Length; i++)
        {
            gu[i] -= c * v[i];
            gv[i] -= c * u[i];
        }
    }

    public static void Step(Span<double> x, Span<double> euclideanGradient, double learningRate)
    {
        var h = euclideanGradient;
        h[0] = -h[0];
        var xh = LorentzModel.MinkowskiDot(x, h);
        SpanMath.Combine(-learningRate, h, -learningRate * xh, x, h); // v = −lr · proj_x(h)
        var norm = Math.Sqrt(Math.Max(LorentzModel.MinkowskiDot(h, h), 0));
        if (norm == 0 || !double.IsFinite(norm))
        {
            return;
        }

        var length = Math.Min(norm, MaxStep);
        SpanMath.Combine(Math.Cosh(length), x, Math.Sinh(length) / norm, h, x);
        Lift(x);
    }

    public static void Normalize(Span<double> row) => Lift(row);

    public static double Aux(ReadOnlySpan<double> v) => 0;

    /// <summary>‖u − v‖²_L = −(u0−v0)² + Σ(ui−vi)² = −2 − 2⟨u,v⟩_L, increasing with the distance.</summary>
    public static double RankKey(ReadOnlySpan<double> u, ReadOnlySpan<double> v, double vAux)
    {
        var d0 = u[0] - v[0];
        return SpanMath.SquaredDistance(u[1..], v[1..]) - (d0 * d0);
    }

    /// <summary>
    /// Recomputes x0 from the spatial coordinates after capping their norm at sinh(<see cref="MaxRadius"/>).
    /// </summary>
    private static void Lift(Span<double> row)
    {
        var spatial = SpanMath.Dot(row[1..], row[1..]);
        if (spatial > MaxSpatialSquared)
        {
            SpanMath.Scale(Math.Sqrt(MaxSpatialSquared / spatial), row[1..], row[1..]);
            spatial = MaxSpatialSquared;
        }

        row[0] = Math.Sqrt(1 + spatial);
    }
}
