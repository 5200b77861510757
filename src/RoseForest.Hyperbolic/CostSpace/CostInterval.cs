namespace RoseForest.Hyperbolic.CostSpace;

/// <summary>The interval between two cost vectors in the Lorentzian cost space.</summary>
/// <param name="SquaredInterval">ds² = −dτ² + dμ² + dε² + d$² (after scaling).</param>
/// <param name="Kind">Timelike, lightlike or spacelike.</param>
/// <param name="Magnitude">√|ds²|: the proper time for a timelike interval, the proper length for a spacelike one, 0 for a lightlike one.</param>
public readonly record struct CostInterval(double SquaredInterval, IntervalKind Kind, double Magnitude)
{
    /// <summary>The proper time √(−ds²) when timelike, else 0.</summary>
    public double ProperTime => Kind == IntervalKind.Timelike ? Magnitude : 0;

    /// <summary>The proper length √(ds²) when spacelike, else 0.</summary>
    public double ProperLength => Kind == IntervalKind.Spacelike ? Magnitude : 0;
}
