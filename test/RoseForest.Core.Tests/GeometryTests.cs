using RoseForest.Core.Spaces;

namespace RoseForest.Core.Tests;

public class GeometryTests
{
    public static TheoryData<Geometry, double> Spaces => new()
    {
        { Geometry.Euclid, 1 },
        { Geometry.Cosine, 1 },
        { Geometry.Dot, 1 },
        { Geometry.Manhattan, 1 },
        { Geometry.Poincare, 1 },
        { Geometry.Poincare, 0.25 },
        { Geometry.Poincare, 4 },
        { Geometry.Lorentz, 1 },
        { Geometry.Lorentz, 0.5 },
        { Geometry.Lorentz, 3 },
    };

    [Theory]
    [MemberData(nameof(Spaces))]
    public void Scores_are_symmetric(Geometry geometry, double c)
    {
        var rng = new Random(11);
        for (var trial = 0; trial < 500; trial++)
        {
            var dim = rng.Next(2, 40);
            var a = TestVectors.Prepared(rng, geometry, dim, c);
            var b = TestVectors.Prepared(rng, geometry, dim, c);
            var ab = GeometryMath.Score(geometry, c, a, b);
            var ba = GeometryMath.Score(geometry, c, b, a);
            Assert.Equal(ab, ba, 1e-9 * Math.Max(1, Math.Abs(ab)));
        }
    }

    [Theory]
    [MemberData(nameof(Spaces))]
    public void A_point_is_at_distance_zero_from_itself(Geometry geometry, double c)
    {
        var rng = new Random(12);
        for (var trial = 0; trial < 200; trial++)
        {
            var a = TestVectors.Prepared(rng, geometry, rng.Next(2, 40), c);
            var self = GeometryMath.Score(geometry, c, a, a);
            switch (geometry)
            {
                case Geometry.Cosine:
                    Assert.Equal(1.0, self, 1e-6);
                    break;
                case Geometry.Dot:
                    Assert.True(self >= 0);
                    break;
                default:
                    Assert.Equal(0.0, self, 1e-12);
                    break;
            }
        }
    }

    [Theory]
    [InlineData(Geometry.Euclid, 1)]
    [InlineData(Geometry.Manhattan, 1)]
    [InlineData(Geometry.Poincare, 1)]
    [InlineData(Geometry.Poincare, 2.5)]
    [InlineData(Geometry.Lorentz, 1)]
    [InlineData(Geometry.Lorentz, 0.3)]
    public void Distances_satisfy_the_triangle_inequality(Geometry geometry, double c)
    {
        var rng = new Random(13);
        for (var trial = 0; trial < 2000; trial++)
        {
            var dim = rng.Next(2, 12);
            var a = TestVectors.Prepared(rng, geometry, dim, c);
            var b = TestVectors.Prepared(rng, geometry, dim, c);
            var x = TestVectors.Prepared(rng, geometry, dim, c);
            var direct = GeometryMath.Score(geometry, c, a, x);
            var detour = GeometryMath.Score(geometry, c, a, b) + GeometryMath.Score(geometry, c, b, x);
            Assert.True(direct <= detour + 1e-6 * (1 + detour), $"trial {trial}: d(a,c)={direct} > d(a,b)+d(b,c)={detour}");
        }
    }

    [Fact]
    public void Poincare_distance_agrees_with_the_textbook_formula()
    {
        var rng = new Random(14);
        foreach (var c in new[] { 0.5, 1.0, 2.0 })
        {
            for (var trial = 0; trial < 500; trial++)
            {
                var dim = rng.Next(2, 20);
                var u = TestVectors.Prepared(rng, Geometry.Poincare, dim, c);
                var v = TestVectors.Prepared(rng, Geometry.Poincare, dim, c);
                double uu = 0, vv = 0, dd = 0;
                for (var i = 0; i < dim; i++)
                {
                    uu += (double)u[i] * u[i];
                    vv += (double)v[i] * v[i];
                    dd += ((double)u[i] - v[i]) * ((double)u[i] - v[i]);
                }

                var reference = Math.Acosh(1 + (2 * c * dd / ((1 - (c * uu)) * (1 - (c * vv))))) / Math.Sqrt(c);
                Assert.Equal(reference, GeometryMath.PoincareDistance(u, v, c), 1e-7 * Math.Max(1, reference));
            }
        }
    }

    [Fact]
    public void Lorentz_distance_agrees_with_the_textbook_formula()
    {
        var rng = new Random(15);
        foreach (var c in new[] { 0.5, 1.0, 2.0 })
        {
            for (var trial = 0; trial < 500; trial++)
            {
                var dim = rng.Next(2, 20);
                var x = TestVectors.Prepared(rng, Geometry.Lorentz, dim, c);
                var y = TestVectors.Prepared(rng, Geometry.Lorentz, dim, c);
                var inner = -(double)x[0] * y[0];
                for (var i = 1; i < dim; i++)
                {
                    inner += (double)x[i] * y[i];
                }

                var reference = Math.Acosh(Math.Max(1, -c * inner)) / Math.Sqrt(c);

                // The textbook form cancels catastrophically for close points; compare where it is sound.
                if (reference > 1e-2)
                {
                    Assert.Equal(reference, GeometryMath.LorentzDistance(x, y, c), 1e-4 * Math.Max(1, reference));
                }
            }
        }
    }

    [Fact]
    public void Poincare_and_lorentz_distances_agree_through_the_isometry()
    {
        // Ball point u maps to the hyperboloid as x = ((1 + c|u|²), 2√c·u) / (√c (1 − c|u|²)).
        var rng = new Random(16);
        const double c = 1.7;
        for (var trial = 0; trial < 300; trial++)
        {
            var dim = rng.Next(2, 10);
            var u = TestVectors.Prepared(rng, Geometry.Poincare, dim, c);
            var v = TestVectors.Prepared(rng, Geometry.Poincare, dim, c);
            var inBall = GeometryMath.PoincareDistance(u, v, c);
            if (inBall > 20)
            {
                continue; // float hyperboloid coordinates lose precision far out
            }

            var onSheet = GeometryMath.LorentzDistance(ToLorentz(u, c), ToLorentz(v, c), c);
            Assert.Equal(inBall, onSheet, 1e-3 * Math.Max(1, inBall));
        }
    }

    [Theory]
    [MemberData(nameof(Spaces))]
    public void The_ranking_proxy_orders_points_like_the_true_score(Geometry geometry, double c)
    {
        var rng = new Random(17);
        var higherIsBetter = GeometryInfo.HigherIsBetter(geometry);
        for (var trial = 0; trial < 1000; trial++)
        {
            var dim = rng.Next(2, 70);
            var q = TestVectors.Prepared(rng, geometry, dim, c);
            var a = TestVectors.Prepared(rng, geometry, dim, c);
            var b = TestVectors.Prepared(rng, geometry, dim, c);
            var sa = GeometryMath.Score(geometry, c, q, a);
            var sb = GeometryMath.Score(geometry, c, q, b);
            if (Math.Abs(sa - sb) < 1e-3 * (1 + Math.Abs(sa)))
            {
                continue; // too close to call in float
            }

            var pa = Proxy(geometry, q, a, c);
            var pb = Proxy(geometry, q, b, c);
            var trueOrder = higherIsBetter ? sb.CompareTo(sa) : sa.CompareTo(sb);
            Assert.Equal(trueOrder, pa.CompareTo(pb));
        }
    }

    [Fact]
    public void Simd_kernels_match_scalar_sums_at_every_length()
    {
        var rng = new Random(18);
        for (var n = 1; n <= 130; n++)
        {
            var a = new float[n];
            var b = new float[n];
            TestVectors.Gaussian(rng, a);
            TestVectors.Gaussian(rng, b);
            double dot = 0, l2 = 0, l1 = 0;
            for (var i = 0; i < n; i++)
            {
                dot += (double)a[i] * b[i];
                l2 += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
                l1 += Math.Abs((double)a[i] - b[i]);
            }

            Assert.Equal(dot, VectorMath.Dot(a, b), 1e-4 * (1 + Math.Abs(dot)));
            Assert.Equal(l2, VectorMath.L2Squared(a, b), 1e-4 * (1 + l2));
            Assert.Equal(l1, VectorMath.L1(a, b), 1e-4 * (1 + l1));
            var d0 = (double)a[0] - b[0];
            var lorentz = l2 - (2 * d0 * d0);
            Assert.Equal(lorentz, VectorMath.LorentzSquaredDouble(ref a[0], ref b[0], n), 1e-12 * (1 + l2));
        }
    }

    [Fact]
    public void Arcosh_near_one_keeps_its_precision()
    {
        // arcosh(1 + x) ≈ √(2x) for tiny x; Math.Acosh(1 + 1e-14) would lose most digits.
        const double x = 1e-14;
        Assert.Equal(Math.Sqrt(2 * x), GeometryMath.ArcoshOnePlus(x), 1e-20);
        Assert.Equal(Math.Acosh(1 + 0.5), GeometryMath.ArcoshOnePlus(0.5), 1e-14);
    }

    private static float Proxy(Geometry geometry, float[] q, float[] x, double c)
    {
        var aq = GeometryMath.Aux(geometry, c, q);
        var ax = GeometryMath.Aux(geometry, c, x);
        var n = q.Length;
        return geometry switch
        {
            Geometry.Euclid => EuclidSpace.Proxy(ref q[0], ref x[0], n, aq, ax),
            Geometry.Cosine => CosineSpace.Proxy(ref q[0], ref x[0], n, aq, ax),
            Geometry.Dot => DotSpace.Proxy(ref q[0], ref x[0], n, aq, ax),
            Geometry.Manhattan => ManhattanSpace.Proxy(ref q[0], ref x[0], n, aq, ax),
            Geometry.Poincare => PoincareSpace.Proxy(ref q[0], ref x[0], n, aq, ax),
            _ => LorentzSpace.Proxy(ref q[0], ref x[0], n, aq, ax),
        };
    }

    private static float[] ToLorentz(float[] u, double c)
    {
        double uu = 0;
        foreach (var x in u)
        {
            uu += (double)x * x;
        }

        var sc = Math.Sqrt(c);
        var denom = sc * (1 - (c * uu));
        var result = new float[u.Length + 1];
        result[0] = (float)((1 + (c * uu)) / denom);
        for (var i = 0; i < u.Length; i++)
        {
            result[i + 1] = (float)(2 * sc * u[i] / denom);
        }

        return result;
    }
}
