using RoseForest.Core.Filters;
using RoseForest.Core.Payloads;
using RoseForest.Core.Spaces;
using RoseForest.Engine.Internal;
using RoseForest.Engine.Spaces;
using RoseForest.Index.Common;
using RoseForest.Index.Hnsw;
using RoseForest.Index.Flat;
using RoseForest.Index.Quantization;
using RoseForest.Engine.PayloadIndexes;

namespace RoseForest.Engine;

public sealed partial class Collection
{
    /// <summary>Batches at least this large are inserted into the graph by several threads.</summary>
    private const int ParallelInsertThreshold = 256;

    /// <summary>At most this many points are sampled to decide whether a filter matches more than full_scan_threshold's worth.</summary>
    private const int CardinalitySample = 1000;

    /// <summary>The first dense vector's graph, for tests that check its structure.</summary>
    internal HnswGraph? GraphForTests => _table.Dense.Length > 0 ? _table.Dense[0].Graph : null;

    private static int IndexingThreads(DenseSpace space) => space.Hnsw is { MaxIndexingThreads: > 0 } h ? h.MaxIndexingThreads : Environment.ProcessorCount;

    /// <summary>
    /// The graph's shape. The hyperbolic geometries get hub lists (layer 0 may grow to 16M links)
    /// and keep-pruned links: hierarchy embeddings are nearly a tree metric, where the diversity
    /// heuristic leaves about one link per node and the few nodes near the root must lead into
    /// thousands of leaf clusters. On WordNet nouns (Lorentz, dim 10) that lifts recall@10 from a
    /// plateau of 0.92 at any ef to 0.997 (docs/benchmarks.md, issue 5). The flat geometries keep
    /// hnswlib's shape.
    /// </summary>
    private static HnswParameters GraphParameters(DenseSpace space) => GraphParameters(space.Hnsw!, space.Geometry);

    private static HnswParameters GraphParameters(HnswOptions h, Geometry geometry)
    {
        var hyperbolic = geometry is Geometry.Poincare or Geometry.Lorentz;
        return new()
        {
            M = h.M,
            EfConstruction = h.EfConstruct,
            HubLinks = hyperbolic ? Math.Max(2 * h.M, Math.Min(16 * h.M, 1024)) : 0,
            KeepPrunedLinks = hyperbolic,
        };
    }

    /// <summary>Gives each indexed dense vector without a graph an empty one.</summary>
    private void EnsureGraph()
    {
        foreach (var space in _table.Dense)
        {
            if (space.Hnsw is not null && space.Graph is null)
            {
                space.Graph = new HnswGraph(space.Vectors, GraphParameters(space));
            }
        }
    }

    /// <summary>
    /// Links freshly written slots into the graph (in parallel for big batches). Runs in the
    /// writer's prepare phase: the slots are not live yet, so searches may pass through them but
    /// never return them.
    /// </summary>
    private void IndexSlots(List<int> slots)
    {
        foreach (var space in _table.Dense)
        {
            if (space.Graph is not { } graph || slots.Count == 0)
            {
                continue;
            }

            var mine = slots.FindAll(space.Has);
            graph.EnsureCapacity(space.Vectors.Capacity);
            var threads = mine.Count >= ParallelInsertThreshold ? IndexingThreads(space) : 1;
            SpaceSwitch.Run<InsertAction, int>(space.Geometry, new InsertAction(graph, mine, threads));
        }
    }

    /// <summary>
    /// Keeps the int8 codes in step with the vectors (when the collection is quantized): encodes
    /// the fresh slots, or, once the collection first reaches the calibration size, chooses the
    /// range from the data and encodes everything. Runs in the writer's prepare phase, before
    /// the slots become visible.
    /// </summary>
    private void EncodeSlots(List<int> fresh)
    {
        foreach (var space in _table.Dense)
        {
            EncodeSlots(space, fresh.FindAll(space.Has));
        }
    }

    private void EncodeSlots(DenseSpace space, List<int> fresh)
    {
        if (space.Params.Quantization is not { } quantization)
        {
            return;
        }

        if (space.Codes is { } codes)
        {
            codes.EnsureCapacity(space.Vectors.Capacity);
            foreach (var slot in fresh)
            {
                codes.Set(slot, space.Vectors.Get(slot));
            }

            return;
        }

        if (_table.Count + fresh.Count < QuantizationOptions.CalibrationPoints)
        {
            return;
        }

        var freshSet = fresh.ToHashSet();
        bool HasVector(int slot) => space.Has(slot) && (_table.IsLive(slot) || freshSet.Contains(slot) || space.Graph?.Contains(slot) == true);
        // With a projection rank, the principal directions are fitted once here (when the codes
        // are built: at calibration, after a settings change, on reopening), not refitted as data arrives.
        space.Codes = QuantizedSearch.BuildCodes(space.Vectors, _table.SlotCount, HasVector, quantization.Quantile, quantization.ProjectionRank);
    }

    /// <summary>
    /// After recovery: the graph (from the snapshot, or empty) is brought in line with the
    /// table the log replay produced: nodes whose point is gone become tombstones, live points
    /// not in the graph are inserted. Only the log's tail is indexed again, not everything.
    /// </summary>
    private int ReconcileGraph()
    {
        EnsureGraph();
        var indexed = 0;
        foreach (var space in _table.Dense)
        {
            if (space.Graph is not { } graph)
            {
                continue;
            }

            graph.EnsureCapacity(space.Vectors.Capacity);
            var missing = new List<int>();
            for (var slot = 0; slot < _table.SlotCount; slot++)
            {
                var inGraph = graph.Contains(slot);
                if (_table.IsLive(slot) && space.Has(slot) && !inGraph)
                {
                    missing.Add(slot);
                }
                else if ((!_table.IsLive(slot) || !space.Has(slot)) && inGraph && !graph.IsDeleted(slot))
                {
                    graph.MarkDeleted(slot);
                }
            }

            graph.EnsureCapacity(space.Vectors.Capacity);
            var threads = missing.Count >= ParallelInsertThreshold ? IndexingThreads(space) : 1;
            SpaceSwitch.Run<InsertAction, int>(space.Geometry, new InsertAction(graph, missing, threads));
            indexed = Math.Max(indexed, missing.Count);
        }

        EncodeSlots([]);
        return indexed;
    }

    /// <summary>
    /// When tombstones pass a tenth of the graph, repair the graph around them and free their
    /// slots. On the writer, between groups; searches go on meanwhile.
    /// </summary>
    private void MaybeConsolidate()
    {
        foreach (var space in _table.Dense)
        {
            if (space.Graph is not { } graph || graph.DeletedCount < Math.Max(64, graph.NodeCount / 10))
            {
                continue;
            }

            var freed = SpaceSwitch.Run<ConsolidateAction, List<int>>(space.Geometry, new ConsolidateAction(graph, IndexingThreads(space)));
            foreach (var links in space.ValueLinks.Values)
            {
                links.Links.Forget(freed);
            }

            _optimizer?.ForgetSlots(freed);
            _table.AddDetached(freed);
            _table.RecycleFreed();
        }
    }

    /// <summary>
    /// Chooses how to answer a search, as Qdrant's planner does: an exact scan when asked, when
    /// there is no graph, or when the points are fewer than full_scan_threshold's worth; with a
    /// filter, from its estimate (<see cref="FilterPlan"/>; for a filter with an indexed part the
    /// threshold is at most 2·ef·2M points, what a restricted walk costs): at most the threshold → exact, over
    /// the index postings that hold every match when there are some (no full scan); at least the
    /// threshold → the graph; in between, a sample of slots decides. The graph walk applies the
    /// filter during traversal; a filter the indexes answer walks only allowed points (with the
    /// per-value links of the fields it names), any other steers through every point. If the walk
    /// finds fewer than k matches, the exact path runs. Returns slots, best first.
    /// </summary>
    private Neighbor[] FindNeighbors(DenseSpace space, float[] query, float queryAux, int k, bool exact, int? hnswEf, QuantizationSearchParams? quantization, Filter? filter)
    {
        var graph = space.Graph;
        var plan = filter is null ? null : _table.Plan(filter);
        var useGraph = graph is not null && !exact && graph.NodeCount > 0;
        var selectivity = 1.0;
        if (useGraph)
        {
            var thresholdPoints = space.Hnsw!.FullScanThreshold * 1024 / ((long)space.Dimension * sizeof(float));
            if (plan is null)
            {
                useGraph = _table.Count >= thresholdPoints && _table.Count > k;
            }
            else
            {
                // A walk restricted to an indexed filter's points costs about what an unfiltered
                // walk does, some ef·2M distances whatever the selectivity, while scoring the
                // matches costs one distance each: past 2·ef·2M matches the walk is cheaper even
                // below full_scan_threshold (Qdrant's threshold alone sent 3,000 of 60,000
                // Fashion-MNIST points, 9 MB, to a scan at a fifth of the walk's speed).
                if (plan.Restriction is not null)
                {
                    var ef = Math.Max(hnswEf ?? TunedEf(space) ?? space.Hnsw!.Ef ?? space.Hnsw!.EfConstruct, k);
                    thresholdPoints = Math.Min(thresholdPoints, 2L * ef * 2 * space.Hnsw!.M);
                }

                var card = plan.Cardinality;
                useGraph = card.Max > k && card.Max >= thresholdPoints &&
                    (card.Min > thresholdPoints || SampleExceeds(plan.Predicate, thresholdPoints));
                selectivity = _table.Count == 0 ? 1 : Math.Clamp((double)card.Exp / _table.Count, 1e-3, 1);
            }
        }

        if (useGraph)
        {
            var ef = Math.Max(hnswEf ?? TunedEf(space) ?? space.Hnsw!.Ef ?? space.Hnsw!.EfConstruct, k);
            var codes = quantization is { Ignore: true } ? null : space.Codes;
            // A filter with an indexed part walks only the points that part allows; the rest of
            // the filter (payload conditions) is tested on the nodes about to become results.
            var walk = plan?.Restriction is not null ? WalkFor(space, plan, selectivity) : null;
            var walkFilter = walk is null ? plan?.Predicate : plan!.Restriction;
            var hits = SpaceSwitch.Run<GraphSearch, Neighbor[]>(space.Geometry, new GraphSearch(graph!, _table, space, codes, quantization ?? DefaultQuantizationParams, query, queryAux, k, ef, walkFilter, selectivity, walk));
            if (walk is null)
            {
                RecordWalk(space, query, queryAux, sampleable: plan is null);
            }

            if (hits.Length >= k || hits.Length >= _table.Count)
            {
                t_lastSearchPath = walk is null ? SearchPath.Graph : SearchPath.RestrictedGraph;
                return hits;
            }
        }

        if (plan?.Cardinality.Primary is { } primary)
        {
            t_lastSearchPath = SearchPath.ExactOverIndex;
            return SpaceSwitch.Run<ExactOverSlots, Neighbor[]>(space.Geometry, new ExactOverSlots(_table, space, query, queryAux, k, plan.Predicate, CandidateSlots(primary)));
        }

        t_lastSearchPath = SearchPath.Exact;
        return SpaceSwitch.Run<ExactScan, Neighbor[]>(space.Geometry, new ExactScan(_table, space, query, queryAux, k, plan?.Predicate));
    }

    /// <summary>How a dense search was answered (for tests: which path the planner took).</summary>
    internal enum SearchPath
    {
        /// <summary>Every slot scored.</summary>
        Exact,

        /// <summary>The slots of the filter's index postings scored.</summary>
        ExactOverIndex,

        /// <summary>The graph walk, every node steering.</summary>
        Graph,

        /// <summary>The graph walk restricted to allowed nodes.</summary>
        RestrictedGraph,
    }

    [ThreadStatic]
    private static SearchPath t_lastSearchPath;

    /// <summary>The path of this thread's last dense search.</summary>
    internal static SearchPath LastSearchPathForTests => t_lastSearchPath;

    /// <summary>A filter's plan as a search would make it.</summary>
    internal FilterPlan PlanForTests(Filter filter)
    {
        using var read = ReadScope();
        return _table.Plan(filter);
    }

    /// <summary>The first dense vector's per-value links of a field, or null.</summary>
    internal ValueLinks? ValueLinksForTests(string field) =>
        _table.Dense.Length > 0 && _table.Dense[0].ValueLinks.TryGetValue(PayloadPath.Parse(field).Canonical, out var links) ? links : null;

    /// <summary>
    /// The restricted walk for a filter with an indexed part: the per-value links of the fields the
    /// filter names, seeds from the postings that hold its matches (a few allowed slots of each),
    /// ACORN's two-hop step for filters that keep less than half of the points, and, when part of
    /// the filter is evaluated on payloads, that full test for the results.
    /// </summary>
    private RestrictedWalk WalkFor(DenseSpace space, FilterPlan plan, double selectivity)
    {
        var links = new List<PayloadLinks>();
        foreach (var key in plan.Keys)
        {
            if (space.ValueLinks.TryGetValue(key, out var l) && l.BlockCount > 0)
            {
                links.Add(l.Links);
            }
        }

        var seeds = new List<int>();
        if (plan.Cardinality.Primary is { } primary)
        {
            var candidates = new List<int>();
            foreach (var source in primary.Take(16))
            {
                candidates.Clear();
                source.AddFirst(candidates, 8);
                seeds.AddRange(candidates.Where(s => _table.IsLive(s) && space.Has(s) && plan.Predicate.Test(s)).Take(2));
            }
        }

        var accept = plan.IsIndexed ? null : (ISlotFilter)new PlannedSlots(_table, space, plan.Predicate);
        return new RestrictedWalk([.. links], [.. seeds], TwoHop: selectivity < 0.5, accept);
    }

    /// <summary>
    /// Calls <paramref name="action"/> with each live slot passing the filter, in slot order: over
    /// the postings that hold every match when the indexes know them, else over every slot.
    /// Under the read lock (or on the writer).
    /// </summary>
    private void ForEachMatch(Filter filter, Action<int> action)
    {
        var plan = _table.Plan(filter);
        if (plan.Cardinality.Primary is { } primary)
        {
            var slots = CandidateSlots(primary);
            Array.Sort(slots);
            foreach (var slot in slots)
            {
                if (_table.IsLive(slot) && plan.Predicate.Test(slot))
                {
                    action(slot);
                }
            }

            return;
        }

        for (var slot = 0; slot < _table.SlotCount; slot++)
        {
            if (_table.IsLive(slot) && plan.Predicate.Test(slot))
            {
                action(slot);
            }
        }
    }

    /// <summary>The distinct slots of the postings that hold a filter's matches.</summary>
    private int[] CandidateSlots(SlotSource[] primary)
    {
        var slots = new List<int>((int)Math.Min(primary.Sum(p => p.Count), int.MaxValue / 2));
        foreach (var source in primary)
        {
            source.AddTo(slots);
        }

        if (primary.Length > 1)
        {
            slots.Sort();
            var distinct = 0;
            for (var i = 0; i < slots.Count; i++)
            {
                if (i == 0 || slots[i] != slots[i - 1])
                {
                    slots[distinct++] = slots[i];
                }
            }

            slots.RemoveRange(distinct, slots.Count - distinct);
        }

        return [.. slots];
    }

    /// <summary>
    /// Whether more than <paramref name="threshold"/> live points pass, decided from a stride
    /// sample of slots with a 2-sigma Agresti–Coull interval (Qdrant's sample_check_cardinality):
    /// it stops as soon as the interval lies on one side, after at most <see cref="CardinalitySample"/> points.
    /// </summary>
    private bool SampleExceeds(SlotPredicate predicate, long threshold)
    {
        var slots = _table.SlotCount;
        var total = _table.Count;
        if (total <= threshold)
        {
            return false;
        }

        const double z = 2;
        var stride = Math.Max(1, slots / CardinalitySample);
        long seen = 0, matched = 0;
        double expected = 0;
        for (var slot = stride / 2; slot < slots && seen < CardinalitySample; slot += stride)
        {
            if (!_table.IsLive(slot))
            {
                continue;
            }

            seen++;
            matched += predicate.Test(slot) ? 1 : 0;
            var n = seen + (z * z);
            var p = (matched + (z * z / 2)) / n;
            var delta = z * Math.Sqrt(p / n * (1 - p)) * total;
            expected = p * total;
            if (expected - delta > threshold)
            {
                return true;
            }

            if (expected + delta < threshold)
            {
                return false;
            }
        }

        return expected > threshold;
    }

    private readonly struct InsertAction(HnswGraph graph, List<int> slots, int threads) : ISpaceAction<int>
    {
        public int Run<TSpace>()
            where TSpace : struct, ISpace
        {
            if (threads <= 1)
            {
                foreach (var slot in slots)
                {
                    graph.Insert<TSpace>(slot);
                }
            }
            else
            {
                var g = graph;
                var s = slots;
                Parallel.For(0, s.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => g.Insert<TSpace>(s[i]));
            }

            return slots.Count;
        }
    }

    private readonly struct ConsolidateAction(HnswGraph graph, int threads) : ISpaceAction<List<int>>
    {
        public List<int> Run<TSpace>()
            where TSpace : struct, ISpace => graph.Consolidate<TSpace>(threads);
    }

    private static readonly QuantizationSearchParams DefaultQuantizationParams = new();

    /// <summary>The graph search (on floats or on int8 codes), specialised per geometry kernel and per filter kind.</summary>
    private readonly struct GraphSearch(HnswGraph graph, PointTable table, DenseSpace space, CodeStore? codes, QuantizationSearchParams quantization, float[] query, float queryAux, int k, int ef, SlotPredicate? filter, double selectivity, RestrictedWalk? walk) : ISpaceAction<Neighbor[]>
    {
        public Neighbor[] Run<TSpace>()
            where TSpace : struct, ISpace
        {
            var buffer = new Neighbor[k];
            var found = (codes, filter, walk) switch
            {
                (null, null, _) => graph.Search<TSpace, LiveSlots>(query, queryAux, k, ef, new LiveSlots(table, space), buffer),
                (null, _, null) => graph.Search<TSpace, PlannedSlots>(query, queryAux, k, ef, new PlannedSlots(table, space, filter), buffer, selectivity),
                (null, _, _) => graph.SearchRestricted<TSpace, PlannedSlots>(query, queryAux, k, ef, new PlannedSlots(table, space, filter), buffer, walk),
                (_, null, _) => QuantizedSearch.Search<TSpace, LiveSlots>(graph, codes, query, queryAux, k, ef, quantization.Oversampling, new LiveSlots(table, space), buffer, quantization.Rescore),
                _ => QuantizedSearch.Search<TSpace, PlannedSlots>(graph, codes, query, queryAux, k, ef, quantization.Oversampling, new PlannedSlots(table, space, filter), buffer, quantization.Rescore, selectivity, walk),
            };
            return found == k ? buffer : buffer[..found];
        }
    }

    /// <summary>The exact search over the slots a filter's postings list (never the whole table).</summary>
    private readonly struct ExactOverSlots(PointTable table, DenseSpace space, float[] query, float queryAux, int k, SlotPredicate filter, int[] slots) : ISpaceAction<Neighbor[]>
    {
        public Neighbor[] Run<TSpace>()
            where TSpace : struct, ISpace =>
            FlatSearch.SearchSlots<TSpace, PlannedSlots, IdOrder>(space.Vectors, query, queryAux, k, slots, new PlannedSlots(table, space, filter), new IdOrder(table));
    }
}
