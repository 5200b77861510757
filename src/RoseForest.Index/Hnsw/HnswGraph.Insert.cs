using System.Runtime.InteropServices;
using RoseForest.Core.Spaces;
using RoseForest.Index.Rotation;
using RoseForest.Index.Common;

namespace RoseForest.Index.Hnsw;

internal sealed unsafe partial class HnswGraph
{
    /// <summary>
    /// Adds a node whose vector is already in the store. Safe to run on several threads at
    /// once (parallel build) and beside searches. An insert that raises the top level holds the
    /// entry gate for its whole run, as in hnswlib, so the entry point is always fully linked.
    /// </summary>
    public void Insert<TSpace>(int node)
        where TSpace : struct, ISpace
    {
        var level = DrawLevel();
        Volatile.Write(ref _upper[node], level > 0 ? new int[level * (_m + 1)] : null);
        ResetLinks0(node);

        _deleted[node] = 0;
        Volatile.Write(ref _levels[node], (byte)level);
        Interlocked.Increment(ref _nodeCount);

        var entry = Volatile.Read(ref _entry);
        if (entry < 0)
        {
            lock (_entryGate)
            {
                entry = _entry;
                if (entry < 0)
                {
                    Volatile.Write(ref _entry, PackEntry(node, level));
                    return;
                }
            }
        }

        var raises = level > (int)(entry >> 32);
        if (raises)
        {
            Monitor.Enter(_entryGate);
            entry = _entry;
            raises = level > (int)(entry >> 32);
            if (!raises)
            {
                Monitor.Exit(_entryGate);
            }
        }

        try
        {
            if (typeof(TSpace) == typeof(EuclidSpace) && Volatile.Read(ref _rotation) is not null)
            {
                Link<TSpace, RotatedQuery>(node, new RotatedQuery(_vectors.Pointer(node), _vectors), level, (int)(entry & 0xFFFFFFFF), (int)(entry >> 32));
            }
            else
            {
                Link<TSpace, FloatQuery<TSpace>>(node, NodeQuery<TSpace>(node), level, (int)(entry & 0xFFFFFFFF), (int)(entry >> 32));
            }
            if (raises)
            {
                Volatile.Write(ref _entry, PackEntry(node, level));
            }
        }
        finally
        {
            if (raises)
            {
                Monitor.Exit(_entryGate);
            }
        }
    }

    /// <summary>Finds the node's neighbours on each of its layers and links both ways.</summary>
    private void Link<TSpace, TQuery>(int node, TQuery query, int level, int ep, int top)
        where TSpace : struct, ISpace
        where TQuery : struct, IQueryDistance
    {
        var epDist = query.Distance(ep, float.PositiveInfinity);
        for (var lc = top; lc > level; lc--)
        {
            ep = Greedy(query, ep, ref epDist, lc);
        }

        var ctx = SearchContext.Current;
        Span<int> earlierLinks = stackalloc int[_hubLinks];
        for (var lc = Math.Min(level, top); lc >= 0; lc--)
        {
            SearchLayer(query, ep, epDist, _parameters.EfConstruction, lc, new BuildFilter(this, node), ctx);
            var found = ctx.DrainResultsSorted();
            if (found == 0)
            {
                continue;
            }

            var candidates = ctx.Sorted.AsSpan(0, found);
            SelectByHeuristic<TSpace>(candidates, _m, ctx.Selection);

            lock (LockOf(node))
            {
                // A concurrent insert may already have linked itself here (it found this node
                // through a layer above); keep those links after the selection, room permitting.
                var list = Links(node, lc);
                var earlier = list[0];
                var kept = earlierLinks[..earlier];
                list.Slice(1, earlier).CopyTo(kept);
                var count = 0;
                foreach (var chosen in ctx.Selection)
                {
                    list[++count] = chosen.Slot;
                }

                var max = list.Length - 1;
                foreach (var other in kept)
                {
                    if (count < max && list.Slice(1, count).IndexOf(other) < 0)
                    {
                        list[++count] = other;
                    }
                }

                Volatile.Write(ref list[0], count);
            }

            foreach (var neighbor in ctx.Selection)
            {
                Connect<TSpace>(neighbor.Slot, node, neighbor.Distance, lc, ctx);
            }

            ep = candidates[0].Slot;
            epDist = candidates[0].Distance;
        }
    }

    /// <summary>
    /// Adds <paramref name="node"/> to <paramref name="from"/>'s list on a layer; when the list is
    /// full, the heuristic chooses among the old links and the new one (a full hub list keeps its
    /// closest links instead).
    /// </summary>
    private void Connect<TSpace>(int from, int node, float distance, int level, SearchContext ctx)
        where TSpace : struct, ISpace
    {
        lock (LockOf(from))
        {
            var list = Links(from, level);
            if (list.IsEmpty)
            {
                return;
            }

            var count = list[0];
            for (var i = 1; i <= count; i++)
            {
                if (list[i] == node)
                {
                    return;
                }
            }

            if (count < list.Length - 1)
            {
                list[count + 1] = node;
                Volatile.Write(ref list[0], count + 1);
                return;
            }

            // Full: a hub may grow instead of dropping a link (HnswParameters.HubLinks).
            if (level == 0 && GrowToHub(from, list) is { IsEmpty: false } hub)
            {
                hub[count + 1] = node;
                Volatile.Write(ref hub[0], count + 1);
                return;
            }

            if (list.Length - 1 > _m0)
            {
                ReplaceInHub<TSpace>(from, list, node, distance, ctx);
                return;
            }

            Reselect<TSpace>(from, list, node, distance, ctx);
        }
    }

    /// <summary>
    /// A full list ([count, ids…]) of <paramref name="from"/> meets a new link: the old links and the
    /// new one, ranked by distance to <paramref name="from"/>, are cut to a diverse set by the
    /// heuristic. Under <paramref name="from"/>'s lock.
    /// </summary>
    internal void Reselect<TSpace>(int from, Span<int> list, int node, float distance, SearchContext ctx)
        where TSpace : struct, ISpace
    {
        var count = list[0];
        ref var origin = ref _vectors.Row(from);
        var originAux = _vectors.Aux(from);
        var dim = _vectors.Dimension;
        var scratch = ctx.Scratch;
        scratch.Clear();
        scratch.Add(new Neighbor(distance, node));
        for (var i = 1; i <= count; i++)
        {
            var other = list[i];
            scratch.Add(new Neighbor(TSpace.Proxy(ref origin, ref _vectors.Row(other), dim, originAux, _vectors.Aux(other)), other));
        }

        var span = CollectionsMarshal.AsSpan(scratch);
        span.Sort(static (a, b) => a.Distance.CompareTo(b.Distance));
        var kept = ctx.Kept;
        SelectByHeuristic<TSpace>(span, list.Length - 1, kept);
        for (var i = 0; i < kept.Count; i++)
        {
            list[i + 1] = kept[i].Slot;
        }

        Volatile.Write(ref list[0], kept.Count);
    }

    /// <summary>
    /// A full hub list takes a new link the way the heuristic with keep-pruned links would, at a
    /// cost linear in the list instead of quadratic (hubs take links on most inserts): a link is
    /// "covered" when a closer link of the hub is closer to it than the hub is (the search reaches
    /// it through that one). The farthest covered link makes room, unless the new link is covered
    /// itself and farther; when no link is covered, the farthest goes if the new one is closer.
    /// </summary>
    private void ReplaceInHub<TSpace>(int hub, Span<int> list, int node, float distance, SearchContext ctx)
        where TSpace : struct, ISpace
    {
        var count = list[0];
        var links = ctx.Scratch;
        links.Clear();
        ref var origin = ref _vectors.Row(hub);
        var originAux = _vectors.Aux(hub);
        var dim = _vectors.Dimension;
        for (var i = 1; i <= count; i++)
        {
            links.Add(new Neighbor(TSpace.Proxy(ref origin, ref _vectors.Row(list[i]), dim, originAux, _vectors.Aux(list[i])), i));
        }

        // Slot holds the position in the list; sorted closest first.
        var sorted = CollectionsMarshal.AsSpan(links);
        sorted.Sort(static (a, b) => a.Distance.CompareTo(b.Distance));
        var newCovered = Covered<TSpace>(node, distance, list, sorted, sorted.Length);
        for (var k = sorted.Length - 1; k >= 0; k--)
        {
            if (sorted[k].Distance <= distance && newCovered)
            {
                return; // the new link is covered and nothing covered is farther
            }

            if (Covered<TSpace>(list[sorted[k].Slot], sorted[k].Distance, list, sorted, k))
            {
                Volatile.Write(ref list[sorted[k].Slot], node);
                return;
            }
        }

        // Every link is uncovered: keep the closest, as the heuristic would.
        if (distance < sorted[^1].Distance)
        {
            Volatile.Write(ref list[sorted[^1].Slot], node);
        }
    }

    /// <summary>True when one of the first <paramref name="closer"/> links (by distance to the hub) is closer to <paramref name="node"/> than the hub is.</summary>
    private bool Covered<TSpace>(int node, float distanceToHub, Span<int> list, ReadOnlySpan<Neighbor> sorted, int closer)
        where TSpace : struct, ISpace
    {
        ref var v = ref _vectors.Row(node);
        var aux = _vectors.Aux(node);
        var dim = _vectors.Dimension;
        for (var j = 0; j < closer && sorted[j].Distance < distanceToHub; j++)
        {
            var other = list[sorted[j].Slot];
            if (other != node && TSpace.ProxyBounded(ref v, ref _vectors.Row(other), dim, aux, _vectors.Aux(other), distanceToHub) < distanceToHub)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The paper's neighbour heuristic (Algorithm 4): walk the candidates from closest to
    /// farthest and keep one only if it is closer to the base than to every one already kept, so
    /// links spread in different directions; with <see cref="HnswParameters.KeepPrunedLinks"/>
    /// the rest of the room goes to the closest of the others. Candidates must be sorted by
    /// distance to the base.
    /// </summary>
    internal void SelectByHeuristic<TSpace>(ReadOnlySpan<Neighbor> sorted, int max, List<Neighbor> kept)
        where TSpace : struct, ISpace
    {
        kept.Clear();
        var dim = _vectors.Dimension;
        foreach (var candidate in sorted)
        {
            if (kept.Count >= max)
            {
                break;
            }

            ref var vc = ref _vectors.Row(candidate.Slot);
            var auxC = _vectors.Aux(candidate.Slot);
            var good = true;
            foreach (var chosen in kept)
            {
                var d = TSpace.ProxyBounded(ref vc, ref _vectors.Row(chosen.Slot), dim, auxC, _vectors.Aux(chosen.Slot), candidate.Distance);
                if (d < candidate.Distance)
                {
                    good = false;
                    break;
                }
            }

            if (good)
            {
                kept.Add(candidate);
            }
        }

        if (_parameters.KeepPrunedLinks)
        {
            // Fill the rest with the closest candidates the rule passed over, in order.
            for (var i = 0; i < sorted.Length && kept.Count < max; i++)
            {
                if (!kept.Contains(sorted[i]))
                {
                    kept.Add(sorted[i]);
                }
            }
        }
    }

    /// <summary>The distance from a stored node's vector to the others (construction and repair).</summary>
    internal unsafe FloatQuery<TSpace> NodeQuery<TSpace>(int node)
        where TSpace : struct, ISpace => new(_vectors.Pointer(node), _vectors.Aux(node), _vectors);

    /// <summary>During construction: never link to yourself or to a deleted node.</summary>
    private readonly struct BuildFilter(HnswGraph graph, int self) : ISlotFilter
    {
        public bool Allows(int slot) => slot != self && graph._deleted[slot] == 0;
    }
}
