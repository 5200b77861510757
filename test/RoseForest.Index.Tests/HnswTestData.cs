using RoseForest.Core.Spaces;
using RoseForest.Index.Common;
using RoseForest.Index.Flat;
using RoseForest.Index.Storage;

namespace RoseForest.Index.Tests;

/// <summary>Index-level helpers: stores over test vectors and their exact neighbours.</summary>
internal static class HnswTestData
{
    public static float[][] Clustered(int n, int dim, int seed, int clusters = 20) => EmbeddingLikeData.Clustered(n, dim, seed, clusters);

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
