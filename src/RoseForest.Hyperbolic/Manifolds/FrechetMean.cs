namespace RoseForest.Hyperbolic.Manifolds;

/// <summary>
/// The weighted Fréchet (Karcher) mean argmin_m Σ wᵢ d(m, xᵢ)², found by Riemannian gradient
/// descent m ← exp_m(t · Σ wᵢ log_m(xᵢ) / Σ wᵢ). On the hyperbolic and flat spaces the mean is
/// unique. Karcher's unit step t = 1 is exact in flat space but overshoots in curvature −c when the
/// points are spread, because the Hessian of ½d(·, xᵢ)² has eigenvalues up to √c·dᵢ·coth(√c·dᵢ);
/// so t = 1 / (the weighted mean of that bound), which is 1 in flat space, and t is halved in the
/// rare case the objective still rises.
/// </summary>
public static class FrechetMean
{
    /// <summary>
    /// The default stopping tolerance on the Riemannian gradient norm. Rounding in the hyperboloid's
    /// log map (y + c⟨x,y⟩_L x cancels when x0 is large) puts a floor near 1e-8 under the gradient
    /// for points a few units from the origin, so ask for no less there.
    /// </summary>
    public const double DefaultTolerance = 1e-9;

    /// <summary>The default iteration cap.</summary>
    public const int DefaultMaxIterations = 1000;

    /// <summary>Computes the weighted mean of <paramref name="points"/> (equal weights when <paramref name="weights"/> is null).</summary>
    /// <exception cref="ArgumentException">No points, points of different lengths, or weights that are negative, non-finite or all zero.</exception>
    public static FrechetMeanResult Compute(IManifold manifold, IReadOnlyList<double[]> points, IReadOnlyList<double>? weights = null, double tolerance = DefaultTolerance, int maxIterations = DefaultMaxIterations)
    {
        ArgumentNullException.ThrowIfNull(manifold);
        if (points.Count == 0)
        {
            throw new ArgumentException("the mean of no points is undefined.", nameof(points));
        }

        var n = points[0].Length;
        var w = new double[points.Count];
        double total = 0;
        for (var i = 0; i < points.Count; i++)
        {
            SpanMath.CheckSameLength(n, points[i].Length, "frechet_mean points");
            w[i] = weights?[i] ?? 1;
            if (!double.IsFinite(w[i]) || w[i] < 0)
            {
                throw new ArgumentException($"weight {i} must be a finite number >= 0, got {w[i]}.", nameof(weights));
            }

            total += w[i];
        }

        if (total <= 0)
        {
            throw new ArgumentException("at least one weight must be > 0.", nameof(weights));
        }

        // Start at the heaviest point: always on the manifold, and inside the points' hull.
        var mean = (double[])points[Array.IndexOf(w, w.Max())].Clone();
        var gradient = new double[n];
        var log = new double[n];
        var next = new double[n];
        var norm = double.PositiveInfinity;
        var objective = Objective(manifold, points, w, mean);
        var sqrtK = Math.Sqrt(Math.Max(0, -manifold.SectionalCurvature));
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            Array.Clear(gradient);
            for (var i = 0; i < points.Count; i++)
            {
                if (w[i] == 0)
                {
                    continue;
                }

                manifold.Log(mean, points[i], log);
                SpanMath.Combine(1, gradient, w[i] / total, log, gradient);
            }

            norm = manifold.TangentNorm(mean, gradient);
            if (norm <= tolerance)
            {
                return new FrechetMeanResult(mean, iteration, true, norm);
            }

            double bound = 0;
            for (var i = 0; i < points.Count; i++)
            {
                var a = sqrtK * manifold.Distance(mean, points[i]);
                bound += w[i] / total * (a < 1e-8 ? 1 : a / Math.Tanh(a));
            }

            var step = 1 / bound;
            var scaled = new double[n];
            for (var halvings = 0; ; halvings++)
            {
                SpanMath.Scale(step, gradient, scaled);
                manifold.Exp(mean, scaled, next);
                var candidate = Objective(manifold, points, w, next);
                if (candidate <= objective || halvings >= 50)
                {
                    objective = candidate;
                    break;
                }

                step /= 2;
            }

            (mean, next) = (next, mean);
        }

        return new FrechetMeanResult(mean, maxIterations, false, norm);
    }

    private static double Objective(IManifold manifold, IReadOnlyList<double[]> points, double[] w, double[] m)
    {
        double sum = 0;
        for (var i = 0; i < points.Count; i++)
        {
            var d = manifold.Distance(m, points[i]);
            sum += w[i] * d * d;
        }

        return sum;
    }
}
