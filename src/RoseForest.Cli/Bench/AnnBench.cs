using System.Diagnostics;
using System.Text.Json;
using RoseForest.Core.Spaces;
using RoseForest.Index.Common;
using RoseForest.Index.Hnsw;
using RoseForest.Index.Storage;

namespace RoseForest.Cli.Bench;

/// <summary>
/// Issue 4's benchmark, the ann-benchmarks way: build an HNSW index over the base vectors
/// (timed, with N threads), then for each ef run every query one at a time on one thread,
/// timing the whole loop for QPS, and score recall@10 against exact ground truth.
/// </summary>
internal static class AnnBench
{
    public sealed record Options(string Dataset, string DatasetDir, int Queries, int M, int EfConstruction, int[] Efs, int Threads, int QueryThreads, string? Json, string? IndexCache = null);

    public static Task<int> RunAsync(Options o, CancellationToken ct)
    {
        Console.WriteLine($"machine: {MachineInfo.Describe()}");
        var data = AnnDataset.Load(o.Dataset, o.DatasetDir, o.Queries);
        Console.WriteLine($"dataset: {o.Dataset} {data.Train.Length} x {data.Dimension}, {data.Queries.Length} queries");
        var (_, truthDistances) = data.Truth(null, "all");

        using var store = new VectorStore(data.Dimension, data.Train.Length);
        for (var i = 0; i < data.Train.Length; i++)
        {
            store.Set(i, data.Train[i], 1);
        }

        var build = Stopwatch.StartNew();
        if (o.IndexCache is not null && File.Exists(o.IndexCache))
        {
            // A development shortcut for tuning search: reuse a graph built by an earlier run.
            using var cached = HnswGraph.Deserialize(store, File.ReadAllBytes(o.IndexCache));
            Console.WriteLine($"loaded the graph from {o.IndexCache} (build time not measured)");
            RunQueries(cached, data, truthDistances, o, build, store, runs: []);
            return Task.FromResult(0);
        }

        using var graph = new HnswGraph(store, new HnswParameters { M = o.M, EfConstruction = o.EfConstruction });
        if (o.Threads <= 1)
        {
            for (var i = 0; i < data.Train.Length; i++)
            {
                graph.Insert<EuclidSpace>(i);
            }
        }
        else
        {
            Parallel.For(0, data.Train.Length, new ParallelOptions { MaxDegreeOfParallelism = o.Threads, CancellationToken = ct }, i => graph.Insert<EuclidSpace>(i));
        }

        build.Stop();
        if (o.IndexCache is not null)
        {
            File.WriteAllBytes(o.IndexCache, graph.Serialize(data.Train.Length));
        }

        var runs = new List<object>();
        var indexBytes = RunQueries(graph, data, truthDistances, o, build, store, runs);

        if (o.Json is not null)
        {
            var report = new
            {
                dataset = o.Dataset,
                n = data.Train.Length,
                dim = data.Dimension,
                m = o.M,
                ef_construction = o.EfConstruction,
                build_seconds = build.Elapsed.TotalSeconds,
                build_threads = o.Threads,
                query_threads = o.QueryThreads,
                index_bytes = indexBytes,
                machine = MachineInfo.Describe(),
                runs,
            };
            File.WriteAllText(o.Json, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
        }

        return Task.FromResult(0);
    }

    private static long RunQueries(HnswGraph graph, AnnDataset data, float[][] truthDistances, Options o, Stopwatch build, VectorStore store, List<object> runs)
    {
        var indexBytes = store.BytesAllocated + graph.BytesAllocated;
        Console.WriteLine($"roseforest n={data.Train.Length} dim={data.Dimension} M={o.M} efC={o.EfConstruction} build_s={build.Elapsed.TotalSeconds:F2} threads={o.Threads} index_bytes={indexBytes}");
        foreach (var ef in o.Efs)
        {
            var (recall, qps) = Measure(graph, data, truthDistances, ef, o.QueryThreads);
            Console.WriteLine($"ef={ef} recall@10={recall:F4} qps={qps:F0}");
            runs.Add(new { ef, recall_at_10 = recall, qps });
        }

        return indexBytes;
    }

    private static (double Recall, double Qps) Measure(HnswGraph graph, AnnDataset data, float[][] truthDistances, int ef, int threads)
    {
        var results = new int[data.Queries.Length][];
        var buffers = new Neighbor[threads][];
        for (var t = 0; t < threads; t++)
        {
            buffers[t] = new Neighbor[10];
        }

        // Warm-up, untimed: long enough for tiered compilation to promote the search loop to
        // optimised (PGO) code, as a long-running server would have it.
        var warm = Stopwatch.StartNew();
        for (var q = 0; warm.ElapsedMilliseconds < 1000 || q < 200; q++)
        {
            graph.Search<EuclidSpace, AllowAll>(data.Queries[q % data.Queries.Length], 1, 10, ef, default, buffers[0]);
        }

        var clock = Stopwatch.StartNew();
        if (threads <= 1)
        {
            var buffer = buffers[0];
            for (var q = 0; q < data.Queries.Length; q++)
            {
                var n = graph.Search<EuclidSpace, AllowAll>(data.Queries[q], 1, 10, ef, default, buffer);
                results[q] = Ids(buffer, n);
            }
        }
        else
        {
            Parallel.For(0, threads, t =>
            {
                var buffer = buffers[t];
                for (var q = t; q < data.Queries.Length; q += threads)
                {
                    var n = graph.Search<EuclidSpace, AllowAll>(data.Queries[q], 1, 10, ef, default, buffer);
                    results[q] = Ids(buffer, n);
                }
            });
        }

        clock.Stop();
        return (data.Recall(results, truthDistances, 10), data.Queries.Length / clock.Elapsed.TotalSeconds);
    }

    private static int[] Ids(Neighbor[] buffer, int n)
    {
        var ids = new int[n];
        for (var i = 0; i < n; i++)
        {
            ids[i] = buffer[i].Slot;
        }

        return ids;
    }
}
