using RoseForest.Federated.Accounting;

namespace RoseForest.Federated.Tests.Accounting;

public sealed class LogMathTests
{
    // Reference values: Python's math.log(math.erfc(x)) (CPython 3, libm erfc).
    [Theory]
    [InlineData(-3.0, 0.6931361352504468)]
    [InlineData(-1.0, 0.6112323176780705)]
    [InlineData(0.0, 0.0)]
    [InlineData(0.5, -0.7350111298370844)]
    [InlineData(1.0, -1.8496055099332482)]
    [InlineData(2.0, -5.364941264616638)]
    [InlineData(2.4, -7.280975056055788)]
    [InlineData(2.6, -8.351532930819747)]
    [InlineData(3.0, -10.720363041981113)]
    [InlineData(5.0, -27.200889545537436)]
    [InlineData(10.0, -102.87988902484489)]
    public void Log_erfc_matches_the_reference_values(double x, double expected)
    {
        Assert.Equal(expected, LogMath.LogErfc(x), 1e-12);
    }

    [Fact]
    public void Log_erfc_stays_finite_where_erfc_underflows()
    {
        // erfc(40) ≈ 1e-697 underflows a double; log erfc(x) ≈ −x² − log(x√π) for large x.
        var x = 40.0;
        Assert.Equal((-x * x) - Math.Log(x * Math.Sqrt(Math.PI)), LogMath.LogErfc(x), 1e-3);
    }

    [Fact]
    public void Log_add_and_log_sub_agree_with_direct_arithmetic()
    {
        Assert.Equal(Math.Log(3 + 5), LogMath.LogAdd(Math.Log(3), Math.Log(5)), 1e-14);
        Assert.Equal(Math.Log(5 - 3), LogMath.LogSub(Math.Log(5), Math.Log(3)), 1e-14);
        Assert.Equal(Math.Log(7), LogMath.LogAdd(double.NegativeInfinity, Math.Log(7)), 1e-14);
        Assert.True(double.IsNegativeInfinity(LogMath.LogSub(1.5, 1.5)));
    }
}
