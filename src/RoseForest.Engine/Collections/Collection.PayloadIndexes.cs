using RoseForest.Core.Payloads;
using RoseForest.Core.Spaces;
using RoseForest.Engine.Internal;
using RoseForest.Engine.PayloadIndexes;
using RoseForest.Engine.Spaces;
using RoseForest.Index.Common;
using RoseForest.Index.Hnsw;

namespace RoseForest.Engine;

public sealed partial class Collection
{
    /// <summary>
    /// Indexes the payload values at <paramref name="fieldName"/> (a payload path such as
    /// <c>city</c>, <c>a.b</c> or <c>a[].b</c>) as <paramref name="schema"/> says. Logged like any
    /// write; the index is built from the current points before the write is acknowledged and kept
    /// in step with every later write. The same schema again changes nothing; another schema
    /// replaces the index. Keyword and integer indexes also get per-value graph links, built by the
    /// writer once the index is visible, before the write is acknowledged (searches go on meanwhile).
    /// </summary>
    public Task<UpdateResult> CreatePayloadIndexAsync(string fieldName, PayloadIndexParams schema, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(schema);
        var key = PayloadPath.Parse(fieldName, "field_name");
        schema.Validate();
        return EnqueueAsync(new WriteRequest(RequestKind.CreateIndex) { Index = (key, schema) }, cancellationToken);
    }

    /// <summary>Drops the payload index of <paramref name="fieldName"/>; nothing happens when there is none.</summary>
    public Task<UpdateResult> DeletePayloadIndexAsync(string fieldName, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        var key = PayloadPath.Parse(fieldName, "field_name");
        return EnqueueAsync(new WriteRequest(RequestKind.DeleteIndex) { Index = (key, null) }, cancellationToken);
    }

    private static IndexOp ResolveIndex(WriteRequest request) =>
        request.Kind == RequestKind.CreateIndex
            ? new IndexOp(OpKind.CreatePayloadIndex, request.Index!.Value.Key, request.Index.Value.Schema)
            : new IndexOp(OpKind.DeletePayloadIndex, request.Index!.Value.Key);

    /// <summary>Builds a new index from the live points (on the writer, no lock: it is not visible yet).</summary>
    private void StageIndex(IndexOp op)
    {
        if (op.Kind != OpKind.CreatePayloadIndex || _table.Indexes.Find(op.Key)?.Schema == op.Schema)
        {
            return;
        }

        op.Staged = _table.BuildIndex(op.Key, op.Schema!);
    }

    /// <summary>Installs or drops an index (under the write lock). A replaced or dropped index's links go with it.</summary>
    private void ApplyIndex(IndexOp op)
    {
        var name = op.Key.Canonical;
        if (op.Kind == OpKind.CreatePayloadIndex && op.Staged is null)
        {
            return;
        }

        foreach (var space in _table.Dense)
        {
            space.ValueLinks.Remove(name);
        }

        if (op.Kind == OpKind.CreatePayloadIndex)
        {
            _table.Indexes.Install(op.Staged!);
        }
        else
        {
            _table.Indexes.Remove(name);
        }
    }

    /// <summary>
    /// Keeps each graph's per-value links in step with the keyword and integer indexes (Qdrant's
    /// payload blocks): a value held by between a quarter of full_scan_threshold's points and
    /// four times the share at which a random subset of the graph stays connected gets a block;
    /// its points are linked among themselves (in parallel), and later points with the value are
    /// linked as they come. A point whose value changes leaves the old block's links. On the
    /// writer, after the group is visible and before it is acknowledged; searches go on meanwhile.
    /// </summary>
    private void MaintainValueLinks()
    {
        foreach (var index in _table.Indexes.All)
        {
            if (!index.LinksValues || index is not IValueBlocks blocks)
            {
                continue;
            }

            var (changed, renewed) = index.TakeChanges();
            foreach (var space in _table.Dense)
            {
                if (space.Graph is not { } graph || graph.NodeCount == 0)
                {
                    continue;
                }

                if (!space.ValueLinks.TryGetValue(index.Name, out var links))
                {
                    links = new ValueLinks(new PayloadLinks(graph));
                    space.ValueLinks[index.Name] = links;
                }

                links.Links.EnsureCapacity(graph.Capacity);
                MaintainBlocks(space, graph, blocks, links, changed, renewed);
            }
        }
    }

    private void MaintainBlocks(DenseSpace space, HnswGraph graph, IValueBlocks blocks, ValueLinks links, int[] changed, int[] renewed)
    {
        var (min, max) = BlockSizes(space, graph);
        var values = new List<int>();

        // Values that reached a block's size (all of them on the first pass), and blocks whose value is gone.
        var candidates = new HashSet<int>();
        if (links.NeedsFullPass)
        {
            candidates.UnionWith(blocks.ValueIdsInUse);
            links.NeedsFullPass = false;
        }

        foreach (var slot in changed)
        {
            blocks.ValueIds(slot, values);
            candidates.UnionWith(values);
        }

        foreach (var (valueId, _) in links.Blocks.ToList())
        {
            if (blocks.CountOf(valueId) == 0)
            {
                links.RemoveValue(valueId);
            }
        }

        foreach (var valueId in candidates)
        {
            var count = blocks.CountOf(valueId);
            if (links.BlockOf(valueId) < 0 && count >= min && count <= max)
            {
                var block = links.AddBlock(valueId);
                var members = blocks.SlotsOf(valueId).Where(s => _table.IsLive(s) && space.Has(s)).ToArray();
                LinkIntoBlock(space, links, blocks, valueId, block, members);
            }
        }

        // Points whose values changed: drop the links of values they left; link them into blocks they joined.
        var fresh = renewed.ToHashSet();
        var joining = new Dictionary<int, List<int>>();
        foreach (var slot in changed)
        {
            blocks.ValueIds(slot, values);
            var held = values.ToHashSet();
            links.Links.Retain(slot, fresh.Contains(slot) ? null : b => held.Contains(links.ValueOf(b)));
            if (!_table.IsLive(slot) || !space.Has(slot))
            {
                continue;
            }

            foreach (var valueId in values)
            {
                var block = links.BlockOf(valueId);
                if (block >= 0 && !links.Links.InBlock(slot, block))
                {
                    (joining.TryGetValue(block, out var list) ? list : joining[block] = []).Add(slot);
                }
            }
        }

        foreach (var (block, slots) in joining)
        {
            LinkIntoBlock(space, links, blocks, links.ValueOf(block), block, [.. slots]);
        }
    }

    /// <summary>
    /// The sizes of value that get a block: at least a quarter of full_scan_threshold's points
    /// (smaller results are scored exactly from the index), at most 4·n/links, past which a random
    /// subset of the graph is already connected (Qdrant's percolation bound).
    /// </summary>
    private (long Min, long Max) BlockSizes(DenseSpace space, HnswGraph graph)
    {
        var thresholdPoints = space.Hnsw!.FullScanThreshold * 1024 / ((long)space.Dimension * sizeof(float));
        var live = Math.Max(1, graph.NodeCount - graph.DeletedCount);
        var step = Math.Max(1, graph.Capacity / 1024);
        long links = 0, nodes = 0;
        for (var node = 0; node < graph.Capacity; node += step)
        {
            if (graph.Contains(node) && !graph.IsDeleted(node))
            {
                links += graph.Links(node, 0)[0];
                nodes++;
            }
        }

        var average = nodes == 0 ? graph.Parameters.M0 : Math.Max(1, links / nodes);
        return (Math.Max(thresholdPoints / 4, 8), live / average * 4);
    }

    /// <summary>Links slots into a block: the first few one by one (so later ones find a linked block), the rest in parallel for big blocks.</summary>
    private void LinkIntoBlock(DenseSpace space, ValueLinks links, IValueBlocks blocks, int valueId, int block, int[] slots)
    {
        if (slots.Length == 0)
        {
            return;
        }

        var seeds = links.Links.SegmentsOf(slots[0]) is null ? slots[..Math.Min(4, slots.Length)] : [slots[0]];
        var members = new BlockMembers(_table, space, blocks, valueId, -1);
        var threads = slots.Length >= ParallelInsertThreshold ? IndexingThreads(space) : 1;
        SpaceSwitch.Run<LinkAction, int>(space.Geometry, new LinkAction(links.Links, block, members, seeds, slots, threads));
    }

    /// <summary>The live points of a space that hold a value, but the one being linked.</summary>
    private readonly record struct BlockMembers(PointTable Table, DenseSpace Space, IValueBlocks Blocks, int ValueId, int Self) : ISlotFilter
    {
        public bool Allows(int slot) => slot != Self && Table.IsLive(slot) && Space.Has(slot) && Blocks.Holds(slot, ValueId);
    }

    private readonly struct LinkAction(PayloadLinks links, int block, BlockMembers members, int[] seeds, int[] slots, int threads) : ISpaceAction<int>
    {
        public int Run<TSpace>()
            where TSpace : struct, ISpace
        {
            var l = links;
            var b = block;
            var m = members;
            var s = seeds;
            var all = slots;
            var serial = threads <= 1 ? all.Length : Math.Min(all.Length, 64);
            for (var i = 0; i < serial; i++)
            {
                l.Link<TSpace, BlockMembers>(all[i], b, m with { Self = all[i] }, s);
            }

            if (serial < all.Length)
            {
                Parallel.For(serial, all.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => l.Link<TSpace, BlockMembers>(all[i], b, m with { Self = all[i] }, s));
            }

            return all.Length;
        }
    }
}
