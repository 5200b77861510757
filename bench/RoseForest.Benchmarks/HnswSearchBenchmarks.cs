using BenchmarkDotNet.Attributes;
using RoseForest.Core.Spaces;
using RoseForest.Index.Common;
using RoseForest.Index.Hnsw;
using RoseForest.Index.Storage;

namespace RoseForest.Benchmarks;

/// <summary>
/// The HNSW graph walk: k = 10 searches on a small built index (5,000 seeded random 128-d
/// vectors, M = 16, ef_construction = 100, squared L2), one query at a time.
/// </summary>
[Config(typeof(BenchConfig))]
public class HnswSearchBenchmarks
{
    private const int Points = 5000;
    private const int Dimension = 128;
    private const int Queries = 100;
    private readonly Neighbor[] _output = new Neighbor[10];
    private VectorStore? _store;
    private HnswGraph? _graph;
    private float[][] _queries = [];

    [Params(10, 40, 100)]
    public int Ef { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        float[] Next() => [.. Enumerable.Range(0, Dimension).Select(_ => (float)random.NextDouble())];
        _store = new VectorStore(Dimension, Points);
        _graph = new HnswGraph(_store, new HnswParameters { M = 16, EfConstruction = 100 });
        _graph.EnsureCapacity(Points);
        for (var i = 0; i < Points; i++)
        {
            _store.Set(i, Next(), 1);
            _graph.Insert<EuclidSpace>(i);
        }

        _queries = [.. Enumerable.Range(0, Queries).Select(_ => Next())];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _graph?.Dispose();
        _store?.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Queries)]
    public int Search()
    {
        var found = 0;
        foreach (var query in _queries)
        {
            found += _graph!.Search<EuclidSpace, AllowAll>(query, 1, 10, Ef, default, _output);
        }

        return found;
    }
}
