using RoseForest.Core.Filters;
using RoseForest.Core.Spaces;
using RoseForest.Engine.Internal;
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

    /// <summary>The graph, for tests that check its structure.</summary>
    internal HnswGraph? GraphForTests => _table.Graph;

    private int IndexingThreads => _options.Hnsw is { MaxIndexingThreads: > 0 } h ? h.MaxIndexingThreads : Environment.ProcessorCount;

    /// <summary>
    /// The graph's shape. The hyperbolic geometries get hub lists (layer 0 may grow to 16M links)
    /// and keep-pruned links: hierarchy embeddings are nearly a tree metric, where the diversity
    /// heuristic leaves about one link per node and the few nodes near the root must lead into
    /// thousands of leaf clusters. On WordNet nouns (Lorentz, dim 10) that lifts recall@10 from a
    /// plateau of 0.92 at any ef to 0.997 (docs/benchmarks.md, issue 5). The flat geometries keep
    /// hnswlib's shape.
    /// </summary>
    private HnswParameters GraphParameters
    {
        get
        {
            var h = _options.Hnsw!;
            var hyperbolic = _options.Geometry is Geometry.Poincare or Geometry.Lorentz;
            return new()
            {
                M = h.M,
                EfConstruction = h.EfConstruct,
                HubLinks = hyperbolic ? Math.Max(2 * h.M, Math.Min(16 * h.M, 1024)) : 0,
                KeepPrunedLinks = hyperbolic,
            };
        }
    }

    /// <summary>Gives a table without a graph an empty one, when the collection is indexed.</summary>
    private void EnsureGraph()
    {
        if (_options.Hnsw is not null && _table.Graph is null)
        {
            _table.Graph = new HnswGraph(_table.Vectors, GraphParameters);
        }
    }

    /// <summary>
    /// Links freshly written slots into the graph (in parallel for big batches). Runs in the
    /// writer's prepare phase: the slots are not live yet, so searches may pass through them but
    /// never return them.
    /// </summary>
    private void IndexSlots(List<int> slots)
    {
        if (_table.Graph is not { } graph || slots.Count == 0)
        {
            return;
        }

        graph.EnsureCapacity(_table.Vectors.Capacity);
        var threads = slots.Count >= ParallelInsertThreshold ? IndexingThreads : 1;
        SpaceSwitch.Run<InsertAction, int>(_options.Geometry, new InsertAction(graph, slots, threads));
    }

    /// <summary>
    /// Keeps the int8 codes in step with the vectors (when the collection is quantized): encodes
    /// the fresh slots, or, once the collection first reaches the calibration size, chooses the
    /// range from the data and encodes everything. Runs in the writer's prepare phase, before
    /// the slots become visible.
    /// </summary>
    private void EncodeSlots(List<int> fresh)
    {
        if (_options.Quantization is not { } quantization)
        {
            return;
        }

        if (_table.Codes is { } codes)
        {
            codes.EnsureCapacity(_table.Vectors.Capacity);
            foreach (var slot in fresh)
            {
                codes.Set(slot, _table.Vectors.Get(slot));
            }

            return;
        }

        if (_table.Count + fresh.Count < QuantizationOptions.CalibrationPoints)
        {
            return;
        }

        var freshSet = fresh.ToHashSet();
        bool HasVector(int slot) => _table.IsLive(slot) || freshSet.Contains(slot) || _table.Graph?.Contains(slot) == true;
        var quantizer = ScalarQuantizer.Calibrate(QuantizedSearch.Sample(_table.Vectors, _table.SlotCount, HasVector), quantization.Quantile);
        var store = new CodeStore(quantizer, _options.Dimension);
        QuantizedSearch.EncodeAll(store, _table.Vectors, _table.SlotCount, HasVector);
        _table.Codes = store;
    }

    /// <summary>
    /// After recovery: the graph (from the snapshot, or empty) is brought in line with the
    /// table the log replay produced: nodes whose point is gone become tombstones, live points
    /// not in the graph are inserted. Only the log's tail is indexed again, not everything.
    /// </summary>
    private int ReconcileGraph()
    {
        EnsureGraph();
        if (_table.Graph is not { } graph)
        {
            return 0;
        }

        graph.EnsureCapacity(_table.Vectors.Capacity);
        var missing = new List<int>();
        for (var slot = 0; slot < _table.SlotCount; slot++)
        {
            var inGraph = graph.Contains(slot);
            if (_table.IsLive(slot) && !inGraph)
            {
                missing.Add(slot);
            }
            else if (!_table.IsLive(slot) && inGraph && !graph.IsDeleted(slot))
            {
                graph.MarkDeleted(slot);
            }
        }

        IndexSlots(missing);
        EncodeSlots([]);
        return missing.Count;
    }

    /// <summary>
    /// When tombstones pass a tenth of the graph, repair the graph around them and free their
    /// slots. On the writer, between groups; searches go on meanwhile.
    /// </summary>
    private void MaybeConsolidate()
    {
        if (_table.Graph is not { } graph || graph.DeletedCount < Math.Max(64, graph.NodeCount / 10))
        {
            return;
        }

        var freed = SpaceSwitch.Run<ConsolidateAction, List<int>>(_options.Geometry, new ConsolidateAction(graph, IndexingThreads));
        _table.AddDetached(freed);
        _table.RecycleFreed();
    }

    /// <summary>
    /// Chooses how to answer a search: an exact scan when asked, when there is no graph, or when
    /// the candidates (all points, or those a filter is estimated to match) weigh less than
    /// full_scan_threshold; otherwise HNSW with the filter applied during traversal, falling back
    /// to an exact scan if the graph walk finds fewer than k matches. Returns slots, best first.
    /// </summary>
    private Neighbor[] FindNeighbors(float[] query, float queryAux, int k, SearchRequest request, Filter? filter)
    {
        var graph = _table.Graph;
        var useGraph = graph is not null && !request.Exact && graph.NodeCount > 0;
        var selectivity = 1.0;
        if (useGraph)
        {
            var thresholdPoints = _options.Hnsw!.FullScanThreshold * 1024 / ((long)_options.Dimension * sizeof(float));
            var candidates = filter is null ? _table.Count : EstimateMatches(filter);
            useGraph = candidates >= thresholdPoints && candidates > k;
            selectivity = _table.Count == 0 ? 1 : Math.Clamp((double)candidates / _table.Count, 1e-3, 1);
        }

        if (useGraph)
        {
            var ef = Math.Max(request.HnswEf ?? _options.Hnsw!.Ef ?? _options.Hnsw!.EfConstruct, k);
            var codes = request.Quantization is { Ignore: true } ? null : _table.Codes;
            var hits = SpaceSwitch.Run<GraphSearch, Neighbor[]>(_options.Geometry, new GraphSearch(graph!, _table, codes, request.Quantization ?? DefaultQuantizationParams, query, queryAux, k, ef, filter, selectivity));
            if (hits.Length >= k || hits.Length >= _table.Count)
            {
                return hits;
            }
        }

        return SpaceSwitch.Run<ExactScan, Neighbor[]>(_options.Geometry, new ExactScan(_table, query, queryAux, k, filter));
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
                if (_table.IsLive(slot) && filter.Matches(_table.IdAt(slot), _table.PayloadAt(slot)))
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
            matched += filter.Matches(_table.IdAt(slot), _table.PayloadAt(slot)) ? 1 : 0;
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
    private readonly struct GraphSearch(HnswGraph graph, PointTable table, CodeStore? codes, QuantizationSearchParams quantization, float[] query, float queryAux, int k, int ef, Filter? filter, double selectivity) : ISpaceAction<Neighbor[]>
    {
        public Neighbor[] Run<TSpace>()
            where TSpace : struct, ISpace
        {
            var buffer = new Neighbor[k];
            var found = (codes, filter) switch
            {
                (null, null) => graph.Search<TSpace, LiveSlots>(query, queryAux, k, ef, new LiveSlots(table), buffer),
                (null, _) => graph.Search<TSpace, FilteredSlots>(query, queryAux, k, ef, new FilteredSlots(table, filter), buffer, selectivity),
                (_, null) => QuantizedSearch.Search<TSpace, LiveSlots>(graph, codes, query, queryAux, k, ef, quantization.Oversampling, new LiveSlots(table), buffer, quantization.Rescore),
                _ => QuantizedSearch.Search<TSpace, FilteredSlots>(graph, codes, query, queryAux, k, ef, quantization.Oversampling, new FilteredSlots(table, filter), buffer, quantization.Rescore, selectivity),
            };
            return found == k ? buffer : buffer[..found];
        }
    }
}
