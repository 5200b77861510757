namespace RoseForest.Hyperbolic.Manifolds;

/// <summary>The outcome of <see cref="FrechetMean.Compute"/>.</summary>
/// <param name="Mean">The weighted Fréchet (Karcher) mean, a point of the manifold.</param>
/// <param name="Iterations">The iterations run (at most the cap).</param>
/// <param name="Converged">True when the Riemannian gradient norm fell below the tolerance before the cap.</param>
/// <param name="GradientNorm">The final ‖Σ wᵢ log_m(xᵢ) / Σ wᵢ‖ at the mean (0 at an exact mean).</param>
public sealed record FrechetMeanResult(double[] Mean, int Iterations, bool Converged, double GradientNorm);
