using System.Runtime.InteropServices;
using RoseForest.Core.Spaces;
using RoseForest.Index.Common;
using RoseForest.Index.Storage;

namespace RoseForest.Index.Flat;

/// <summary>
/// Exact k-nearest search: every allowed slot is scored with the geometry's kernel and the best
/// k kept. Large scans are split across cores, each part with its own heap, then merged.
/// </summary>
internal static class FlatSearch
{
    /// <summary>Below this many floats to scan, one thread is faster than several.</summary>
    private const long ParallelFloats = 4_000_000;

    public static Neighbor[] Search<TSpace, TFilter, TTie>(VectorStore store, float[] query, float queryAux, int k, int slotCount, TFilter filter, TTie tie)
        where TSpace : struct, ISpace
        where TFilter : struct, ISlotFilter
        where TTie : struct, ITieBreaker
    {
        var parts = (long)slotCount * store.Dimension >= ParallelFloats ? Math.Min(Environment.ProcessorCount, 8) : 1;
        if (parts <= 1)
        {
            return Scan<TSpace, TFilter, TTie>(store, query, queryAux, k, 0, slotCount, filter, tie).ToSortedArray();
        }

        var partial = new Neighbor[parts][];
        var chunk = (slotCount + parts - 1) / parts;
        Parallel.For(0, parts, p =>
        {
            var from = p * chunk;
            var to = Math.Min(slotCount, from + chunk);
            partial[p] = from < to ? Scan<TSpace, TFilter, TTie>(store, query, queryAux, k, from, to, filter, tie).ToSortedArray() : [];
        });

        var merged = new TopK<TTie>(k, tie);
        foreach (var list in partial)
        {
            foreach (var n in list)
            {
                merged.Offer(n.Distance, n.Slot);
            }
        }

        return merged.ToSortedArray();
    }

    /// <summary>The exact search over a list of candidate slots (a payload index's matches); repeats must be removed by the caller.</summary>
    public static Neighbor[] SearchSlots<TSpace, TFilter, TTie>(VectorStore store, float[] query, float queryAux, int k, ReadOnlySpan<int> slots, TFilter filter, TTie tie)
        where TSpace : struct, ISpace
        where TFilter : struct, ISlotFilter
        where TTie : struct, ITieBreaker
    {
        var top = new TopK<TTie>(k, tie);
        ref var q = ref MemoryMarshal.GetArrayDataReference(query);
        var dim = store.Dimension;
        foreach (var slot in slots)
        {
            if (filter.Allows(slot))
            {
                // Abandoned early once past the k-th best: most candidates are, and their rows are read only in part.
                var d = TSpace.ProxyBounded(ref q, ref store.Row(slot), dim, queryAux, store.Aux(slot), top.Threshold);
                if (d <= top.Threshold)
                {
                    top.Offer(d, slot);
                }
            }
        }

        return top.ToSortedArray();
    }

    private static TopK<TTie> Scan<TSpace, TFilter, TTie>(VectorStore store, float[] query, float queryAux, int k, int from, int to, TFilter filter, TTie tie)
        where TSpace : struct, ISpace
        where TFilter : struct, ISlotFilter
        where TTie : struct, ITieBreaker
    {
        var top = new TopK<TTie>(k, tie);
        ref var q = ref MemoryMarshal.GetArrayDataReference(query);
        var dim = store.Dimension;
        for (var slot = from; slot < to; slot++)
        {
            if (!filter.Allows(slot))
            {
                continue;
            }

            var d = TSpace.Proxy(ref q, ref store.Row(slot), dim, queryAux, store.Aux(slot));
            if (d <= top.Threshold)
            {
                top.Offer(d, slot);
            }
        }

        return top;
    }
}
