namespace RoseForest.Hyperbolic.Training;

/// <summary>
/// The per-model arithmetic of training and evaluation, as static abstract members so the trainer
/// and the evaluator are specialised by the JIT per model (no virtual call per distance).
/// Rows are the model's coordinates (Lorentz: x0..xn), curvature −1. The training members take
/// rows padded with zeros to <see cref="RowMath.Padded"/> of the stride and keep the padding zero;
/// the evaluation members take plain rows.
/// </summary>
internal interface IModelKernel
{
    /// <summary>Coordinates per point for intrinsic dimension n.</summary>
    static abstract int Stride(int dimension);

    /// <summary>Fills a fresh row: coordinates uniform in ±range, then onto the manifold.</summary>
    static abstract void Initialize(Span<double> row, Random random, double range);

    /// <summary>
    /// Puts a row copied from the shared table back onto the manifold (another thread may have been
    /// half-way through writing it; Lorentz: recompute x0; Poincaré: pull inside the ball) and
    /// returns its constant for <see cref="Pair"/> and <see cref="Step"/> (Poincaré: ‖x‖²; others: 0).
    /// </summary>
    static abstract double Normalize(Span<double> row);

    /// <summary>The distance the loss uses (Euclid: the squared distance, as the reference does).</summary>
    static abstract double LossDistance(ReadOnlySpan<double> u, ReadOnlySpan<double> v);

    /// <summary>e^{−<see cref="LossDistance"/>} and the gradient coefficients of the pair; the aux values are <see cref="Normalize"/>'s.</summary>
    static abstract PairTerms Pair(ReadOnlySpan<double> u, double uAux, ReadOnlySpan<double> v, double vAux);

    /// <summary>Multiplies a vector by M, the ambient inner product's matrix (Lorentz: negates coordinate 0).</summary>
    static abstract void ApplyMetric(Span<double> vector);

    /// <summary>
    /// One Riemannian SGD step x ← R_x(−lr · grad_R) from the Euclidean gradient (which may be
    /// overwritten); <paramref name="xAux"/> is <see cref="Normalize"/>'s value for x.
    /// </summary>
    static abstract void Step(Span<double> x, double xAux, Span<double> euclideanGradient, double learningRate);

    /// <summary>
    /// <see cref="Step"/> in closed form for a target row v still as it was read, whose Euclidean
    /// gradient is weight·(V v + Cross M u): the stepped row is Keep·v + Toward·u, then <see cref="Normalize"/>.
    /// </summary>
    static abstract (double Keep, double Toward) TargetStep(in PairTerms pair, double vAux, double weight, double learningRate);

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
