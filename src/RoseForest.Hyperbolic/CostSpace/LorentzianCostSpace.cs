using RoseForest.Core;

namespace RoseForest.Hyperbolic.CostSpace;

/// <summary>
/// The HVS specification's Lorentzian (de Sitter–style, signature −+++) cost space:
/// ds² = −dτ² + dμ² + dε² + d$² between cost vectors, after multiplying each coordinate by its
/// scale (the scales play the role of the speed of light: they say how much memory, energy or
/// money is worth one unit of time). An interval is lightlike when |ds²| ≤ tolerance · (dτ² +
/// dμ² + dε² + d$²), i.e. relative to the size of the differences.
/// </summary>
public sealed class LorentzianCostSpace
{
    /// <summary>Creates the space with unit scales and a relative lightlike tolerance of 1e-9.</summary>
    public LorentzianCostSpace()
        : this(new CostVector(1, 1, 1, 1))
    {
    }

    /// <summary>Creates the space with the given per-axis scales (each finite and &gt; 0).</summary>
    /// <exception cref="ValidationException">A scale or the tolerance is out of range.</exception>
    public LorentzianCostSpace(CostVector scales, double lightlikeTolerance = 1e-9)
    {
        Check(scales.Time, "scales.time");
        Check(scales.Memory, "scales.memory");
        Check(scales.Energy, "scales.energy");
        Check(scales.Money, "scales.money");
        if (!double.IsFinite(lightlikeTolerance) || lightlikeTolerance < 0)
        {
            throw new ValidationException("lightlike_tolerance", $"must be a finite number >= 0, got {lightlikeTolerance}.");
        }

        Scales = scales;
        LightlikeTolerance = lightlikeTolerance;

        static void Check(double s, string field)
        {
            if (!double.IsFinite(s) || s <= 0)
            {
                throw new ValidationException(field, $"must be a finite number > 0, got {s}.");
            }
        }
    }

    /// <summary>The per-axis scales.</summary>
    public CostVector Scales { get; }

    /// <summary>The relative tolerance under which an interval counts as lightlike.</summary>
    public double LightlikeTolerance { get; }

    /// <summary>The interval from <paramref name="a"/> to <paramref name="b"/> (symmetric in a and b).</summary>
    public CostInterval Interval(CostVector a, CostVector b)
    {
        var dt = (b.Time - a.Time) * Scales.Time;
        var dm = (b.Memory - a.Memory) * Scales.Memory;
        var de = (b.Energy - a.Energy) * Scales.Energy;
        var dd = (b.Money - a.Money) * Scales.Money;
        var time2 = dt * dt;
        var space2 = (dm * dm) + (de * de) + (dd * dd);
        var s2 = space2 - time2;
        if (Math.Abs(s2) <= LightlikeTolerance * (time2 + space2))
        {
            return new CostInterval(s2, IntervalKind.Lightlike, 0);
        }

        return new CostInterval(s2, s2 < 0 ? IntervalKind.Timelike : IntervalKind.Spacelike, Math.Sqrt(Math.Abs(s2)));
    }
}
