using System.Buffers.Binary;
using RoseForest.Core.Spaces;
using RoseForest.Index.Common;

namespace RoseForest.Index.Hnsw;

/// <summary>
/// Extra layer-0 links among the points that share a payload value (a "block"), beside a
/// graph's own links: Qdrant's payload-aware HNSW. A walk restricted to one value follows them,
/// so it stays connected where the value's points are few or scattered over the graph. The
/// graph's own lists are untouched, so unfiltered searches never read these.
/// <para>
/// Per node, a managed array of segments, one per block the node is linked into:
/// <c>[block, count, 2M ids]</c>. A segment's ids change only under the node's (striped) graph
/// lock; a node gains or loses a segment by replacing its array. Readers take no lock: they see an
/// old or a new array, and every id in it is a node of the graph.
/// </para>
/// </summary>
internal sealed class PayloadLinks
{
    private const uint ImageMagic = 0x4B4E4C50; // "PLNK"
    private const int ImageVersion = 1;

    private readonly HnswGraph _graph;
    private readonly int _max;
    private int[]?[] _nodes = [];

    public PayloadLinks(HnswGraph graph)
    {
        _graph = graph;
        _max = graph.Parameters.M0;
        SegmentLength = _max + 2;
    }

    /// <summary>Ints per segment: the block id, then the count and the ids ([count, ids…] as a graph list).</summary>
    public int SegmentLength { get; }

    /// <summary>The node's segments, or null.</summary>
    public int[]? SegmentsOf(int node)
    {
        var nodes = Volatile.Read(ref _nodes);
        return (uint)node < (uint)nodes.Length ? Volatile.Read(ref nodes[node]) : null;
    }

    /// <summary>Links of all segments, for tests and statistics.</summary>
    public long LinkCount
    {
        get
        {
            long total = 0;
            foreach (var segments in _nodes)
            {
                for (var s = 0; segments is not null && s < segments.Length; s += SegmentLength)
                {
                    total += segments[s + 1];
                }
            }

            return total;
        }
    }

    /// <summary>Makes room for nodes below <paramref name="nodes"/>. Writer only.</summary>
    public void EnsureCapacity(int nodes)
    {
        if (nodes <= _nodes.Length)
        {
            return;
        }

        var grown = new int[]?[Math.Max(nodes, _nodes.Length * 2)];
        Array.Copy(_nodes, grown, _nodes.Length);
        Volatile.Write(ref _nodes, grown);
    }

    /// <summary>True when the node has a segment for the block.</summary>
    public bool InBlock(int node, int block) => Find(SegmentsOf(node), block) >= 0;

    /// <summary>Drops the node's segments of blocks <paramref name="keep"/> rejects (all, with null).</summary>
    public void Retain(int node, Func<int, bool>? keep)
    {
        lock (_graph.LockOf(node))
        {
            if (SegmentsOf(node) is not { } segments)
            {
                return;
            }

            var kept = new List<int>();
            for (var s = 0; s < segments.Length; s += SegmentLength)
            {
                if (keep is not null && keep(segments[s]))
                {
                    kept.AddRange(segments.AsSpan(s, SegmentLength));
                }
            }

            Volatile.Write(ref _nodes[node], kept.Count == 0 ? null : [.. kept]);
        }
    }

    /// <summary>Drops every segment of a block (the value's index or its links went away).</summary>
    public void DropBlock(int block)
    {
        for (var node = 0; node < _nodes.Length; node++)
        {
            if (InBlock(node, block))
            {
                Retain(node, b => b != block);
            }
        }
    }

    /// <summary>
    /// Links <paramref name="node"/> into <paramref name="block"/>: a walk restricted to
    /// <paramref name="members"/> (the block's other live points) from the descent's entry and
    /// <paramref name="seeds"/> finds its ef_construction nearest members, the neighbour heuristic
    /// picks 2M of them, and they are linked both ways (a full segment is pruned by the heuristic).
    /// Safe to run on several nodes at once, beside searches.
    /// </summary>
    public void Link<TSpace, TFilter>(int node, int block, TFilter members, ReadOnlySpan<int> seeds)
        where TSpace : struct, ISpace
        where TFilter : struct, ISlotFilter
    {
        var entry = _graph.PackedEntry;
        if (entry < 0)
        {
            return;
        }

        var ctx = SearchContext.Current;
        var query = _graph.NodeQuery<TSpace>(node);
        var (ep, epDist) = _graph.Descend(query, entry);
        _graph.WalkRestricted(query, ep, epDist, _graph.Parameters.EfConstruction, members, ctx, [this], seeds, twoHop: true);
        var found = ctx.DrainResultsSorted();
        var selection = ctx.Selection;
        _graph.SelectByHeuristic<TSpace>(ctx.Sorted.AsSpan(0, found), _max, selection);
        lock (_graph.LockOf(node))
        {
            var segment = SegmentFor(node, block);
            var count = 0;
            foreach (var chosen in selection)
            {
                segment[++count] = chosen.Slot;
            }

            Volatile.Write(ref segment[0], count);
        }

        foreach (var chosen in selection)
        {
            Connect<TSpace>(chosen.Slot, node, chosen.Distance, block, ctx);
        }
    }

    /// <summary>Removes links to nodes the graph freed (their slots may be reused by other points). Writer only, between writes.</summary>
    public void Forget(IReadOnlyCollection<int> freed)
    {
        if (freed.Count == 0)
        {
            return;
        }

        var gone = freed as IReadOnlySet<int> ?? freed.ToHashSet();
        foreach (var slot in gone)
        {
            if ((uint)slot < (uint)_nodes.Length)
            {
                Retain(slot, null);
            }
        }

        for (var node = 0; node < _nodes.Length; node++)
        {
            if (SegmentsOf(node) is not { } segments)
            {
                continue;
            }

            lock (_graph.LockOf(node))
            {
                for (var s = 0; s < segments.Length; s += SegmentLength)
                {
                    var list = segments.AsSpan(s + 1, SegmentLength - 1);
                    var count = list[0];
                    var kept = 0;
                    for (var i = 1; i <= count; i++)
                    {
                        if (!gone.Contains(list[i]))
                        {
                            list[++kept] = list[i];
                        }
                    }

                    Volatile.Write(ref list[0], kept);
                }
            }
        }
    }

    /// <summary>Adds <paramref name="node"/> to <paramref name="from"/>'s segment of the block; a full one keeps the heuristic's choice.</summary>
    private void Connect<TSpace>(int from, int node, float distance, int block, SearchContext ctx)
        where TSpace : struct, ISpace
    {
        lock (_graph.LockOf(from))
        {
            var list = SegmentFor(from, block);
            var count = list[0];
            if (list.Slice(1, count).IndexOf(node) >= 0)
            {
                return;
            }

            if (count < _max)
            {
                list[count + 1] = node;
                Volatile.Write(ref list[0], count + 1);
                return;
            }

            _graph.Reselect<TSpace>(from, list, node, distance, ctx);
        }
    }

    /// <summary>The node's list for the block ([count, ids…]), adding an empty segment when it has none. Under the node's lock.</summary>
    private Span<int> SegmentFor(int node, int block)
    {
        var segments = SegmentsOf(node);
        var at = Find(segments, block);
        if (at < 0)
        {
            var grown = new int[(segments?.Length ?? 0) + SegmentLength];
            segments?.CopyTo(grown, 0);
            at = grown.Length - SegmentLength;
            grown[at] = block;
            Volatile.Write(ref _nodes[node], grown);
            segments = grown;
        }

        return segments.AsSpan(at + 1, SegmentLength - 1);
    }

    private int Find(int[]? segments, int block)
    {
        for (var s = 0; segments is not null && s < segments.Length; s += SegmentLength)
        {
            if (segments[s] == block)
            {
                return s;
            }
        }

        return -1;
    }

    /// <summary>
    /// The links as bytes (docs/file-formats.md, "PLNK"): magic, version, 2M, the node count S,
    /// then per node below S: i32 segment count, and per segment i32 block, i32 count, count × i32 ids.
    /// Taken on the writer, between writes.
    /// </summary>
    public byte[] Serialize(int slotCount)
    {
        slotCount = Math.Min(slotCount, _nodes.Length);
        var ints = new List<int> { (int)ImageMagic, ImageVersion, _max, slotCount };
        for (var node = 0; node < slotCount; node++)
        {
            var segments = SegmentsOf(node);
            var n = segments is null ? 0 : segments.Length / SegmentLength;
            ints.Add(n);
            for (var s = 0; s < n; s++)
            {
                var at = s * SegmentLength;
                var count = segments![at + 1];
                ints.Add(segments[at]);
                ints.Add(count);
                ints.AddRange(segments.AsSpan(at + 2, count));
            }
        }

        var bytes = new byte[ints.Count * sizeof(int)];
        for (var i = 0; i < ints.Count; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * sizeof(int)), ints[i]);
        }

        return bytes;
    }

    /// <summary>Reads <see cref="Serialize"/>'s bytes for <paramref name="graph"/>; throws <see cref="InvalidDataException"/> on a bad image.</summary>
    public static PayloadLinks Deserialize(HnswGraph graph, ReadOnlySpan<byte> image)
    {
        var pos = 0;
        if (Read(image, ref pos) != (int)ImageMagic || Read(image, ref pos) != ImageVersion)
        {
            throw new InvalidDataException("not a payload links image");
        }

        var links = new PayloadLinks(graph);
        if (Read(image, ref pos) != links._max)
        {
            throw new InvalidDataException("payload links image of another M");
        }

        var slotCount = Read(image, ref pos);
        if (slotCount < 0 || slotCount > graph.Capacity)
        {
            throw new InvalidDataException("payload links image does not fit its graph");
        }

        links.EnsureCapacity(slotCount);
        for (var node = 0; node < slotCount; node++)
        {
            var n = Read(image, ref pos);
            if (n < 0 || n > 1 << 16)
            {
                throw new InvalidDataException($"payload links: node {node} has {n} blocks");
            }

            if (n == 0)
            {
                continue;
            }

            var segments = new int[n * links.SegmentLength];
            for (var s = 0; s < n; s++)
            {
                var at = s * links.SegmentLength;
                segments[at] = Read(image, ref pos);
                var count = Read(image, ref pos);
                if (count < 0 || count > links._max)
                {
                    throw new InvalidDataException($"payload links: node {node} has {count} links in a block");
                }

                segments[at + 1] = count;
                for (var i = 0; i < count; i++)
                {
                    var id = Read(image, ref pos);
                    if ((uint)id >= (uint)slotCount)
                    {
                        throw new InvalidDataException($"payload links: node {node} links to {id}, past the {slotCount} slots");
                    }

                    segments[at + 2 + i] = id;
                }
            }

            links._nodes[node] = segments;
        }

        if (pos != image.Length)
        {
            throw new InvalidDataException("trailing bytes after the payload links image");
        }

        return links;
    }

    private static int Read(ReadOnlySpan<byte> image, ref int pos)
    {
        if (pos + 4 > image.Length)
        {
            throw new InvalidDataException("payload links image is truncated");
        }

        var value = BinaryPrimitives.ReadInt32LittleEndian(image[pos..]);
        pos += 4;
        return value;
    }
}
