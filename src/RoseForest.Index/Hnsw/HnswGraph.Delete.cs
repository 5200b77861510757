using System.Runtime.InteropServices;
using RoseForest.Core.Spaces;
using RoseForest.Index.Common;

namespace RoseForest.Index.Hnsw;

internal sealed partial class HnswGraph
{
    /// <summary>
    /// Marks a node deleted. It still routes searches (its links stay) but never enters the
    /// results of construction; callers filter it out of query results. <see cref="Consolidate"/>
    /// later repairs the graph around it and frees its slot.
    /// </summary>
    public void MarkDeleted(int node)
    {
        if (Contains(node) && _deleted[node] == 0)
        {
            _deleted[node] = 1;
            Interlocked.Increment(ref _deletedCount);
        }
    }

    /// <summary>
    /// Removes every deleted node from the graph. Each live node that links to one gets its list
    /// rebuilt by the neighbour heuristic from its live links plus the live links of the deleted
    /// neighbours (their neighbourhood, as in FreshDiskANN's delete consolidation); the entry
    /// point moves to a live node; then the deleted nodes are detached and any live node left
    /// unreachable from the entry point is linked back in. Runs beside searches (they may still
    /// pass through a node being detached). Returns the freed nodes.
    /// </summary>
    public List<int> Consolidate<TSpace>(int threads = 1)
        where TSpace : struct, ISpace
    {
        var doomed = new List<int>();
        var capacity = _capacity;
        for (var n = 0; n < capacity; n++)
        {
            if (_levels[n] != Absent && _deleted[n] != 0)
            {
                doomed.Add(n);
            }
        }

        if (doomed.Count == 0)
        {
            return doomed;
        }

        lock (_entryGate)
        {
            var entry = EntryNode;
            if (entry >= 0 && _deleted[entry] != 0)
            {
                ElectEntry();
            }
        }

        Parallel.For(0, capacity, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, n =>
        {
            if (_levels[n] != Absent && _deleted[n] == 0)
            {
                Repair<TSpace>(n);
            }
        });

        foreach (var d in doomed)
        {
            lock (LockOf(d))
            {
                unsafe
                {
                    *Links0(d) = 0;
                }

                Volatile.Write(ref _upper[d], null);
                Volatile.Write(ref _levels[d], Absent);
                _deleted[d] = 0;
            }

            Interlocked.Decrement(ref _nodeCount);
            Interlocked.Decrement(ref _deletedCount);
        }

        if (EntryNode >= 0 && _deleted[EntryNode] == 0 && _levels[EntryNode] == Absent)
        {
            lock (_entryGate)
            {
                ElectEntry();
            }
        }

        EnsureReachable<TSpace>();
        return doomed;
    }

    /// <summary>The live node with the highest level becomes the entry point (or none).</summary>
    private void ElectEntry()
    {
        var best = -1;
        var bestLevel = -1;
        for (var n = 0; n < _capacity; n++)
        {
            var level = _levels[n];
            if (level != Absent && _deleted[n] == 0 && level > bestLevel)
            {
                best = n;
                bestLevel = level;
            }
        }

        Volatile.Write(ref _entry, best < 0 ? -1 : PackEntry(best, bestLevel));
    }

    private void Repair<TSpace>(int node)
        where TSpace : struct, ISpace
    {
        var ctx = SearchContext.Current;
        var top = _levels[node];
        for (var level = 0; level <= top; level++)
        {
            var list = Links(node, level);
            if (list.IsEmpty)
            {
                continue;
            }

            var count = list[0];
            var touched = false;
            for (var i = 1; i <= count && !touched; i++)
            {
                touched = _deleted[list[i]] != 0;
            }

            if (!touched)
            {
                continue;
            }

            // Candidates: live links, and the live links of each deleted neighbour; no duplicates.
            var visited = ctx.Visited;
            visited.Reset(_capacity);
            visited.TryVisit(node);
            var scratch = ctx.Scratch;
            scratch.Clear();
            for (var i = 1; i <= count; i++)
            {
                var neighbor = list[i];
                if (_deleted[neighbor] == 0)
                {
                    AddRepairCandidate<TSpace>(node, neighbor, visited, scratch);
                    continue;
                }

                var inherited = Links(neighbor, level);
                if (inherited.IsEmpty)
                {
                    continue;
                }

                for (var j = 1; j <= inherited[0]; j++)
                {
                    if (_deleted[inherited[j]] == 0 && _levels[inherited[j]] != Absent)
                    {
                        AddRepairCandidate<TSpace>(node, inherited[j], visited, scratch);
                    }
                }
            }

            var span = CollectionsMarshal.AsSpan(scratch);
            span.Sort(static (a, b) => a.Distance.CompareTo(b.Distance));
            SelectByHeuristic<TSpace>(span, MaxLinks(level), ctx.Kept);
            lock (LockOf(node))
            {
                for (var i = 0; i < ctx.Kept.Count; i++)
                {
                    list[i + 1] = ctx.Kept[i].Slot;
                }

                Volatile.Write(ref list[0], ctx.Kept.Count);
            }
        }
    }

    private void AddRepairCandidate<TSpace>(int node, int candidate, VisitedList visited, List<Neighbor> scratch)
        where TSpace : struct, ISpace
    {
        if (visited.TryVisit(candidate))
        {
            var d = TSpace.Proxy(ref _vectors.Row(node), ref _vectors.Row(candidate), _vectors.Dimension, _vectors.Aux(node), _vectors.Aux(candidate));
            scratch.Add(new Neighbor(d, candidate));
        }
    }

    /// <summary>
    /// Walks layer 0 from the entry point; every live node not reached is searched for and
    /// linked in again, its closest neighbour forced to point back at it, until all are reached.
    /// Returns how many nodes had to be relinked.
    /// </summary>
    internal int EnsureReachable<TSpace>()
        where TSpace : struct, ISpace
    {
        var relinked = 0;
        for (var pass = 0; pass < 4; pass++)
        {
            var unreachable = FindUnreachable();
            if (unreachable.Count == 0)
            {
                break;
            }

            foreach (var node in unreachable)
            {
                Relink<TSpace>(node);
                relinked++;
            }
        }

        return relinked;
    }

    /// <summary>Live nodes that a walk over layer 0 from the entry point does not reach.</summary>
    internal List<int> FindUnreachable()
    {
        var result = new List<int>();
        var entry = EntryNode;
        var capacity = _capacity;
        var seen = new bool[capacity];
        if (entry >= 0)
        {
            var queue = new Queue<int>();
            queue.Enqueue(entry);
            seen[entry] = true;
            while (queue.Count > 0)
            {
                var n = queue.Dequeue();
                var list = Links(n, 0);
                for (var i = 1; i <= list[0]; i++)
                {
                    var m = list[i];
                    if ((uint)m < (uint)capacity && !seen[m] && _levels[m] != Absent)
                    {
                        seen[m] = true;
                        queue.Enqueue(m);
                    }
                }
            }
        }

        for (var n = 0; n < capacity; n++)
        {
            if (_levels[n] != Absent && _deleted[n] == 0 && !seen[n])
            {
                result.Add(n);
            }
        }

        return result;
    }

    private void Relink<TSpace>(int node)
        where TSpace : struct, ISpace
    {
        var entry = Volatile.Read(ref _entry);
        if (entry < 0 || (int)(entry & 0xFFFFFFFF) == node)
        {
            return;
        }

        ref var q = ref _vectors.Row(node);
        var qAux = _vectors.Aux(node);
        var ep = (int)(entry & 0xFFFFFFFF);
        var epDist = TSpace.Proxy(ref q, ref _vectors.Row(ep), _vectors.Dimension, qAux, _vectors.Aux(ep));
        for (var lc = (int)(entry >> 32); lc > 0; lc--)
        {
            ep = Greedy<TSpace>(ref q, qAux, ep, ref epDist, lc);
        }

        var ctx = SearchContext.Current;
        SearchLayer<TSpace, BuildFilter>(ref q, qAux, ep, epDist, _parameters.EfConstruction, 0, new BuildFilter(this, node), ctx);
        var found = ctx.Results.Count;
        if (found == 0)
        {
            return;
        }

        if (ctx.Sorted.Length < found)
        {
            ctx.Sorted = new Neighbor[Math.Max(found, ctx.Sorted.Length * 2)];
        }

        ctx.Results.DrainSorted(ctx.Sorted);
        var closest = ctx.Sorted[0];
        SelectByHeuristic<TSpace>(ctx.Sorted.AsSpan(0, found), _m, ctx.Selection);
        foreach (var neighbor in ctx.Selection)
        {
            Connect<TSpace>(neighbor.Slot, node, neighbor.Distance, 0, ctx);
        }

        // The closest reachable node must point at it, even if the heuristic preferred others.
        lock (LockOf(closest.Slot))
        {
            var list = Links(closest.Slot, 0);
            var count = list[0];
            var present = false;
            for (var i = 1; i <= count; i++)
            {
                present |= list[i] == node;
            }

            if (!present)
            {
                if (count < _m0)
                {
                    list[count + 1] = node;
                    Volatile.Write(ref list[0], count + 1);
                }
                else
                {
                    list[count] = node;
                }
            }
        }
    }
}
