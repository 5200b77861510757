namespace RoseForest.Index.Hnsw;

/// <summary>
/// The shape of a graph at one moment (issue 19's telemetry): how many nodes, tombstones and
/// unreachable live nodes it has, how layer-0 links are spread (in- and out-degree, hub
/// concentration) and the state of the entry point. Computed by <see cref="HnswGraph.Inspect"/>.
/// </summary>
internal sealed record GraphHealth
{
    /// <summary>Nodes in the graph, tombstones included.</summary>
    public int Nodes { get; init; }

    /// <summary>Tombstones (deleted nodes still routing searches).</summary>
    public int Deleted { get; init; }

    /// <summary>Live nodes a walk over layer 0 from the entry point does not reach.</summary>
    public int Unreachable { get; init; }

    /// <summary>Up to 64 of them (for the repair and for tests).</summary>
    public IReadOnlyList<int> UnreachableSample { get; init; } = [];

    /// <summary>Mean layer-0 links per live node.</summary>
    public double OutDegreeMean { get; init; }

    /// <summary>The longest layer-0 list of a live node.</summary>
    public int OutDegreeMax { get; init; }

    /// <summary>Mean layer-0 links pointing at a live node.</summary>
    public double InDegreeMean { get; init; }

    /// <summary>The most layer-0 links pointing at one live node.</summary>
    public int InDegreeMax { get; init; }

    /// <summary>Live nodes no layer-0 link points at.</summary>
    public int InDegreeZero { get; init; }

    /// <summary>Live nodes by in-degree: [0], [1], [2,3], [4,7], [8,15], [16,31], [32,63], [64,∞).</summary>
    public IReadOnlyList<int> InDegreeHistogram { get; init; } = [];

    /// <summary>The share of layer-0 links held by the 1% of live nodes with the highest in-degree (0.01 when links are even).</summary>
    public double HubConcentration { get; init; }

    /// <summary>Layer-0 links that point at a tombstone.</summary>
    public long LinksToTombstones { get; init; }

    /// <summary>The entry node (−1 when empty) and whether it is a tombstone.</summary>
    public int EntryNode { get; init; } = -1;

    /// <summary>True when the entry node is a tombstone.</summary>
    public bool EntryDeleted { get; init; }

    /// <summary>The entry node's level.</summary>
    public int EntryLevel { get; init; } = -1;

    /// <summary>The in-degree histogram's bucket labels.</summary>
    public static readonly string[] HistogramLabels = ["0", "1", "2-3", "4-7", "8-15", "16-31", "32-63", "64+"];
}

internal sealed partial class HnswGraph
{
    /// <summary>
    /// Reads the whole graph once (O(nodes · links)): reachability from the entry point over
    /// layer 0, degrees, hub concentration. Reads lists without locks, as searches do, so it may
    /// run beside writes and see a mix of old and new lists; the answer is then approximate.
    /// </summary>
    public GraphHealth Inspect()
    {
        var capacity = Capacity;
        var seen = new bool[capacity];
        var unreachable = FindUnreachable(seen);
        var inDegree = new int[capacity];
        var levels = Volatile.Read(ref _levels);
        var deleted = Volatile.Read(ref _deleted);
        var limit = Math.Min(capacity, Math.Min(levels.Length, deleted.Length));
        long outTotal = 0, toTombstones = 0;
        int live = 0, tombstones = 0, outMax = 0;
        for (var n = 0; n < limit; n++)
        {
            if (levels[n] == Absent)
            {
                continue;
            }

            if (deleted[n] != 0)
            {
                tombstones++;
                continue;
            }

            live++;
            var list = Links(n, 0);
            var count = Math.Min(list[0], list.Length - 1);
            outTotal += count;
            outMax = Math.Max(outMax, count);
            for (var i = 1; i <= count; i++)
            {
                var m = list[i];
                if ((uint)m < (uint)limit)
                {
                    inDegree[m]++;
                    if (deleted[m] != 0)
                    {
                        toTombstones++;
                    }
                }
            }
        }

        var histogram = new int[GraphHealth.HistogramLabels.Length];
        var liveDegrees = new List<int>(live);
        int inMax = 0, zero = 0;
        long inTotal = 0;
        for (var n = 0; n < limit; n++)
        {
            if (levels[n] == Absent || deleted[n] != 0)
            {
                continue;
            }

            var d = inDegree[n];
            liveDegrees.Add(d);
            inTotal += d;
            inMax = Math.Max(inMax, d);
            zero += d == 0 ? 1 : 0;
            histogram[d == 0 ? 0 : Math.Min(histogram.Length - 1, 1 + (int)Math.Log2(d))]++;
        }

        var concentration = 0.0;
        if (inTotal > 0)
        {
            liveDegrees.Sort();
            var top = Math.Max(1, liveDegrees.Count / 100);
            long held = 0;
            for (var i = liveDegrees.Count - top; i < liveDegrees.Count; i++)
            {
                held += liveDegrees[i];
            }

            concentration = (double)held / inTotal;
        }

        var entry = EntryNode;
        return new GraphHealth
        {
            Nodes = live + tombstones,
            Deleted = tombstones,
            Unreachable = unreachable.Count,
            UnreachableSample = unreachable.Count > 64 ? unreachable.GetRange(0, 64) : unreachable,
            OutDegreeMean = live == 0 ? 0 : (double)outTotal / live,
            OutDegreeMax = outMax,
            InDegreeMean = live == 0 ? 0 : (double)inTotal / live,
            InDegreeMax = inMax,
            InDegreeZero = zero,
            InDegreeHistogram = histogram,
            HubConcentration = concentration,
            LinksToTombstones = toTombstones,
            EntryNode = entry,
            EntryDeleted = entry >= 0 && entry < deleted.Length && deleted[entry] != 0,
            EntryLevel = MaxLevel,
        };
    }
}
