using RoseForest.Core.Spaces;
using RoseForest.Index.Common;
using RoseForest.Index.Flat;
using RoseForest.Index.Storage;

namespace RoseForest.Index.Tests;

/// <summary>Clustered random vectors (harder than uniform noise) and their exact neighbours.</summary>
internal static class HnswTestData
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

    private static double Gauss(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    public static VectorStore Store(float[][] data, Geometry geometry = Geometry.Euclid)
    {
        var store = new VectorStore(data[0].Length, data.Length);
        for (var i = 0; i < data.Length; i++)
        {
            store.Set(i, data[i], GeometryMath.Aux(geometry, 1, data[i]));
        }

        return store;
    }

    /// <summary>Exact top-k ids among allowed slots, by the geometry's proxy (ties by slot).</summary>
    public static int[] Exact<TSpace, TFilter>(VectorStore store, float[] query, int k, int n, TFilter filter)
        where TSpace : struct, ISpace
        where TFilter : struct, ISlotFilter =>
        [.. FlatSearch.Search<TSpace, TFilter, SlotOrder>(store, query, GeometryMath.Aux(TSpace.Geometry, 1, query), k, n, filter, default).Select(h => h.Slot)];

    public static double Recall(int[] truth, ReadOnlySpan<Neighbor> found)
    {
        var set = truth.ToHashSet();
        var hits = 0;
        foreach (var f in found)
        {
            hits += set.Contains(f.Slot) ? 1 : 0;
        }

        return truth.Length == 0 ? 1 : (double)hits / truth.Length;
    }
}
