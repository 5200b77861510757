using RoseForest.Hyperbolic.Manifolds;

namespace RoseForest.Hyperbolic.Tests;

public sealed class ManifoldPropertyTests
{
    private const int Dim = 6;

    public static TheoryData<int> ManifoldIndexes() => [0, 1, 2, 3, 4];

    private static IManifold Manifold(int index) => RandomPoints.Manifolds().ElementAt(index);

    [Theory]
    [MemberData(nameof(ManifoldIndexes))]
    public void Distance_is_symmetric_zero_on_the_diagonal_and_obeys_the_triangle_inequality(int index)
    {
        var m = Manifold(index);
        var random = new Random(11 + index);
        for (var trial = 0; trial < 500; trial++)
        {
            var x = RandomPoints.Point(m, random, Dim);
            var y = RandomPoints.Point(m, random, Dim);
            var z = RandomPoints.Point(m, random, Dim);
            var xy = m.Distance(x, y);
            Assert.Equal(xy, m.Distance(y, x), 9);
            Assert.True(m.Distance(x, x) < 1e-6, $"d(x,x) = {m.Distance(x, x)}");
            Assert.True(xy <= m.Distance(x, z) + m.Distance(z, y) + 1e-9, $"triangle inequality broken: {xy} > {m.Distance(x, z)} + {m.Distance(z, y)}");
        }
    }

    [Theory]
    [MemberData(nameof(ManifoldIndexes))]
    public void Exp_and_log_are_inverse_and_log_has_the_distance_as_length(int index)
    {
        var m = Manifold(index);
        var random = new Random(21 + index);
        var back = new double[m.CoordinateCount(Dim)];
        var log = new double[back.Length];
        for (var trial = 0; trial < 300; trial++)
        {
            var x = RandomPoints.Point(m, random, Dim, maxRadius: 3);
            var y = RandomPoints.Point(m, random, Dim, maxRadius: 3);
            m.Log(x, y, log);
            Assert.Equal(m.Distance(x, y), m.TangentNorm(x, log), 6);
            m.Exp(x, log, back);
            Assert.True(m.Distance(back, y) < 1e-6, $"exp_x(log_x(y)) is {m.Distance(back, y)} from y");
        }
    }

    [Fact]
    public void Lorentz_points_stay_on_the_hyperboloid_after_ten_thousand_exp_steps()
    {
        // A walk that keeps coming back: half-way towards a random target near the origin, then a
        // random jolt (a free random walk in hyperbolic space drifts outwards until cosh overflows).
        var m = new LorentzModel(1.5);
        var random = new Random(3);
        var x = RandomPoints.Point(m, random, Dim);
        var next = new double[x.Length];
        var log = new double[x.Length];
        for (var step = 0; step < 10_000; step++)
        {
            m.Log(x, RandomPoints.Point(m, random, Dim, 3), log);
            var v = RandomPoints.Tangent(m, x, random, Dim, scale: 0.3);
            for (var i = 0; i < v.Length; i++)
            {
                v[i] += 0.5 * log[i];
            }

            m.Exp(x, v, next);
            (x, next) = (next, x);
        }

        Assert.Equal(-1 / m.Curvature, LorentzModel.MinkowskiDot(x, x), 6);
        Assert.True(x[0] > 0);
    }

    [Fact]
    public void Poincare_points_stay_inside_the_ball_after_ten_thousand_exp_steps()
    {
        var m = new PoincareBall(2);
        var random = new Random(4);
        var x = RandomPoints.Point(m, random, Dim);
        var next = new double[x.Length];
        for (var step = 0; step < 10_000; step++)
        {
            m.Exp(x, RandomPoints.Tangent(m, x, random, Dim, scale: 0.5), next);
            (x, next) = (next, x);
            Assert.True(Math.Sqrt(m.Curvature * x.Sum(a => a * a)) <= 1 - PoincareBall.BoundaryEpsilon + 1e-12);
        }
    }

    [Fact]
    public void Mobius_addition_has_zero_as_identity_and_minus_x_as_inverse()
    {
        var ball = new PoincareBall(0.7);
        var random = new Random(5);
        var result = new double[Dim];
        for (var trial = 0; trial < 100; trial++)
        {
            var x = RandomPoints.Point(ball, random, Dim);
            ball.MobiusAdd(new double[Dim], x, result);
            Assert.True(RandomPoints.MaxRelativeDifference(result, x) < 1e-12);
            ball.MobiusAdd(x.Select(a => -a).ToArray(), x, result);
            Assert.True(result.All(a => Math.Abs(a) < 1e-12));
            ball.MobiusScale(2, x, result);
            Assert.Equal(2 * ball.Distance(new double[Dim], x), ball.Distance(new double[Dim], result), 6);
        }
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.3)]
    [InlineData(4.0)]
    public void Poincare_and_Lorentz_conversions_round_trip_and_preserve_distances(double c)
    {
        var ball = new PoincareBall(c);
        var hyperboloid = new LorentzModel(c);
        var random = new Random(6);
        var lx = new double[Dim + 1];
        var ly = new double[Dim + 1];
        var back = new double[Dim];
        for (var trial = 0; trial < 500; trial++)
        {
            var x = RandomPoints.Point(ball, random, Dim, maxRadius: 8);
            var y = RandomPoints.Point(ball, random, Dim, maxRadius: 8);
            ModelConversions.PoincareToLorentz(x, lx, c);
            ModelConversions.PoincareToLorentz(y, ly, c);
            Assert.True(Math.Abs(LorentzModel.MinkowskiDot(lx, lx) + (1 / c)) <= 1e-12 * lx[0] * lx[0], "off the hyperboloid");
            ModelConversions.LorentzToPoincare(lx, back, c);
            Assert.True(RandomPoints.MaxRelativeDifference(back, x) < 1e-6, "round trip differs by more than 1e-6 relative");
            var d = ball.Distance(x, y);
            Assert.True(Math.Abs(hyperboloid.Distance(lx, ly) - d) <= 1e-6 * (1 + d), $"distance {d} became {hyperboloid.Distance(lx, ly)}");
        }
    }

    [Fact]
    public void Tangent_at_origin_gives_the_distance_from_the_origin_as_euclidean_length()
    {
        var ball = new PoincareBall(2);
        var random = new Random(8);
        var v = new double[Dim];
        for (var trial = 0; trial < 100; trial++)
        {
            var x = RandomPoints.Point(ball, random, Dim);
            ModelConversions.PoincareToTangentAtOrigin(x, v, 2);
            Assert.Equal(ball.Distance(new double[Dim], x), EuclideanSpace.Instance.Distance(new double[Dim], v), 6);
        }
    }

    [Fact]
    public void Float_distances_agree_with_double_distances()
    {
        var ball = new PoincareBall();
        var hyperboloid = new LorentzModel();
        var random = new Random(9);
        for (var trial = 0; trial < 100; trial++)
        {
            var x = RandomPoints.Point(ball, random, Dim, 3);
            var y = RandomPoints.Point(ball, random, Dim, 3);
            Assert.Equal(ball.Distance(x, y), ball.Distance(x.Select(a => (float)a).ToArray(), y.Select(a => (float)a).ToArray()), 3);
            var lx = RandomPoints.Point(hyperboloid, random, Dim, 3);
            var ly = RandomPoints.Point(hyperboloid, random, Dim, 3);
            Assert.Equal(hyperboloid.Distance(lx, ly), hyperboloid.Distance(lx.Select(a => (float)a).ToArray(), ly.Select(a => (float)a).ToArray()), 3);
            Assert.Equal(EuclideanSpace.Instance.Distance(x, y), EuclideanSpace.Distance(x.Select(a => (float)a).ToArray(), y.Select(a => (float)a).ToArray()), 5);
        }
    }

    [Fact]
    public void Lifting_a_spatial_vector_lands_on_the_hyperboloid()
    {
        var m = new LorentzModel(3);
        var x = new double[4];
        m.Lift([0.5, -2, 7], x);
        Assert.Equal(-1.0 / 3, LorentzModel.MinkowskiDot(x, x), 9);
        Assert.Equal(new[] { 0.5, -2, 7 }, x[1..]);
    }

    [Fact]
    public void Projecting_onto_the_tangent_space_makes_the_vector_orthogonal_to_the_point()
    {
        var m = new LorentzModel(0.5);
        var random = new Random(10);
        var x = RandomPoints.Point(m, random, Dim);
        var v = RandomPoints.Gaussian(random, Dim + 1);
        m.ProjectTangent(x, v);
        Assert.True(Math.Abs(LorentzModel.MinkowskiDot(x, v)) < 1e-9);
    }

    [Fact]
    public void Bad_curvature_is_refused_with_a_validation_error()
    {
        Assert.Equal("curvature", Assert.Throws<ValidationException>(() => new PoincareBall(0)).Field);
        Assert.Equal("curvature", Assert.Throws<ValidationException>(() => new LorentzModel(double.NaN)).Field);
    }
}
