namespace RoseForest.Hyperbolic.Training;

/// <summary>
/// The per-model arithmetic of training and evaluation, as static abstract members so the trainer
/// and the evaluator are specialised by the JIT per model (no virtual call per distance).
/// Rows are the model's coordinates (Lorentz: x0..xn), curvature −1.
/// </summary>
internal interface IModelKernel
{
    /// <summary>Coordinates per point for intrinsic dimension n.</summary>
    static abstract int Stride(int dimension);

    /// <summary>Fills a fresh row: coordinates uniform in ±range, then onto the manifold.</summary>
    static abstract void Initialize(Span<double> row, Random random, double range);

    /// <summary>
    /// Puts a row copied from the shared table back onto the manifold: another thread may have been
    /// half-way through writing it (Lorentz: recompute x0; Poincaré: pull inside the ball).
    /// </summary>
    static abstract void Normalize(Span<double> row);

    /// <summary>The distance the loss uses (Euclid: the squared distance, as the reference does).</summary>
    static abstract double LossDistance(ReadOnlySpan<double> u, ReadOnlySpan<double> v);

    /// <summary>Adds weight·∂d/∂u to gu and weight·∂d/∂v to gv (Euclidean gradients of <see cref="LossDistance"/>).</summary>
    static abstract void AddGradient(ReadOnlySpan<double> u, ReadOnlySpan<double> v, double weight, Span<double> gu, Span<double> gv);

    /// <summary>One Riemannian SGD step x ← R_x(−lr · grad_R) from the Euclidean gradient (which may be overwritten).</summary>
    static abstract void Step(Span<double> x, Span<double> euclideanGradient, double learningRate);

    /// <summary>
    /// A key that orders points by their true distance from u (lower = closer), cheaper than the
    /// distance; <paramref name="vAux"/> is <see cref="Aux"/> of v.
    /// </summary>
    static abstract double RankKey(ReadOnlySpan<double> u, ReadOnlySpan<double> v, double vAux);

    /// <summary>A per-point constant for <see cref="RankKey"/> (Poincaré: 1/(1−‖v‖²)).</summary>
    static abstract double Aux(ReadOnlySpan<double> v);

    /// <summary>The true geodesic distance (Euclid: the plain L2 distance).</summary>
    static abstract double Distance(ReadOnlySpan<double> u, ReadOnlySpan<double> v);
}
