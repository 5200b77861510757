using System.Runtime.InteropServices;
using RoseForest.Core.Spaces;
using RoseForest.Index.Common;

namespace RoseForest.Index.Hnsw;

internal sealed partial class HnswGraph
{
    /// <summary>
    /// Rebuilds the layer-0 lists of <paramref name="nodes"/> (a region's partial rebuild): each
    /// live node searches the graph for itself with a beam of <paramref name="ef"/>, its list
    /// becomes the neighbour heuristic's choice among what it found and its current live links
    /// (topped up to full with the closest candidates the heuristic passed over, as consolidation
    /// does), and every new neighbour gets a link back. Upper layers are left alone. Runs beside
    /// searches (lists change under their node's lock); callers serialize it with inserts and
    /// consolidation (the engine runs it on the collection's writer). Returns how many lists changed.
    /// </summary>
    public int RefineNodes<TSpace>(IReadOnlyList<int> nodes, int ef)
        where TSpace : struct, ISpace
    {
        var changed = 0;
        ef = Math.Max(ef, _m0);
        var found = new Neighbor[ef];
        var added = new List<Neighbor>();
        foreach (var node in nodes)
        {
            if (!Contains(node) || IsDeleted(node))
            {
                continue;
            }

            var ctx = SearchContext.Current;
            var query = NodeQuery<TSpace>(node);
            var count = Search(query, ef, ef, new BuildFilter(this, node), ctx, found);

            var candidates = ctx.Scratch;
            candidates.Clear();
            var visited = ctx.ResetVisited(_capacity);
            visited.TryVisit(node);
            for (var i = 0; i < count; i++)
            {
                if (visited.TryVisit(found[i].Slot))
                {
                    candidates.Add(found[i]);
                }
            }

            var list = Links(node, 0);
            for (var i = 1; i <= list[0]; i++)
            {
                var n = list[i];
                if ((uint)n < (uint)_capacity && _deleted[n] == 0 && _levels[n] != Absent && visited.TryVisit(n))
                {
                    candidates.Add(new Neighbor(query.Distance(n, float.PositiveInfinity), n));
                }
            }

            var span = CollectionsMarshal.AsSpan(candidates);
            span.Sort(static (a, b) => a.Distance.CompareTo(b.Distance));
            var kept = ctx.Kept;
            SelectByHeuristic<TSpace>(span, _m0, kept);
            for (var i = 0; i < span.Length && kept.Count < _m0; i++)
            {
                if (!kept.Contains(span[i]))
                {
                    kept.Add(span[i]);
                }
            }

            added.Clear();
            var different = false;
            lock (LockOf(node))
            {
                list = Links(node, 0);
                var old = list.Slice(1, list[0]);
                foreach (var k in kept)
                {
                    if (old.IndexOf(k.Slot) < 0)
                    {
                        added.Add(k);
                    }
                }

                different = added.Count > 0 || kept.Count != old.Length;

                // A hub list keeps its size: only the first M0 entries are rewritten.
                var room = Math.Min(kept.Count, list.Length - 1);
                for (var i = 0; i < room; i++)
                {
                    list[i + 1] = kept[i].Slot;
                }

                Volatile.Write(ref list[0], room);
            }

            changed += different ? 1 : 0;
            foreach (var a in added)
            {
                Connect<TSpace>(a.Slot, node, a.Distance, 0, ctx);
            }
        }

        return changed;
    }

    /// <summary>
    /// Re-chooses the entry point: among the live nodes of the highest level any live node has,
    /// the one with the smallest mean distance to a stride sample of up to 256 live nodes (a
    /// medoid of the top layer, so descents start central), or the only one. A tombstoned entry is
    /// always replaced. Returns true when the entry moved.
    /// </summary>
    public bool RefreshEntry<TSpace>()
        where TSpace : struct, ISpace
    {
        lock (_entryGate)
        {
            var capacity = _capacity;
            var top = -1;
            for (var n = 0; n < capacity; n++)
            {
                if (_levels[n] != Absent && _deleted[n] == 0)
                {
                    top = Math.Max(top, _levels[n]);
                }
            }

            if (top < 0)
            {
                var wasSet = _entry >= 0;
                Volatile.Write(ref _entry, -1);
                return wasSet;
            }

            var tops = new List<int>();
            var sample = new List<int>();
            var live = NodeCount - DeletedCount;
            var stride = Math.Max(1, live / 256);
            var seen = 0;
            for (var n = 0; n < capacity; n++)
            {
                if (_levels[n] == Absent || _deleted[n] != 0)
                {
                    continue;
                }

                if (_levels[n] == top)
                {
                    tops.Add(n);
                }

                if (seen++ % stride == 0 && sample.Count < 256)
                {
                    sample.Add(n);
                }
            }

            var best = tops[0];
            if (tops.Count > 1)
            {
                var bestMean = double.PositiveInfinity;
                foreach (var candidate in tops)
                {
                    var query = NodeQuery<TSpace>(candidate);
                    double sum = 0;
                    foreach (var s in sample)
                    {
                        sum += query.Distance(s, float.PositiveInfinity);
                    }

                    if (sum < bestMean)
                    {
                        bestMean = sum;
                        best = candidate;
                    }
                }
            }

            var packed = PackEntry(best, top);
            var moved = _entry != packed;
            Volatile.Write(ref _entry, packed);
            return moved;
        }
    }

    /// <summary>
    /// Links every live node that layer 0 does not reach from the entry point back in (the
    /// repair behind consolidation, <see cref="EnsureReachable"/>, for all such nodes). Returns how many.
    /// </summary>
    public int ReconnectUnreachable<TSpace>()
        where TSpace : struct, ISpace => EnsureReachable<TSpace>();

    /// <summary>
    /// Fault injection for tests and benchmarks: removes every layer-0 and upper-layer link that
    /// points into <paramref name="island"/> from outside it, so its nodes become unreachable
    /// (the entry point must not be in it). Returns how many links were cut.
    /// </summary>
    internal int SeverForTests(IReadOnlySet<int> island)
    {
        var cut = 0;
        for (var n = 0; n < _capacity; n++)
        {
            if (_levels[n] == Absent || island.Contains(n))
            {
                continue;
            }

            for (var level = 0; level <= _levels[n]; level++)
            {
                lock (LockOf(n))
                {
                    var list = Links(n, level);
                    if (list.IsEmpty)
                    {
                        continue;
                    }

                    var kept = 0;
                    var count = list[0];
                    for (var i = 1; i <= count; i++)
                    {
                        if (island.Contains(list[i]))
                        {
                            cut++;
                        }
                        else
                        {
                            list[++kept] = list[i];
                        }
                    }

                    Volatile.Write(ref list[0], kept);
                }
            }
        }

        return cut;
    }
}
