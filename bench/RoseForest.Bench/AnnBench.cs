using System.Diagnostics;
using System.Text.Json;
using RoseForest.Core.Spaces;
using RoseForest.Index.Rotation;
using RoseForest.Index.Common;
using RoseForest.Index.Hnsw;
using RoseForest.Index.Quantization;
using RoseForest.Index.Storage;

namespace RoseForest.Bench;

/// <summary>
/// Issue 4's benchmark, the ann-benchmarks way: build an HNSW index over the base vectors
/// (timed, with N threads), then for each ef run every query one at a time, timing the whole
/// loop for QPS, and score recall@10 against exact ground truth. Variants: int8 quantization,
/// a deleted fraction (against a fresh index on the survivors), and filters (through a
/// collection, see <see cref="FilteredAnnBench"/>).
/// </summary>
internal static class AnnBench
{
    public sealed record Options(
        string Dataset,
        string DatasetDir,
        int Queries,
        int M,
        int EfConstruction,
        int[] Efs,
        int Threads,
        int QueryThreads,
        string? Json,
        string? IndexCache = null,
        string? Quantization = null,
        double Oversampling = 2,
        double DeleteFraction = 0,
        double[]? FilterSelectivities = null,
        string PayloadIndex = "none",
        long? FullScanThresholdKb = null,
        int RotateRank = 0,
        int Repeats = 1);

    public static async Task<int> RunAsync(Options o, CancellationToken ct)
    {
        Console.WriteLine($"machine: {MachineInfo.Describe()}");
        var data = AnnDataset.Load(o.Dataset, o.DatasetDir, o.Queries);
        Console.WriteLine($"dataset: {o.Dataset} {data.Train.Length} x {data.Dimension}, {data.Queries.Length} queries");
        if (o.FilterSelectivities is { Length: > 0 })
        {
            return await FilteredAnnBench.RunAsync(o, data, ct);
        }

        using var store = new VectorStore(data.Dimension, data.Train.Length);
        for (var i = 0; i < data.Train.Length; i++)
        {
            store.Set(i, data.Train[i], 1);
        }

        var (graph, buildSeconds) = BuildOrLoad(store, data.Train.Length, o, ct);
        using var _ = graph;
        var report = new Dictionary<string, object?>
        {
            ["dataset"] = o.Dataset,
            ["n"] = data.Train.Length,
            ["dim"] = data.Dimension,
            ["m"] = o.M,
            ["ef_construction"] = o.EfConstruction,
            ["build_seconds"] = buildSeconds,
            ["build_threads"] = o.Threads,
            ["rotate_rank"] = o.RotateRank,
            ["query_threads"] = o.QueryThreads,
            ["machine"] = MachineInfo.Describe(),
        };

        if (graph.Rotation is { } rotation)
        {
            // The per-query cost of rotating a query (inside every search's time as well).
            var buffer = new float[rotation.Padded];
            var cpuStart = ThreadCpu.Seconds();
            for (var round = 0; round < 5; round++)
            {
                foreach (var query in data.Queries)
                {
                    query.CopyTo(buffer, 0);
                    rotation.Apply(buffer);
                }
            }

            var perQuery = (ThreadCpu.Seconds() - cpuStart) / (5.0 * data.Queries.Length) * 1e6;
            report["rotate_query_us"] = perQuery;
            Console.WriteLine($"rotation: {perQuery:F2} us of CPU per query");
        }

        var indexBytes = store.BytesAllocated + graph.BytesAllocated;
        report["index_bytes"] = indexBytes;
        Console.WriteLine($"roseforest n={data.Train.Length} dim={data.Dimension} M={o.M} efC={o.EfConstruction} build_s={buildSeconds:F2} threads={o.Threads} index_bytes={indexBytes}");

        if (o.DeleteFraction > 0)
        {
            report["runs"] = DeleteVariant(store, graph, data, o, report, ct);
        }
        else if (o.Quantization is not null)
        {
            report["runs"] = QuantizedVariant(store, graph, data, o, report);
        }
        else
        {
            var (_, truth) = data.Truth(null, "all");
            report["runs"] = Sweep(o, data, truth, (q, ef, buffer) => graph.Search<EuclidSpace, AllowAll>(data.Queries[q], 1, 10, ef, default, buffer));
        }

        if (o.Json is not null)
        {
            await File.WriteAllTextAsync(o.Json, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }), ct);
        }

        return 0;
    }

    private static (HnswGraph Graph, double Seconds) BuildOrLoad(VectorStore store, int n, Options o, CancellationToken ct)
    {
        if (o.IndexCache is not null && File.Exists(o.IndexCache))
        {
            // A development shortcut for tuning search: reuse a graph built by an earlier run.
            Console.WriteLine($"loaded the graph from {o.IndexCache} (build time not measured)");
            var loaded = HnswGraph.Deserialize(store, File.ReadAllBytes(o.IndexCache));
            AttachRotation(loaded, store, n, o);
            return (loaded, double.NaN);
        }

        var clock = Stopwatch.StartNew();
        var fitCpu = ThreadCpu.Seconds();
        var graph = new HnswGraph(store, new HnswParameters { M = o.M, EfConstruction = o.EfConstruction });
        AttachRotation(graph, store, n, o);
        var fitSeconds = clock.Elapsed.TotalSeconds;
        fitCpu = ThreadCpu.Seconds() - fitCpu;
        var seconds = fitSeconds + Build(graph, Enumerable.Range(0, n).ToArray(), o.Threads, ct);
        if (o.RotateRank > 0)
        {
            Console.WriteLine($"rotation: PCA rank {o.RotateRank} fitted and the vectors rotated in {fitSeconds:F2} s, {fitCpu:F2} s of CPU (included in build_s, not in build_cpu_s)");
        }

        if (o.IndexCache is not null)
        {
            File.WriteAllBytes(o.IndexCache, graph.Serialize(n));
        }

        return (graph, seconds);
    }

    /// <summary>
    /// With --rotate R: fits a rotation whose first R coordinates are the principal components of
    /// an evenly spaced sample of up to 5,000 base vectors, rotates the stored vectors in place
    /// and tells the graph (queries are rotated per search, inside the index).
    /// </summary>
    private static void AttachRotation(HnswGraph graph, VectorStore store, int n, Options o)
    {
        if (o.RotateRank <= 0)
        {
            return;
        }

        var step = Math.Max(1, n / 5_000);
        var sample = new List<float[]>();
        for (var i = 0; i < n; i += step)
        {
            sample.Add(store.Get(i).ToArray());
        }

        var clock = Stopwatch.StartNew();
        var cpu = ThreadCpu.Seconds();
        var rotation = PcaRotation.Fit(sample, o.RotateRank);
        var fitted = clock.Elapsed.TotalSeconds;
        HnswGraph.RotateStored(store, rotation, n);
        graph.UseRotation(rotation);
        Console.WriteLine($"rotation: fit {fitted:F2} s, fit + rotating {n} vectors {clock.Elapsed.TotalSeconds:F2} s wall, {ThreadCpu.Seconds() - cpu:F2} s CPU");
    }

    private static double Build(HnswGraph graph, int[] slots, int threads, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var cpuStart = ThreadCpu.Seconds();
        var cpuSeconds = double.NaN;
        if (threads <= 1)
        {
            foreach (var slot in slots)
            {
                graph.Insert<EuclidSpace>(slot);
            }
        }
        else
        {
            Parallel.For(0, slots.Length, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = ct }, i => graph.Insert<EuclidSpace>(slots[i]));
        }

        if (threads <= 1)
        {
            cpuSeconds = ThreadCpu.Seconds() - cpuStart;
            Console.WriteLine($"build_cpu_s={cpuSeconds:F2} (the thread's CPU clock, single-threaded build)");
        }

        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// --quantization int8 (codes of every coordinate) or pca8:RANK[:QUANTILE] (a collection's
    /// <c>scalar.projection_rank</c>: codes of the first RANK principal components, fitted on 5,000
    /// evenly spaced vectors, the range raised to 0.999 as a collection raises it), built as a
    /// collection builds them; the walk reads the codes and the best k·oversampling are re-ranked
    /// with the floats.
    /// </summary>
    private static List<object> QuantizedVariant(VectorStore store, HnswGraph graph, AnnDataset data, Options o, Dictionary<string, object?> report)
    {
        var parts = o.Quantization!.Split(':');
        int? rank = (parts[0], parts.Length) switch
        {
            ("int8", 1) => null,
            ("pca8", 2 or 3) => int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture),
            _ => throw new ArgumentException($"unknown quantization '{o.Quantization}'; this build knows int8 and pca8:RANK[:QUANTILE]."),
        };
        var quantile = parts.Length > 2 ? double.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) : 0.99;
        var n = data.Train.Length;
        var clock = Stopwatch.StartNew();
        var cpu = ThreadCpu.Seconds();
        using var codes = QuantizedSearch.BuildCodes(store, n, _ => true, quantile, rank);
        var seconds = clock.Elapsed.TotalSeconds;
        report["quantization"] = o.Quantization;
        report["quantize_seconds"] = seconds;
        report["quantize_cpu_seconds"] = ThreadCpu.Seconds() - cpu;
        report["oversampling"] = o.Oversampling;
        report["codes_bytes"] = codes.BytesAllocated;
        report["float_vector_bytes"] = store.BytesAllocated;
        report["graph_bytes"] = graph.BytesAllocated;
        var quantizer = codes.Quantizer;
        Console.WriteLine($"{o.Quantization}: {codes.Stride} bytes per code row, range [{quantizer.Low}, {quantizer.Low + (255 * quantizer.Step)}], built in {seconds:F2} s; codes (and projection) {codes.BytesAllocated} bytes beside floats {store.BytesAllocated} and graph {graph.BytesAllocated}; re-rank reads floats; oversampling {o.Oversampling}, so the walk's beam is max(ef, {(int)Math.Ceiling(10 * o.Oversampling)})");
        var (_, truth) = data.Truth(null, "all");
        return Sweep(o, data, truth, (q, ef, buffer) => QuantizedSearch.Search<EuclidSpace, AllowAll>(graph, codes, data.Queries[q], 1, 10, ef, o.Oversampling, default, buffer));
    }

    private static List<object> DeleteVariant(VectorStore store, HnswGraph graph, AnnDataset data, Options o, Dictionary<string, object?> report, CancellationToken ct)
    {
        var n = data.Train.Length;
        var rng = new Random(42);
        var deleted = new bool[n];
        foreach (var d in Enumerable.Range(0, n).OrderBy(_ => rng.Next()).Take((int)(n * o.DeleteFraction)))
        {
            deleted[d] = true;
            graph.MarkDeleted(d);
        }

        var clock = Stopwatch.StartNew();
        var freed = graph.Consolidate<EuclidSpace>(o.Threads);
        var consolidateSeconds = clock.Elapsed.TotalSeconds;
        var unreachable = graph.FindUnreachable().Count;
        Console.WriteLine($"deleted {freed.Count} of {n} ({o.DeleteFraction:P0}); consolidation {consolidateSeconds:F2} s with {o.Threads} thread(s); unreachable live nodes: {unreachable}");

        // The reference: a graph built fresh over the survivors only.
        var survivors = Enumerable.Range(0, n).Where(i => !deleted[i]).ToArray();
        using var freshStore = new VectorStore(data.Dimension, survivors.Length);
        for (var i = 0; i < survivors.Length; i++)
        {
            freshStore.Set(i, data.Train[survivors[i]], 1);
        }

        using var fresh = new HnswGraph(freshStore, new HnswParameters { M = o.M, EfConstruction = o.EfConstruction });
        var freshSeconds = Build(fresh, Enumerable.Range(0, survivors.Length).ToArray(), o.Threads, ct);
        report["delete_fraction"] = o.DeleteFraction;
        report["consolidate_seconds"] = consolidateSeconds;
        report["unreachable_after_delete"] = unreachable;
        report["fresh_build_seconds"] = freshSeconds;

        var (_, truth) = data.Truth(i => !deleted[i], null);
        var live = new LiveMask(deleted);
        var afterDeletes = Sweep(o, data, truth, (q, ef, buffer) => graph.Search<EuclidSpace, LiveMask>(data.Queries[q], 1, 10, ef, live, buffer), "after deletes");
        var rebuilt = Sweep(o, data, truth, (q, ef, buffer) =>
        {
            var found = fresh.Search<EuclidSpace, AllowAll>(data.Queries[q], 1, 10, ef, default, buffer);
            for (var i = 0; i < found; i++)
            {
                buffer[i] = buffer[i] with { Slot = survivors[buffer[i].Slot] };
            }

            return found;
        }, "fresh on survivors");
        report["fresh_runs"] = rebuilt;
        return afterDeletes;
    }

    /// <summary>Runs every query at each ef and prints and returns recall@10 and QPS.</summary>
    internal static List<object> Sweep(Options o, AnnDataset data, float[][] truth, Func<int, int, Neighbor[], int> search, string label = "")
    {
        var runs = new List<object>();
        foreach (var ef in o.Efs)
        {
            // Repeated runs give the median QPS, by wall clock and (one query thread) by the
            // thread's CPU clock, which leaves out the time spent waiting for a core on a shared machine.
            var wall = new List<double>();
            var cpu = new List<double>();
            var recall = 0.0;
            var p50 = new List<double>();
            var p99 = new List<double>();
            for (var r = 0; r < Math.Max(1, o.Repeats); r++)
            {
                (recall, var qps, var cpuQps, var latency) = Measure(data, truth, ef, o.QueryThreads, search);
                wall.Add(qps);
                cpu.Add(cpuQps);
                p50.Add(latency.P50);
                p99.Add(latency.P99);
            }

            var medianQps = Median(wall);
            var medianCpuQps = Median(cpu);
            var latencies = o.QueryThreads <= 1 ? $" p50_us={Median(p50):F1} p99_us={Median(p99):F1}" : "";
            Console.WriteLine($"{(label.Length > 0 ? label + ": " : "")}ef={ef} recall@10={recall:F4} qps={medianQps:F0} cpu_qps={medianCpuQps:F0}{latencies}");
            runs.Add(new { ef, recall_at_10 = recall, qps = medianQps, cpu_qps = medianCpuQps, qps_runs = wall, cpu_qps_runs = cpu, p50_us = Median(p50), p99_us = Median(p99) });
        }

        return runs;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>
    /// One pass over the queries: recall, QPS by wall and CPU clock, and (one query thread) the
    /// per-query wall latency percentiles in microseconds (NaN with several threads).
    /// </summary>
    private static (double Recall, double Qps, double CpuQps, (double P50, double P99) Latency) Measure(AnnDataset data, float[][] truth, int ef, int threads, Func<int, int, Neighbor[], int> search)
    {
        var results = new int[data.Queries.Length][];
        var buffers = Enumerable.Range(0, Math.Max(1, threads)).Select(_ => new Neighbor[10]).ToArray();

        // Warm-up, untimed: long enough for tiered compilation to promote the search loop to
        // optimised (PGO) code, as a long-running server would have it.
        var warm = Stopwatch.StartNew();
        for (var q = 0; warm.ElapsedMilliseconds < 1000 || q < 200; q++)
        {
            search(q % data.Queries.Length, ef, buffers[0]);
        }

        var clock = Stopwatch.StartNew();
        var cpuStart = ThreadCpu.Seconds();
        var cpuSeconds = double.NaN;
        var latency = (double.NaN, double.NaN);
        if (threads <= 1)
        {
            var buffer = buffers[0];
            var ticks = new long[data.Queries.Length];
            for (var q = 0; q < data.Queries.Length; q++)
            {
                var started = Stopwatch.GetTimestamp();
                var found = search(q, ef, buffer);
                ticks[q] = Stopwatch.GetTimestamp() - started;
                results[q] = Ids(buffer, found);
            }

            cpuSeconds = ThreadCpu.Seconds() - cpuStart;
            Array.Sort(ticks);
            latency = (ticks[(ticks.Length - 1) / 2] * 1e6 / Stopwatch.Frequency, ticks[(int)Math.Ceiling(0.99 * ticks.Length) - 1] * 1e6 / Stopwatch.Frequency);
        }
        else
        {
            Parallel.For(0, threads, t =>
            {
                var buffer = buffers[t];
                for (var q = t; q < data.Queries.Length; q += threads)
                {
                    results[q] = Ids(buffer, search(q, ef, buffer));
                }
            });
        }

        clock.Stop();
        return (data.Recall(results, truth, 10), data.Queries.Length / clock.Elapsed.TotalSeconds, data.Queries.Length / cpuSeconds, latency);
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

    private readonly struct LiveMask(bool[] deleted) : ISlotFilter
    {
        public bool Allows(int slot) => !deleted[slot];
    }
}
