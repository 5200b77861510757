using RoseForest.Hyperbolic.Manifolds;

namespace RoseForest.Hyperbolic.Tests;

public sealed class FrechetMeanTests
{
    private const int Dim = 4;

    public static TheoryData<int> ManifoldIndexes() => [0, 1, 2, 3, 4];

    [Theory]
    [MemberData(nameof(ManifoldIndexes))]
    public void Mean_of_points_symmetric_about_a_point_is_that_point(int index)
    {
        var m = RandomPoints.Manifolds().ElementAt(index);
        var random = new Random(31 + index);
        var centre = RandomPoints.Point(m, random, Dim, 2);
        var points = new List<double[]>();
        for (var k = 0; k < 5; k++)
        {
            var v = RandomPoints.Tangent(m, centre, random, Dim);
            foreach (var sign in new[] { 1.0, -1.0 })
            {
                var p = new double[centre.Length];
                m.Exp(centre, v.Select(a => sign * a).ToArray(), p);
                points.Add(p);
            }
        }

        var result = FrechetMean.Compute(m, points, tolerance: 1e-7, maxIterations: 1000);
        Assert.True(result.Converged, $"not converged after {result.Iterations} iterations, gradient {result.GradientNorm}");
        Assert.True(m.Distance(result.Mean, centre) < 1e-5, $"mean is {m.Distance(result.Mean, centre)} from the centre");
    }

    [Theory]
    [MemberData(nameof(ManifoldIndexes))]
    public void Weighted_mean_of_two_points_is_the_weighted_midpoint_on_their_geodesic(int index)
    {
        var m = RandomPoints.Manifolds().ElementAt(index);
        var random = new Random(41 + index);
        var x = RandomPoints.Point(m, random, Dim, 3);
        var y = RandomPoints.Point(m, random, Dim, 3);
        var expected = new double[x.Length];
        Geodesics.WeightedMidpoint(m, x, 1, y, 3, expected);
        Assert.Equal(0.75 * m.Distance(x, y), m.Distance(x, expected), 6);
        Assert.Equal(0.25 * m.Distance(x, y), m.Distance(expected, y), 6);

        var result = FrechetMean.Compute(m, [x, y], [1, 3], tolerance: 1e-7);
        Assert.True(result.Converged);
        Assert.True(m.Distance(result.Mean, expected) < 1e-5, $"{m.Distance(result.Mean, expected)} from the midpoint");
    }

    [Fact]
    public void Midpoint_is_equidistant_and_interpolation_hits_the_ends()
    {
        var m = new LorentzModel();
        var random = new Random(5);
        var x = RandomPoints.Point(m, random, Dim, 5);
        var y = RandomPoints.Point(m, random, Dim, 5);
        var mid = new double[x.Length];
        Geodesics.Midpoint(m, x, y, mid);
        Assert.Equal(m.Distance(x, mid), m.Distance(mid, y), 6);
        var end = new double[x.Length];
        Geodesics.Interpolate(m, x, y, 1, end);
        Assert.True(m.Distance(end, y) < 1e-6);
    }

    [Fact]
    public void The_iteration_cap_is_reported_when_it_stops_the_search()
    {
        var m = new PoincareBall();
        var random = new Random(6);
        var points = Enumerable.Range(0, 20).Select(_ => RandomPoints.Point(m, random, Dim, 6)).ToList();
        var capped = FrechetMean.Compute(m, points, tolerance: 0, maxIterations: 2);
        Assert.False(capped.Converged);
        Assert.Equal(2, capped.Iterations);
        Assert.True(capped.GradientNorm > 0);
    }

    [Fact]
    public void Weights_that_are_all_zero_are_refused() =>
        Assert.Throws<ArgumentException>(() => FrechetMean.Compute(EuclideanSpace.Instance, [[1.0], [2.0]], [0, 0]));
}
