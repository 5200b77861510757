namespace RoseForest.Testing;

/// <summary>
/// Vectors like real embeddings: clusters in a low-dimensional latent space (8-d), mapped
/// linearly into <c>dim</c> dimensions, plus a little noise. Seeded and deterministic.
/// </summary>
internal static class EmbeddingLikeData
{
    public static float[][] Clustered(int n, int dim, int seed, int clusters = 20)
    {
        const int latent = 8;
        var shape = new Random(1234); // the same clusters and projection for every seed
        var centers = Enumerable.Range(0, clusters).Select(_ => Enumerable.Range(0, latent).Select(_ => Gauss(shape) * 4).ToArray()).ToArray();
        var projection = Enumerable.Range(0, dim).Select(_ => Enumerable.Range(0, latent).Select(_ => Gauss(shape)).ToArray()).ToArray();
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ =>
        {
            var c = centers[rng.Next(clusters)];
            var z = c.Select(x => x + Gauss(rng)).ToArray();
            return projection.Select(row => (float)(row.Zip(z, (a, b) => a * b).Sum() + (0.05 * Gauss(rng)))).ToArray();
        })];
    }

    /// <summary>The same points mapped into a geometry's domain: into the Poincaré ball (scaled by tanh), onto the hyperboloid (lifted), or as they are.</summary>
    public static float[][] For(RoseForest.Core.Geometry geometry, float[][] points, double scale = 0.05)
    {
        return geometry switch
        {
            RoseForest.Core.Geometry.Poincare => [.. points.Select(p =>
            {
                var norm = Math.Sqrt(p.Sum(x => (double)x * x));
                var r = Math.Tanh(norm * scale) * 0.999;
                return p.Select(x => (float)(x / norm * r)).ToArray();
            })],
            RoseForest.Core.Geometry.Lorentz => [.. points.Select(p =>
            {
                var spatial = p.Select(x => (float)(x * scale)).ToArray();
                var x0 = (float)Math.Sqrt(1 + spatial.Sum(x => (double)x * x));
                return new[] { x0 }.Concat(spatial).ToArray();
            })],
            _ => points,
        };
    }

    private static double Gauss(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
