using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using RoseForest.Core.Spaces;
using RoseForest.Index.Common;
using RoseForest.Index.Rotation;

namespace RoseForest.Index.Hnsw;

internal sealed unsafe partial class HnswGraph
{
    /// <summary>
    /// The approximate k nearest allowed nodes to a query: greedy descent through the upper
    /// layers, then a beam of width max(ef, k) on layer 0 in which every node steers the walk but
    /// only allowed ones enter the results (the filter acts during traversal). Writes the hits,
    /// closest first, and returns how many. Allocates nothing.
    /// </summary>
    public int Search<TSpace, TFilter>(float[] query, float queryAux, int k, int ef, TFilter filter, Span<Neighbor> output, double selectivity = 1)
        where TSpace : struct, ISpace
        where TFilter : struct, ISlotFilter
    {
        var ctx = SearchContext.Current;
        var rotation = Volatile.Read(ref _rotation);
        if (typeof(TSpace) == typeof(EuclidSpace) && rotation is not null)
        {
            return Search(new RotatedQuery(ctx.RotatedQuery(query, rotation), _vectors), k, ef, filter, ctx, output, selectivity);
        }

        ref var q = ref ctx.AlignedQuery(query);
        return Search(new FloatQuery<TSpace>((float*)Unsafe.AsPointer(ref q), queryAux, _vectors), k, ef, filter, ctx, output, selectivity);
    }

    /// <summary>
    /// The same search with any query representation (float rows, int8 codes). With a filter of
    /// estimated <paramref name="selectivity"/> below 1, the walk keeps a beam of ef/selectivity
    /// nodes of any kind for its pruning and collects the best ef allowed nodes beside it; if
    /// that finds fewer than k (a filter correlated with position), the plain filtered walk runs.
    /// </summary>
    public int Search<TQuery, TFilter>(TQuery query, int k, int ef, TFilter filter, SearchContext ctx, Span<Neighbor> output, double selectivity = 1)
        where TQuery : struct, IQueryDistance
        where TFilter : struct, ISlotFilter
    {
        var entry = Volatile.Read(ref _entry);
        if (entry < 0 || k <= 0)
        {
            return 0;
        }

        var ep = (int)(entry & 0xFFFFFFFF);
        var top = (int)(entry >> 32);
        var epDist = query.Distance(ep, float.PositiveInfinity);
        for (var level = top; level > 0; level--)
        {
            ep = Greedy(query, ep, ref epDist, level);
        }

        ctx.LayerZeroEntry = ep;
        ef = Math.Max(ef, k);
        var beam = selectivity >= 1 ? ef : (int)Math.Min(MaxFilteredBeam, Math.Ceiling(ef / Math.Max(selectivity, 1e-3)));
        if (beam <= ef)
        {
            SearchLayer(query, ep, epDist, ef, 0, filter, ctx);
        }
        else
        {
            SearchLayerFiltered(query, ep, epDist, ef, beam, filter, ctx);

            // A filter correlated with position (a label, say) can leave the query's whole
            // neighbourhood without an allowed node; then walk on until ef allowed nodes are held.
            if (ctx.Results.Count < k)
            {
                SearchLayer(query, ep, epDist, ef, 0, filter, ctx);
            }
        }

        var results = ctx.Results;
        while (results.Count > k)
        {
            results.Pop();
        }

        return results.DrainSorted(output);
    }

    /// <summary>Moves to the closest neighbour on one layer until none is closer (beam of 1).</summary>
    private int Greedy<TQuery>(TQuery query, int ep, ref float epDist, int level)
        where TQuery : struct, IQueryDistance
    {
        var none = default(NoWatch);
        return Greedy(query, ep, ref epDist, level, ref none);
    }

    /// <summary>The greedy step, showing every node it scores to <paramref name="watch"/> (a struct: the no-op one compiles away).</summary>
    private int Greedy<TQuery, TWatch>(TQuery query, int ep, ref float epDist, int level, ref TWatch watch)
        where TQuery : struct, IQueryDistance
        where TWatch : struct, IScoredWatch
    {
        var capacity = _capacity;
        var changed = true;
        while (changed)
        {
            changed = false;
            var list = Links(ep, level);
            if (list.IsEmpty)
            {
                break;
            }

            var count = Math.Min(Volatile.Read(ref list[0]), list.Length - 1);
            for (var i = 1; i <= count; i++)
            {
                var n = list[i];
                if ((uint)n >= (uint)capacity)
                {
                    continue;
                }

                var d = query.Distance(n, watch.Bound(epDist));
                watch.Scored(n, d);
                if (d < epDist)
                {
                    epDist = d;
                    ep = n;
                    changed = true;
                }
            }
        }

        return ep;
    }

    /// <summary>
    /// Beam search on one layer from <paramref name="ep"/>: the frontier (min-heap) and the best
    /// <paramref name="ef"/> allowed nodes (max-heap) end up in <paramref name="ctx"/>. Once the
    /// results are full, a neighbour is scored only up to the current worst result (the kernel
    /// abandons a distance as soon as it is beaten) and the walk stops when the closest frontier
    /// node is farther than that worst result.
    /// </summary>
    private void SearchLayer<TQuery, TFilter>(TQuery query, int ep, float epDist, int ef, int level, TFilter filter, SearchContext ctx)
        where TQuery : struct, IQueryDistance
        where TFilter : struct, ISlotFilter
    {
        var capacity = _capacity;
        var visited = ctx.Visited;
        visited.Reset(capacity);
        var candidates = ctx.Candidates;
        var results = ctx.Results;
        candidates.Clear();
        results.Clear();

        visited.TryVisit(ep);
        candidates.Push(epDist, ep);
        var worst = float.PositiveInfinity;
        var hops = 0;
        var scored = 1;
        if (filter.Allows(ep))
        {
            results.Push(epDist, ep);
            if (results.Count == ef)
            {
                worst = epDist;
            }
        }

        while (candidates.Count > 0)
        {
            var current = candidates.Top;
            if (current.Distance > worst)
            {
                break;
            }

            candidates.Pop();
            hops++;
            var list = Links(current.Slot, level);
            if (list.IsEmpty)
            {
                continue;
            }

            // The next frontier node's links are the next cold read: start it now.
            if (level == 0 && candidates.Count > 0 && Sse.IsSupported)
            {
                Sse.Prefetch0(Links0(candidates.Top.Slot));
            }

            var count = Math.Min(Volatile.Read(ref list[0]), list.Length - 1);
            ref var ids = ref MemoryMarshal.GetReference(list);
            if (count > 0 && (uint)Unsafe.Add(ref ids, 1) < (uint)capacity)
            {
                query.Prefetch(Unsafe.Add(ref ids, 1));
            }

            for (var i = 1; i <= count; i++)
            {
                var n = Unsafe.Add(ref ids, i);
                if (i < count && (uint)Unsafe.Add(ref ids, i + 1) < (uint)capacity)
                {
                    query.Prefetch(Unsafe.Add(ref ids, i + 1));
                }

                if ((uint)n >= (uint)capacity || !visited.TryVisit(n))
                {
                    continue;
                }

                scored++;
                var d = query.Distance(n, worst);
                if (d < worst)
                {
                    candidates.Push(d, n);
                    if (filter.Allows(n))
                    {
                        results.Push(d, n);
                        if (results.Count > ef)
                        {
                            results.Pop();
                        }

                        if (results.Count == ef)
                        {
                            worst = results.Top.Distance;
                        }
                    }
                }
            }
        }

        ctx.Hops = hops;
        ctx.Scored = scored;
    }

    /// <summary>The widest beam a filtered walk uses, however selective the filter.</summary>
    private const int MaxFilteredBeam = 4096;

    /// <summary>
    /// The layer-0 walk for a selective filter: it prunes and stops on a beam of
    /// <paramref name="beam"/> nodes of any kind, as an unfiltered search of that width would,
    /// and keeps the best <paramref name="ef"/> allowed nodes it meets in <c>ctx.Results</c>. The
    /// plain walk cannot prune until it holds ef allowed nodes, so under a 30% filter it scored
    /// every node it met; this one does the work of an unfiltered search of width ef/selectivity.
    /// </summary>
    private void SearchLayerFiltered<TQuery, TFilter>(TQuery query, int ep, float epDist, int ef, int beam, TFilter filter, SearchContext ctx)
        where TQuery : struct, IQueryDistance
        where TFilter : struct, ISlotFilter
    {
        var capacity = _capacity;
        var visited = ctx.Visited;
        visited.Reset(capacity);
        var candidates = ctx.Candidates;
        var results = ctx.Results;
        var nearest = ctx.Beam;
        candidates.Clear();
        results.Clear();
        nearest.Clear();

        visited.TryVisit(ep);
        candidates.Push(epDist, ep);
        nearest.Push(epDist, ep);
        if (filter.Allows(ep))
        {
            results.Push(epDist, ep);
        }

        var worst = float.PositiveInfinity;
        var hops = 0;
        var scored = 1;
        while (candidates.Count > 0)
        {
            var current = candidates.Top;
            if (current.Distance > worst)
            {
                break;
            }

            candidates.Pop();
            hops++;
            var list = Links(current.Slot, 0);
            if (candidates.Count > 0 && Sse.IsSupported)
            {
                Sse.Prefetch0(Links0(candidates.Top.Slot));
            }

            var count = Math.Min(Volatile.Read(ref list[0]), list.Length - 1);
            ref var ids = ref MemoryMarshal.GetReference(list);
            for (var i = 1; i <= count; i++)
            {
                var n = Unsafe.Add(ref ids, i);
                if (i < count && (uint)Unsafe.Add(ref ids, i + 1) < (uint)capacity)
                {
                    query.Prefetch(Unsafe.Add(ref ids, i + 1));
                }

                if ((uint)n >= (uint)capacity || !visited.TryVisit(n))
                {
                    continue;
                }

                scored++;
                var d = query.Distance(n, worst);
                if (d >= worst)
                {
                    continue;
                }

                candidates.Push(d, n);
                nearest.Push(d, n);
                if (nearest.Count > beam)
                {
                    nearest.Pop();
                }

                if (nearest.Count == beam)
                {
                    worst = nearest.Top.Distance;
                }

                if (filter.Allows(n) && (results.Count < ef || d < results.Top.Distance))
                {
                    results.Push(d, n);
                    if (results.Count > ef)
                    {
                        results.Pop();
                    }
                }
            }
        }

        ctx.Hops = hops;
        ctx.Scored = scored;
    }

    /// <summary>Sees the nodes a greedy step scores.</summary>
    private interface IScoredWatch
    {
        /// <summary>The bound to score a node up to, given the step's own (the current closest).</summary>
        float Bound(float current);

        void Scored(int node, float distance);
    }

    /// <summary>Sees nothing.</summary>
    private struct NoWatch : IScoredWatch
    {
        public readonly float Bound(float current) => current;

        public readonly void Scored(int node, float distance)
        {
        }
    }
}
