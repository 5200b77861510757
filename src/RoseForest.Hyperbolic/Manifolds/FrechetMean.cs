namespace RoseForest.Hyperbolic.Manifolds;

/// <summary>The outcome of <see cref="FrechetMean.Compute"/>.</summary>
/// <param name="Mean">The weighted Fréchet (Karcher) mean, a point of the manifold.</param>
/// <param name="Iterations">The iterations run (at most the cap).</param>
/// <param name="Converged">True when the Riemannian gradient norm fell below the tolerance before the cap.</param>
/// <param name="GradientNorm">The final ‖Σ wᵢ log_m(xᵢ) / Σ wᵢ‖ at the mean (0 at an exact mean).</param>
public sealed record FrechetMeanResult(double[] Mean, int Iterations, bool Converged, double GradientNorm);

/// <summary>
/// The weighted Fréchet (Karcher) mean argmin_m Σ wᵢ d(m, xᵢ)², found by Riemannian gradient
/// descent m ← exp_m(Σ wᵢ log_m(xᵢ) / Σ wᵢ) (Karcher's fixed point). On the hyperbolic and flat
/// spaces the mean is unique and a unit step converges; Euclidean space reaches it in one step.
/// </summary>
public static class FrechetMean
{
    /// <summary>The default stopping tolerance on the Riemannian gradient norm.</summary>
    public const double DefaultTolerance = 1e-12;

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

            manifold.Exp(mean, gradient, next);
            (mean, next) = (next, mean);
        }

        return new FrechetMeanResult(mean, maxIterations, false, norm);
    }
}
