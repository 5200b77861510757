using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using RoseForest.Core.Spaces;
using RoseForest.Index.Common;

namespace RoseForest.Index.Hnsw;

/// <summary>
/// How a filtered search walks layer 0 when the filter is cheap to test (answered by payload
/// indexes): only allowed nodes are scored and expanded, as in Qdrant's filtered HNSW, so the
/// work is that of an unfiltered search over the allowed points, not over everything the walk
/// passes. What keeps such a walk connected: the per-value links of <see cref="Links"/>, which
/// join the points of one payload value; <see cref="Seeds"/>, allowed nodes to start from besides
/// the descent's entry; and with <see cref="TwoHop"/>, ACORN-1's step through rejected neighbours
/// to their allowed neighbours, for filters no links were built for. With <see cref="Accept"/>,
/// the walk's filter is a cheap superset of the matches (the indexed part of a filter) and only
/// nodes <see cref="Accept"/> also allows enter the results; the others still steer.
/// </summary>
/// <param name="Links">Per-value link sets to follow besides layer 0's lists (may be empty).</param>
/// <param name="Seeds">Allowed nodes the walk starts from, besides the entry the descent reaches.</param>
/// <param name="TwoHop">Explore the neighbours of rejected neighbours (for selective filters).</param>
/// <param name="Accept">The rest of the filter, tested only on nodes about to enter the results (null: every allowed node is a result).</param>
internal sealed record RestrictedWalk(PayloadLinks[] Links, int[] Seeds, bool TwoHop, ISlotFilter? Accept = null);

internal sealed unsafe partial class HnswGraph
{
    /// <summary>
    /// The k nearest allowed nodes by a walk restricted to allowed nodes (see
    /// <see cref="RestrictedWalk"/>): greedy descent through the upper layers as usual, then a
    /// beam of width max(ef, k) on layer 0 that scores only nodes the filter allows.
    /// </summary>
    public int SearchRestricted<TQuery, TFilter>(TQuery query, int k, int ef, TFilter filter, SearchContext ctx, Span<Neighbor> output, RestrictedWalk walk)
        where TQuery : struct, IQueryDistance
        where TFilter : struct, ISlotFilter
    {
        var entry = Volatile.Read(ref _entry);
        if (entry < 0 || k <= 0)
        {
            return 0;
        }

        // The descent also keeps the closest allowed node it scores: the layer-0 walk starts
        // there too, near the query, when the entry it reaches is not allowed.
        var watch = new ClosestAllowed<TFilter>(filter);
        var ep = (int)(entry & 0xFFFFFFFF);
        var epDist = query.Distance(ep, float.PositiveInfinity);
        watch.Scored(ep, epDist);
        for (var level = (int)(entry >> 32); level > 0; level--)
        {
            ep = Greedy(query, ep, ref epDist, level, ref watch);
        }

        ReadOnlySpan<int> seeds = walk.Seeds;
        if (watch.Node >= 0 && watch.Node != ep)
        {
            var withClosest = ctx.IntBuffer(2, walk.Seeds.Length + 1);
            withClosest[0] = watch.Node;
            walk.Seeds.CopyTo(withClosest, 1);
            seeds = withClosest.AsSpan(0, walk.Seeds.Length + 1);
        }

        WalkRestricted(query, ep, epDist, Math.Max(ef, k), filter, ctx, walk.Links, seeds, walk.TwoHop, walk.Accept);
        var results = ctx.Results;
        while (results.Count > k)
        {
            results.Pop();
        }

        return results.DrainSorted(output);
    }

    /// <summary>The same search with a float query in the geometry's kernel.</summary>
    public int SearchRestricted<TSpace, TFilter>(float[] query, float queryAux, int k, int ef, TFilter filter, Span<Neighbor> output, RestrictedWalk walk)
        where TSpace : struct, ISpace
        where TFilter : struct, ISlotFilter
    {
        var ctx = SearchContext.Current;
        ref var q = ref ctx.AlignedQuery(query);
        return SearchRestricted(new FloatQuery<TSpace>((float*)Unsafe.AsPointer(ref q), queryAux, _vectors), k, ef, filter, ctx, output, walk);
    }

    /// <summary>Greedy descent from the entry point to layer 1's closest node.</summary>
    internal (int Node, float Distance) Descend<TQuery>(TQuery query, long entry)
        where TQuery : struct, IQueryDistance
    {
        var ep = (int)(entry & 0xFFFFFFFF);
        var epDist = query.Distance(ep, float.PositiveInfinity);
        for (var level = (int)(entry >> 32); level > 0; level--)
        {
            ep = Greedy(query, ep, ref epDist, level);
        }

        return (ep, epDist);
    }

    /// <summary>
    /// The restricted layer-0 beam search: leaves the best <paramref name="ef"/> allowed nodes in
    /// <c>ctx.Results</c>. The entry <paramref name="ep"/> steers even when it is not allowed.
    /// Each expansion gathers up to 2M allowed, unvisited neighbours from the node's layer-0
    /// list and its per-value links, then (two-hop) from the lists of its rejected neighbours,
    /// and scores only those; rejected neighbours are never scored. With <paramref name="accept"/>,
    /// a scored node enters the results only when it allows it too.
    /// </summary>
    internal void WalkRestricted<TQuery, TFilter>(TQuery query, int ep, float epDist, int ef, TFilter filter, SearchContext ctx, PayloadLinks[] links, ReadOnlySpan<int> seeds, bool twoHop, ISlotFilter? accept = null)
        where TQuery : struct, IQueryDistance
        where TFilter : struct, ISlotFilter
    {
        var walk = new Walk<TFilter>(filter, ctx, _capacity, _m0, twoHop);
        var candidates = ctx.Candidates;
        var results = ctx.Results;
        candidates.Clear();
        results.Clear();
        var worst = float.PositiveInfinity;

        walk.Visited.TryVisit(ep);
        candidates.Push(epDist, ep);
        if (filter.Allows(ep) && (accept is null || accept.Allows(ep)))
        {
            Keep(results, ef, epDist, ep, ref worst);
        }

        foreach (var seed in seeds)
        {
            if ((uint)seed < (uint)walk.Capacity && walk.Visited.TryVisit(seed) && filter.Allows(seed))
            {
                var d = query.Distance(seed, float.PositiveInfinity);
                candidates.Push(d, seed);
                if (accept is null || accept.Allows(seed))
                {
                    Keep(results, ef, d, seed, ref worst);
                }
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
            if (candidates.Count > 0 && Sse.IsSupported)
            {
                Sse.Prefetch0(Links0(candidates.Top.Slot));
            }

            walk.Start();
            walk.Gather(Links(current.Slot, 0));
            foreach (var set in links)
            {
                if (!walk.Full && set.SegmentsOf(current.Slot) is { } segments)
                {
                    for (var s = 0; s + 1 < segments.Length && !walk.Full; s += set.SegmentLength)
                    {
                        walk.Gather(segments.AsSpan(s + 1, set.SegmentLength - 1));
                    }
                }
            }

            for (var r = 0; twoHop && r < walk.RejectedCount && !walk.Full; r++)
            {
                walk.GatherAllowed(Links(walk.Rejected[r], 0));
            }

            var toScore = walk.ToScore;
            var scored = walk.Scored;
            if (scored > 0)
            {
                query.Prefetch(toScore[0]);
            }

            for (var i = 0; i < scored; i++)
            {
                var n = toScore[i];
                if (i + 1 < scored)
                {
                    query.Prefetch(toScore[i + 1]);
                }

                var d = query.Distance(n, worst);
                if (d < worst)
                {
                    candidates.Push(d, n);
                    if (accept is null || accept.Allows(n))
                    {
                        Keep(results, ef, d, n, ref worst);
                    }
                }
            }
        }
    }

    /// <summary>Remembers the closest allowed node a descent scores; scores every node exactly (an allowed one may be farther than the step's closest).</summary>
    private struct ClosestAllowed<TFilter>(TFilter filter) : IScoredWatch
        where TFilter : struct, ISlotFilter
    {
        public int Node = -1;
        public float Distance = float.PositiveInfinity;

        public readonly float Bound(float current) => Math.Max(current, Distance);

        public void Scored(int node, float distance)
        {
            if (distance < Distance && filter.Allows(node))
            {
                Node = node;
                Distance = distance;
            }
        }
    }

    /// <summary>Adds a result, keeping the best <paramref name="ef"/>; the worst kept becomes the pruning bound once full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Keep(BinaryHeap<Farthest> results, int ef, float d, int n, ref float worst)
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

    /// <summary>One expansion's gathering: allowed nodes to score (at most 2M), rejected ones to step through.</summary>
    private struct Walk<TFilter>(TFilter filter, SearchContext ctx, int capacity, int limit, bool twoHop)
        where TFilter : struct, ISlotFilter
    {
        public readonly VisitedList Visited = ctx.ResetVisited(capacity);
        public readonly int Capacity = capacity;
        public int[] ToScore = ctx.IntBuffer(0, limit);
        public int[] Rejected = ctx.IntBuffer(1, 64);
        public int Scored;
        public int RejectedCount;

        public readonly bool Full => Scored >= limit;

        public void Start()
        {
            Scored = 0;
            RejectedCount = 0;
        }

        /// <summary>Takes a list's unvisited nodes: allowed ones to score; rejected ones, for a two-hop walk, to step through.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Gather(Span<int> list)
        {
            if (list.IsEmpty)
            {
                return;
            }

            var count = Math.Min(Volatile.Read(ref list[0]), list.Length - 1);
            for (var i = 1; i <= count && Scored < limit; i++)
            {
                var n = list[i];
                if ((uint)n >= (uint)Capacity || Visited.IsVisited(n))
                {
                    continue;
                }

                if (filter.Allows(n))
                {
                    Visited.TryVisit(n);
                    ToScore[Scored++] = n;
                }
                else if (twoHop)
                {
                    Visited.TryVisit(n);
                    if (RejectedCount == Rejected.Length)
                    {
                        Rejected = ctx.IntBuffer(1, RejectedCount * 2);
                    }

                    Rejected[RejectedCount++] = n;
                }
            }
        }

        /// <summary>Takes a rejected neighbour's allowed, unvisited neighbours.</summary>
        public void GatherAllowed(Span<int> list)
        {
            if (list.IsEmpty)
            {
                return;
            }

            var count = Math.Min(Volatile.Read(ref list[0]), list.Length - 1);
            for (var i = 1; i <= count && Scored < limit; i++)
            {
                var n = list[i];
                if ((uint)n < (uint)Capacity && !Visited.IsVisited(n) && filter.Allows(n))
                {
                    Visited.TryVisit(n);
                    ToScore[Scored++] = n;
                }
            }
        }
    }
}
