using RoseForest.Hyperbolic.Manifolds;

namespace RoseForest.Hyperbolic.Tests;

/// <summary>Seeded random points and tangent vectors on each manifold.</summary>
internal static class RandomPoints
{
    public static double[] Gaussian(Random random, int n, double scale = 1)
    {
        var v = new double[n];
        for (var i = 0; i < n; i++)
        {
            v[i] = scale * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        }

        return v;
    }

    /// <summary>A point at a random hyperbolic distance in [0, maxRadius) from the origin.</summary>
    public static double[] Point(IManifold manifold, Random random, int dimension, double maxRadius = 4)
    {
        var origin = new double[manifold.CoordinateCount(dimension)];
        manifold.Origin(origin);
        var direction = Tangent(manifold, origin, random, dimension);
        var length = manifold.TangentNorm(origin, direction);
        var scale = random.NextDouble() * maxRadius / length;
        for (var i = 0; i < direction.Length; i++)
        {
            direction[i] *= scale;
        }

        var point = new double[origin.Length];
        manifold.Exp(origin, direction, point);
        return point;
    }

    /// <summary>
    /// A random tangent vector at x (for Lorentz: projected onto the tangent space) whose Riemannian
    /// length is that of a Gaussian vector of the given scale, wherever x is.
    /// </summary>
    public static double[] Tangent(IManifold manifold, double[] x, Random random, int dimension, double scale = 1)
    {
        var v = Gaussian(random, manifold.CoordinateCount(dimension), scale);
        var length = Math.Sqrt(v.Sum(a => a * a));
        if (manifold is LorentzModel lorentz)
        {
            lorentz.ProjectTangent(x, v);
        }

        var norm = manifold.TangentNorm(x, v);
        return norm == 0 ? v : [.. v.Select(a => a * length / norm)];
    }

    public static IEnumerable<IManifold> Manifolds() => [new PoincareBall(), new PoincareBall(0.5), new LorentzModel(), new LorentzModel(2), EuclideanSpace.Instance];

    public static double MaxRelativeDifference(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double worst = 0;
        for (var i = 0; i < a.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(a[i] - b[i]) / (1 + Math.Abs(b[i])));
        }

        return worst;
    }
}
