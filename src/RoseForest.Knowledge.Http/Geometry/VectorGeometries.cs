using RoseForest.Hyperbolic.Manifolds;
using RoseForest.Knowledge.Sync;

namespace RoseForest.Knowledge.Http.Geometry;

/// <summary>
/// The geometry a collection's vector conflict strategies (<c>merge</c>, <c>geometric_mean</c>)
/// average in: the Poincaré ball and the hyperboloid through RoseForest.Hyperbolic's geodesics and
/// Fréchet mean, the unit sphere for cosine (the normalised weighted sum, which is the spherical
/// mean's direction for points in one hemisphere), flat space for the rest.
/// </summary>
internal static class VectorGeometries
{
    /// <summary>The geometry of a collection.</summary>
    public static IVectorGeometry For(Core.Geometry geometry, double curvature) => geometry switch
    {
        Core.Geometry.Poincare => new ManifoldGeometry(new PoincareBall(curvature)),
        Core.Geometry.Lorentz => new ManifoldGeometry(new LorentzModel(curvature)),
        Core.Geometry.Cosine => SphereGeometry.Instance,
        _ => EuclideanGeometry.Instance,
    };

    private sealed class ManifoldGeometry(IManifold manifold) : IVectorGeometry
    {
        public float[] Midpoint(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
        {
            var result = new double[a.Length];
            Geodesics.Midpoint(manifold, ToDouble(a), ToDouble(b), result);
            return ToFloat(result);
        }

        public float[] WeightedMean(IReadOnlyList<float[]> points, IReadOnlyList<double> weights)
            => ToFloat(FrechetMean.Compute(manifold, [.. points.Select(p => ToDouble(p))], weights).Mean);
    }

    private sealed class SphereGeometry : IVectorGeometry
    {
        public static SphereGeometry Instance { get; } = new();

        public float[] Midpoint(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
            => Normalized(EuclideanGeometry.Instance.Midpoint(a, b), a);

        public float[] WeightedMean(IReadOnlyList<float[]> points, IReadOnlyList<double> weights)
            => Normalized(EuclideanGeometry.Instance.WeightedMean(points, weights), points[0]);

        private static float[] Normalized(float[] v, ReadOnlySpan<float> fallback)
        {
            double norm = 0;
            foreach (var x in v)
            {
                norm += (double)x * x;
            }

            norm = Math.Sqrt(norm);
            if (norm < 1e-12)
            {
                return fallback.ToArray(); // antipodal: no unique midpoint; keep the first in stamp order
            }

            for (var i = 0; i < v.Length; i++)
            {
                v[i] = (float)(v[i] / norm);
            }

            return v;
        }
    }

    private static double[] ToDouble(ReadOnlySpan<float> v)
    {
        var d = new double[v.Length];
        for (var i = 0; i < v.Length; i++)
        {
            d[i] = v[i];
        }

        return d;
    }

    private static float[] ToFloat(double[] v)
    {
        var f = new float[v.Length];
        for (var i = 0; i < v.Length; i++)
        {
            f[i] = (float)v[i];
        }

        return f;
    }
}
