using RoseForest.Core.Filters;
using RoseForest.Core.Spaces;
using RoseForest.Engine.Internal;
using RoseForest.Engine.Spaces;
using RoseForest.Index.Common;
using RoseForest.Index.Hnsw;
using RoseForest.Index.Quantization;

namespace RoseForest.Engine;

public sealed partial class Collection
{
    /// <summary>Batches at least this large are inserted into the graph by several threads.</summary>
    private const int ParallelInsertThreshold = 256;

    /// <summary>Points sampled to estimate how many a filter matches.</summary>
    private const int CardinalitySample = 512;

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
    private static HnswParameters GraphParameters(DenseSpace space)
    {
        var h = space.Hnsw!;
        var hyperbolic = space.Geometry is Geometry.Poincare or Geometry.Lorentz;
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
        var quantizer = ScalarQuantizer.Calibrate(QuantizedSearch.Sample(space.Vectors, _table.SlotCount, HasVector), quantization.Quantile);
        var store = new CodeStore(quantizer, space.Dimension);
        QuantizedSearch.EncodeAll(store, space.Vectors, _table.SlotCount, HasVector);
        space.Codes = store;
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
            _table.AddDetached(freed);
            _table.RecycleFreed();
        }
    }

    /// <summary>
    /// Chooses how to answer a search: an exact scan when asked, when there is no graph, or when
    /// the candidates (all points, or those a filter is estimated to match) weigh less than
    /// full_scan_threshold; otherwise HNSW with the filter applied during traversal, falling back
    /// to an exact scan if the graph walk finds fewer than k matches. Returns slots, best first.
    /// </summary>
    private Neighbor[] FindNeighbors(DenseSpace space, float[] query, float queryAux, int k, bool exact, int? hnswEf, QuantizationSearchParams? quantization, Filter? filter)
    {
        var graph = space.Graph;
        var useGraph = graph is not null && !exact && graph.NodeCount > 0;
        var selectivity = 1.0;
        if (useGraph)
        {
            var thresholdPoints = space.Hnsw!.FullScanThreshold * 1024 / ((long)space.Dimension * sizeof(float));
            var candidates = filter is null ? _table.Count : EstimateMatches(filter);
            useGraph = candidates >= thresholdPoints && candidates > k;
            selectivity = _table.Count == 0 ? 1 : Math.Clamp((double)candidates / _table.Count, 1e-3, 1);
        }

        if (useGraph)
        {
            var ef = Math.Max(hnswEf ?? space.Hnsw!.Ef ?? space.Hnsw!.EfConstruct, k);
            var codes = quantization is { Ignore: true } ? null : space.Codes;
            var hits = SpaceSwitch.Run<GraphSearch, Neighbor[]>(space.Geometry, new GraphSearch(graph!, _table, space, codes, quantization ?? DefaultQuantizationParams, query, queryAux, k, ef, filter, selectivity));
            if (hits.Length >= k || hits.Length >= _table.Count)
            {
                return hits;
            }
        }

        return SpaceSwitch.Run<ExactScan, Neighbor[]>(space.Geometry, new ExactScan(_table, space, query, queryAux, k, filter));
    }

    /// <summary>How many live points a filter matches: counted when the collection is small, else estimated from a fixed sample of slots.</summary>
    private long EstimateMatches(Filter filter)
    {
        var slots = _table.SlotCount;
        if (_table.Count <= CardinalitySample * 4)
        {
            long exact = 0;
            for (var slot = 0; slot < slots; slot++)
            {
                if (_table.IsLive(slot) && _table.Matches(filter, slot))
                {
                    exact++;
                }
            }

            return exact;
        }

        // A fixed stride walk over the slots (deterministic, spread over the whole table).
        var stride = Math.Max(1, slots / CardinalitySample);
        long seen = 0, matched = 0;
        for (var slot = stride / 2; slot < slots && seen < CardinalitySample * 2; slot += stride)
        {
            if (!_table.IsLive(slot))
            {
                continue;
            }

            seen++;
            matched += _table.Matches(filter, slot) ? 1 : 0;
        }

        return seen == 0 ? 0 : matched * _table.Count / seen;
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
    private readonly struct GraphSearch(HnswGraph graph, PointTable table, DenseSpace space, CodeStore? codes, QuantizationSearchParams quantization, float[] query, float queryAux, int k, int ef, Filter? filter, double selectivity) : ISpaceAction<Neighbor[]>
    {
        public Neighbor[] Run<TSpace>()
            where TSpace : struct, ISpace
        {
            var buffer = new Neighbor[k];
            var found = (codes, filter) switch
            {
                (null, null) => graph.Search<TSpace, LiveSlots>(query, queryAux, k, ef, new LiveSlots(table, space), buffer),
                (null, _) => graph.Search<TSpace, FilteredSlots>(query, queryAux, k, ef, new FilteredSlots(table, space, filter), buffer, selectivity),
                (_, null) => QuantizedSearch.Search<TSpace, LiveSlots>(graph, codes, query, queryAux, k, ef, quantization.Oversampling, new LiveSlots(table, space), buffer, quantization.Rescore),
                _ => QuantizedSearch.Search<TSpace, FilteredSlots>(graph, codes, query, queryAux, k, ef, quantization.Oversampling, new FilteredSlots(table, space, filter), buffer, quantization.Rescore, selectivity),
            };
            return found == k ? buffer : buffer[..found];
        }
    }
}
