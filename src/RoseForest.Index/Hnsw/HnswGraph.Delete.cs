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
    /// point moves to a live node; then the deleted nodes are detached and any live node the
    /// deletes cut off from the entry point is linked back in. Nodes that were unreachable over
    /// layer 0 before (the anti-hubs a hierarchy leaves behind; upper layers may still lead to
    /// them) are left as they are: chasing them made consolidation of a hyperbolic collection
    /// cost a rebuild and cost recall (evicting links other nodes needed). Runs beside searches
    /// (they may still pass through a node being detached). Returns the freed nodes.
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

        LastRelinked = 0;
        if (doomed.Count == 0)
        {
            return doomed;
        }

        // Reachability before anything moves: the doomed nodes still route, as they do for searches.
        var reachedBefore = new bool[capacity];
        FindUnreachable(reachedBefore);

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
                ResetLinks0(d);

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

        LastRelinked = EnsureReachable<TSpace>(reachedBefore);
        return doomed;
    }

    /// <summary>How many nodes the last <see cref="Consolidate"/> had to link back in.</summary>
    internal int LastRelinked { get; private set; }

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
                    var heir = inherited[j];
                    if (_levels[heir] == Absent)
                    {
                        continue;
                    }

                    if (_deleted[heir] == 0)
                    {
                        AddRepairCandidate<TSpace>(node, heir, visited, scratch);
                        continue;
                    }

                    // A chain of deleted nodes: inherit one step further.
                    var further = Links(heir, level);
                    for (var f = 1; !further.IsEmpty && f <= further[0]; f++)
                    {
                        if (_deleted[further[f]] == 0 && _levels[further[f]] != Absent)
                        {
                            AddRepairCandidate<TSpace>(node, further[f], visited, scratch);
                        }
                    }
                }
            }

            var span = CollectionsMarshal.AsSpan(scratch);
            span.Sort(static (a, b) => a.Distance.CompareTo(b.Distance));
            var max = MaxLinks(level);
            var kept = ctx.Kept;
            SelectByHeuristic<TSpace>(span, max, kept);

            // A fresh graph's lists fill up through the reverse links of later inserts; a repaired
            // list gets no such inserts, so top it up with the closest candidates the heuristic
            // passed over, or it stays sparse and recall drops.
            for (var i = 0; i < span.Length && kept.Count < max; i++)
            {
                if (!kept.Contains(span[i]))
                {
                    kept.Add(span[i]);
                }
            }

            var added = ctx.Selection;
            added.Clear();
            lock (LockOf(node))
            {
                list = Links(node, level); // a concurrent link may have grown it into a hub list
                var old = list.Slice(1, list[0]);
                foreach (var k in kept)
                {
                    if (old.IndexOf(k.Slot) < 0)
                    {
                        added.Add(k);
                    }
                }

                for (var i = 0; i < kept.Count; i++)
                {
                    list[i + 1] = kept[i].Slot;
                }

                Volatile.Write(ref list[0], kept.Count);
            }

            // Links are meant to go both ways: each new neighbour gets a link back (pruned by the
            // heuristic if its list is full), as an insert would have given it.
            foreach (var a in added)
            {
                Connect<TSpace>(a.Slot, node, a.Distance, level, ctx);
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
    /// With <paramref name="only"/>, nodes outside it (or beyond it: inserted since) are left
    /// alone. Returns how many nodes had to be relinked.
    /// </summary>
    internal int EnsureReachable<TSpace>(bool[]? only = null)
        where TSpace : struct, ISpace
    {
        var relinked = 0;
        for (var pass = 0; pass < 64; pass++)
        {
            var seen = new bool[_capacity];
            var unreachable = FindUnreachable(seen);
            if (only is not null)
            {
                unreachable.RemoveAll(n => n >= only.Length || !only[n]);
            }

            if (unreachable.Count == 0)
            {
                break;
            }

            // Each unreachable node is linked from nodes the walk did reach; once linked it is
            // reachable too, and so is everything it points to, on the next pass.
            var inDegree = InDegrees();
            foreach (var node in unreachable)
            {
                if (!seen[node])
                {
                    Relink<TSpace>(node, seen, inDegree);
                    seen[node] = true;
                    relinked++;
                }
            }
        }

        return relinked;
    }

    /// <summary>Live nodes that a walk over layer 0 from the entry point does not reach.</summary>
    internal List<int> FindUnreachable() => FindUnreachable(new bool[_capacity]);

    private List<int> FindUnreachable(bool[] seen)
    {
        var result = new List<int>();
        var entry = EntryNode;
        var capacity = Math.Min(_capacity, seen.Length);
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

    /// <summary>How many layer-0 links point at each node.</summary>
    private int[] InDegrees()
    {
        var degree = new int[_capacity];
        for (var n = 0; n < _capacity; n++)
        {
            if (_levels[n] == Absent)
            {
                continue;
            }

            var list = Links(n, 0);
            for (var i = 1; i <= list[0]; i++)
            {
                degree[list[i]]++;
            }
        }

        return degree;
    }

    private void Relink<TSpace>(int node, bool[] reachable, int[] inDegree)
        where TSpace : struct, ISpace
    {
        var entry = Volatile.Read(ref _entry);
        if (entry < 0 || (int)(entry & 0xFFFFFFFF) == node)
        {
            return;
        }

        // Search layer 0 from the entry point itself: it is reachable, and so is everything the
        // walk meets from it, whereas a greedy descent could land inside the orphan's island.
        var query = NodeQuery<TSpace>(node);
        var ep = (int)(entry & 0xFFFFFFFF);
        var epDist = query.Distance(ep, float.PositiveInfinity);
        var ctx = SearchContext.Current;
        SearchLayer(query, ep, epDist, _parameters.EfConstruction, 0, new ReachableFilter(this, node, reachable), ctx);
        var found = ctx.DrainResultsSorted();
        if (found == 0)
        {
            return;
        }

        var closest = ctx.Sorted[0];
        SelectByHeuristic<TSpace>(ctx.Sorted.AsSpan(0, found), _m, ctx.Selection);
        foreach (var neighbor in ctx.Selection)
        {
            Connect<TSpace>(neighbor.Slot, node, neighbor.Distance, 0, ctx);
        }

        // A reachable node must point at it, even where the heuristic preferred others: the
        // closest one with room in its list, or else the closest one, giving up the link whose
        // target has the most other ways in (never a target's only way in).
        for (var i = 0; i < found; i++)
        {
            if (PointsAt(ctx.Sorted[i].Slot, node))
            {
                return;
            }
        }

        for (var i = 0; i < Math.Min(found, 16); i++)
        {
            var candidate = ctx.Sorted[i].Slot;
            lock (LockOf(candidate))
            {
                var list = Links(candidate, 0);
                var count = list[0];
                if (count < list.Length - 1)
                {
                    list[count + 1] = node;
                    Volatile.Write(ref list[0], count + 1);
                    inDegree[node]++;
                    return;
                }
            }
        }

        lock (LockOf(closest.Slot))
        {
            var list = Links(closest.Slot, 0);
            var evict = 1;
            for (var i = 2; i <= list[0]; i++)
            {
                if (inDegree[list[i]] > inDegree[list[evict]])
                {
                    evict = i;
                }
            }

            if (inDegree[list[evict]] > 1)
            {
                inDegree[list[evict]]--;
                list[evict] = node;
                inDegree[node]++;
            }
        }
    }

    private bool PointsAt(int from, int to)
    {
        var list = Links(from, 0);
        for (var i = 1; i <= list[0]; i++)
        {
            if (list[i] == to)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Relinking: only nodes already reachable from the entry point may link to the orphan.</summary>
    private readonly struct ReachableFilter(HnswGraph graph, int self, bool[] reachable) : ISlotFilter
    {
        public bool Allows(int slot) => slot != self && (uint)slot < (uint)reachable.Length && reachable[slot] && graph._deleted[slot] == 0;
    }
}
