namespace RoseForest.Hyperbolic.Training;

/// <summary>
/// What the loss needs from one (source u, target v) pair, from a single pass over the two rows:
/// the softmax score e^{−d(u,v)} and the Euclidean gradients of d in coefficient form,
/// ∂d/∂u = U·u + Cross·M v and ∂d/∂v = V·v + Cross·M u, where M is the ambient inner product's
/// matrix (<see cref="IModelKernel.ApplyMetric"/>: diag(−1, 1, …, 1) for Lorentz, the identity otherwise).
/// </summary>
/// <param name="Score">e^{−d}, with d the loss distance; it may underflow to 0 (Euclid only), which the trainer checks.</param>
/// <param name="U">The coefficient of u in ∂d/∂u.</param>
/// <param name="V">The coefficient of v in ∂d/∂v.</param>
/// <param name="Cross">The coefficient of M v in ∂d/∂u and of M u in ∂d/∂v (the same by symmetry of d).</param>
/// <param name="CoshMinusOne">cosh d − 1, kept apart from the 1 for precision near d = 0 (Lorentz: ‖u−v‖²_L/2;
/// Poincaré: 2‖u−v‖²/(αβ); Euclid: unused, 0).</param>
internal readonly record struct PairTerms(double Score, double U, double V, double Cross, double CoshMinusOne);
