using RoseForest.Hyperbolic.CostSpace;

namespace RoseForest.Hyperbolic.Tests;

public sealed class CostSpaceTests
{
    private readonly LorentzianCostSpace _space = new();

    [Fact]
    public void A_time_dominated_difference_is_timelike_with_its_proper_time()
    {
        var i = _space.Interval(new CostVector(0, 0, 0, 0), new CostVector(5, 3, 0, 0));
        Assert.Equal(IntervalKind.Timelike, i.Kind);
        Assert.Equal(-16, i.SquaredInterval, 12);
        Assert.Equal(4, i.ProperTime, 12);
        Assert.Equal(0, i.ProperLength);
    }

    [Fact]
    public void A_resource_dominated_difference_is_spacelike_with_its_proper_length()
    {
        var i = _space.Interval(new CostVector(1, 0, 0, 0), new CostVector(2, 2, 2, 1));
        Assert.Equal(IntervalKind.Spacelike, i.Kind);
        Assert.Equal(8, i.SquaredInterval, 12);
        Assert.Equal(Math.Sqrt(8), i.ProperLength, 12);
    }

    [Fact]
    public void A_balanced_difference_is_lightlike_and_the_interval_is_symmetric()
    {
        var a = new CostVector(1, 1, 1, 1);
        var b = new CostVector(4, 3, 3, 2);
        Assert.Equal(IntervalKind.Lightlike, _space.Interval(a, b).Kind);
        Assert.Equal(_space.Interval(a, b), _space.Interval(b, a));
    }

    [Fact]
    public void Scales_convert_units_before_the_interval_is_taken()
    {
        var space = new LorentzianCostSpace(new CostVector(Time: 1000, Memory: 1, Energy: 1, Money: 1));
        Assert.Equal(IntervalKind.Timelike, space.Interval(default, new CostVector(0.01, 5, 0, 0)).Kind);
        Assert.Equal("scales.memory", Assert.Throws<ValidationException>(() => new LorentzianCostSpace(new CostVector(1, 0, 1, 1))).Field);
    }
}
