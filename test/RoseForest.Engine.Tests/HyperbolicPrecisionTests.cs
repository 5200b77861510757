using RoseForest.Engine;

namespace RoseForest.Engine.Tests;

/// <summary>
/// Exact search in the hyperbolic geometries must agree with a double-precision brute force even
/// for points far from the origin, where trained hierarchy embeddings live (WordNet nouns put the
/// Lorentz time coordinate at 10^4-10^5). A float proxy that sums squares of that size and
/// subtracts them loses the answer to cancellation.
/// </summary>
public class HyperbolicPrecisionTests
{
    private const int Dim = 10;
    private const int Points = 3000;
    private const int Queries = 150;
    private const int K = 10;

    [Theory]
    [InlineData(Geometry.Lorentz)]
    [InlineData(Geometry.Poincare)]
    public async Task Exact_search_far_from_the_origin_matches_double_precision_brute_force(Geometry geometry)
    {
        using var tmp = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var col = await db.CreateCollectionAsync("h", new CollectionOptions { Dimension = Dim, Geometry = geometry, Durability = Durability.Buffered });

        var rng = new Random(7);
        var batch = new List<PointStruct>(Points);
        for (var i = 0; i < Points; i++)
        {
            // Hyperbolic radius 10-11 from the origin (Poincaré allows norms up to 1 − 1e-5, about
            // radius 12), in tight angular clusters: siblings deep in a trained hierarchy look like
            // this, and their mutual distances (~8) are far below the 2r the coordinates carry,
            // which is where cancellation in float loses the order.
            var cluster = i % 10;
            var radius = 10 + rng.NextDouble();
            batch.Add(new PointStruct((ulong)(i + 1), PointAt(Direction(cluster, rng), radius, geometry)));
        }

        await col.UpsertAsync(batch);

        // Rank against what was stored (the engine may have projected the vectors).
        var stored = new float[Points][];
        var got = await col.GetAsync(batch.Select(p => p.Id).ToArray(), withVector: true);
        foreach (var p in got)
        {
            stored[(int)p.Id.Number - 1] = p.Vector!;
        }

        var mismatches = 0;
        for (var q = 0; q < Queries; q++)
        {
            var query = stored[rng.Next(Points)];
            var hits = await col.SearchAsync(new SearchRequest { Vector = query, Limit = K, Exact = true });
            var expected = Enumerable.Range(0, Points)
                .Select(j => (Distance: Distance(geometry, query, stored[j]), Id: (ulong)(j + 1)))
                .OrderBy(t => t.Distance).ThenBy(t => t.Id)
                .Take(K)
                .ToArray();

            var actual = hits.Select(h => h.Id.Number).ToArray();
            if (!actual.SequenceEqual(expected.Select(e => e.Id)))
            {
                mismatches++;
                continue;
            }

            for (var i = 0; i < hits.Count; i++)
            {
                Assert.Equal(expected[i].Distance, hits[i].Score, 1e-9 * Math.Max(1, expected[i].Distance));
            }
        }

        Assert.Equal(0, mismatches);
    }

    private static double[] Direction(int cluster, Random rng)
    {
        // A fixed centre per cluster plus a small perturbation, normalised.
        var centre = new Random(1000 + cluster);
        var u = new double[Dim - 1];
        double norm = 0;
        for (var i = 0; i < u.Length; i++)
        {
            u[i] = centre.NextDouble() - 0.5 + (0.004 * (rng.NextDouble() - 0.5));
            norm += u[i] * u[i];
        }

        norm = Math.Sqrt(norm);
        for (var i = 0; i < u.Length; i++)
        {
            u[i] /= norm;
        }

        return u;
    }

    private static float[] PointAt(double[] direction, double radius, Geometry geometry)
    {
        var v = new float[Dim];
        if (geometry == Geometry.Lorentz)
        {
            // (cosh r, sinh r · u) on the hyperboloid of curvature −1. Dim counts the time coordinate.
            v[0] = (float)Math.Cosh(radius);
            for (var i = 0; i < direction.Length; i++)
            {
                v[i + 1] = (float)(Math.Sinh(radius) * direction[i]);
            }
        }
        else
        {
            // tanh(r/2) · u in the unit ball; uses Dim − 1 directions and one extra zero coordinate.
            var t = Math.Tanh(radius / 2);
            for (var i = 0; i < direction.Length; i++)
            {
                v[i] = (float)(t * direction[i]);
            }
        }

        return v;
    }

    /// <summary>The hyperbolic distance in double from the float coordinates, curvature −1.</summary>
    private static double Distance(Geometry geometry, float[] x, float[] y)
    {
        if (geometry == Geometry.Lorentz)
        {
            var d0 = (double)x[0] - y[0];
            var s = -(d0 * d0);
            for (var i = 1; i < x.Length; i++)
            {
                var d = (double)x[i] - y[i];
                s += d * d;
            }

            return Acosh1P(Math.Max(0, s / 2));
        }

        double diff = 0, nx = 0, ny = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var d = (double)x[i] - y[i];
            diff += d * d;
            nx += (double)x[i] * x[i];
            ny += (double)y[i] * y[i];
        }

        return Acosh1P(2 * diff / ((1 - nx) * (1 - ny)));
    }

    private static double Acosh1P(double x) => Math.Log(1 + x + Math.Sqrt(x * (x + 2)));
}
