using RoseForest.Core.Spaces;

namespace RoseForest.Core.Tests;

/// <summary>Random valid points for each geometry, from a seeded generator.</summary>
internal static class TestVectors
{
    public static float[] Random(Random rng, Geometry geometry, int dim, double c = 1.0)
    {
        var v = new float[dim];
        switch (geometry)
        {
            case Geometry.Poincare:
                // Uniform direction, radius spread towards the boundary (where precision is hard).
                var r = (1 - Math.Pow(rng.NextDouble(), 3)) * 0.999 / Math.Sqrt(c);
                Gaussian(rng, v);
                Scale(v, r / Norm(v));
                return v;
            case Geometry.Lorentz:
                var spatial = new float[dim - 1];
                Gaussian(rng, spatial);
                Scale(spatial, rng.NextDouble() * 3);
                double s = 0;
                foreach (var x in spatial)
                {
                    s += (double)x * x;
                }

                v[0] = (float)Math.Sqrt((1 / c) + s);
                spatial.CopyTo(v, 1);
                return v;
            case Geometry.Cosine:
                Gaussian(rng, v);
                Scale(v, 1 / Norm(v));
                return v;
            default:
                Gaussian(rng, v);
                return v;
        }
    }

    public static float[] Prepared(Random rng, Geometry geometry, int dim, double c = 1.0)
    {
        var raw = Random(rng, geometry, dim, c);
        var output = new float[dim];
        VectorPreparer.Prepare(geometry, c, dim, raw, output, projectOntoManifold: false, "v");
        return output;
    }

    public static void Gaussian(Random rng, float[] v)
    {
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
        }
    }

    public static double Norm(float[] v)
    {
        double s = 0;
        foreach (var x in v)
        {
            s += (double)x * x;
        }

        return Math.Sqrt(s);
    }

    private static void Scale(float[] v, double factor)
    {
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = (float)(v[i] * factor);
        }
    }
}
