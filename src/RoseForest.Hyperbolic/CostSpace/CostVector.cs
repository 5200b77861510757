namespace RoseForest.Hyperbolic.CostSpace;

/// <summary>
/// A point of the HVS cost space: an operation's time τ, memory μ, energy ε and money $, each in
/// the caller's units (the space's scales turn them into one common unit).
/// </summary>
/// <param name="Time">τ, the time coordinate (the timelike axis).</param>
/// <param name="Memory">μ.</param>
/// <param name="Energy">ε.</param>
/// <param name="Money">$.</param>
public readonly record struct CostVector(double Time, double Memory, double Energy, double Money);
