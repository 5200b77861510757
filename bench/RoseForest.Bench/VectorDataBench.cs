using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.VectorData;
using RoseForest.Client;
using RoseForest.Engine;
using RoseForest.Host;
using RoseForest.VectorData;

namespace RoseForest.Bench;

/// <summary>
/// Issue 13's numbers: k=10 search through the Microsoft.Extensions.VectorData provider in process
/// (over the engine) and remote (over RoseForestClient and the REST API on loopback), each beside
/// the same query without MEVD (the engine's and the client's own SearchAsync), so the table shows
/// what the provider's mapping costs and what the transport costs. Seeded random unit vectors with
/// an int payload; the same query vectors for every row; N concurrent tasks.
/// </summary>
internal static class VectorDataBench
{
    public sealed class BenchRecord
    {
        public ulong Id { get; set; }

        public int Label { get; set; }

        public ReadOnlyMemory<float> Vector { get; set; }
    }

    public static async Task<int> RunAsync(int points, int dimension, int queries, int concurrency, string? jsonPath, CancellationToken ct)
    {
        Console.WriteLine($"machine: {MachineInfo.Describe()}");
        Console.WriteLine($"{points} points x {dimension}-d cosine, {queries} k=10 queries, {concurrency} concurrent");

        // An in-process search runs synchronously on a pool thread: without enough threads the 16
        // in-process workers would share the pool's few (one per core) while the remote rows get
        // client, Kestrel and I/O threads, and on a busy machine the scheduler's share per thread
        // would decide the comparison.
        ThreadPool.GetMinThreads(out var workerThreads, out var ioThreads);
        ThreadPool.SetMinThreads(Math.Max(workerThreads, concurrency * 2), ioThreads);
        var random = new Random(13);
        var records = Enumerable.Range(0, points).Select(i => new BenchRecord { Id = (ulong)i, Label = i % 10, Vector = RandomUnit(random, dimension) }).ToArray();
        var queryVectors = Enumerable.Range(0, queries).Select(_ => RandomUnit(random, dimension)).ToArray();
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty(nameof(BenchRecord.Id), typeof(ulong)),
                new VectorStoreDataProperty(nameof(BenchRecord.Label), typeof(int)),
                new VectorStoreVectorProperty(nameof(BenchRecord.Vector), typeof(ReadOnlyMemory<float>), dimension) { DistanceFunction = DistanceFunction.CosineSimilarity },
            ],
        };
        var root = Path.Combine(Path.GetTempPath(), "roseforest-mevd-bench-" + Guid.NewGuid().ToString("N"));
        var results = new Dictionary<string, object>();
        var rates = new Dictionary<string, double>();
        try
        {
            await using (var db = await RoseForestDatabase.OpenAsync(Path.Combine(root, "embedded"), cancellationToken: ct))
            {
                await MeasureAsync("inprocess", db);
            }

            await using (var server = await RoseForestServer.StartAsync(new ServerOptions { Port = 0, DataPath = Path.Combine(root, "server") }, ct, l => l.SetMinimumLevel(LogLevel.Warning)))
            await using (var client = new RoseForestClient(new RoseForestClientOptions { BaseAddress = server.BaseAddress }))
            {
                await MeasureAsync("remote", client);
            }

            Console.WriteLine($"QPS MEVD in-process / MEVD remote: {rates["inprocess_mevd_query"] / rates["remote_mevd_query"]:F2}x; MEVD cost in process {rates["inprocess_raw_query"] / rates["inprocess_mevd_query"]:F2}x, remote {rates["remote_raw_query"] / rates["remote_mevd_query"]:F2}x");
            Console.WriteLine($"CPU per query MEVD remote / MEVD in-process: {(double)results["remote_mevd_query_cpu_us_per_query"] / (double)results["inprocess_mevd_query_cpu_us_per_query"]:F2}x");
            results["machine"] = MachineInfo.Describe();
            results["points"] = points;
            results["dimension"] = dimension;
            results["concurrency"] = concurrency;
            if (jsonPath is not null)
            {
                await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }), ct);
            }

            return 0;
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }

        async Task MeasureAsync(string side, IVectorDatabase database)
        {
            using var store = new RoseForestVectorStore(database);
            var collection = store.GetCollection<ulong, BenchRecord>("bench", definition);
            await collection.EnsureCollectionExistsAsync(ct);
            var batches = records.Chunk(100).ToArray();
            var upsert = await HttpBench.RunConcurrentAsync(batches.Length, concurrency, i => collection.UpsertAsync(batches[i], ct));
            HttpBench.Report(results, rates, $"{side}_mevd_upsert", upsert, points, "points");

            var raw = database.GetCollection("bench");
            Task Raw(int i) => raw.SearchAsync(new SearchRequest { Vector = RecordVector(queryVectors[i]), Limit = 10, WithPayload = PayloadSelector.All }, ct).AsTask();
            async Task Mevd(int i)
            {
                await foreach (var hit in collection.SearchAsync(queryVectors[i], 10, cancellationToken: ct))
                {
                    _ = hit.Record;
                }
            }

            // Warm both paths, then alternate: raw, MEVD, raw, MEVD, so drift on a shared machine hits both.
            await HttpBench.RunConcurrentAsync(Math.Min(500, queries), concurrency, Raw);
            await HttpBench.RunConcurrentAsync(Math.Min(500, queries), concurrency, Mevd);
            var rawRuns = new List<(HttpBench.Run Run, double Cpu)>();
            var mevdRuns = new List<(HttpBench.Run Run, double Cpu)>();
            for (var round = 0; round < 2; round++)
            {
                rawRuns.Add(await TimedAsync(Raw));
                mevdRuns.Add(await TimedAsync(Mevd));
            }

            ReportQuery($"{side}_raw_query", rawRuns);
            ReportQuery($"{side}_mevd_query", mevdRuns);
        }

        // CPU time of the whole process per query (for the remote rows: client and server, both in
        // this process): what a query costs whatever else the machine runs, unlike QPS on a shared box.
        async Task<(HttpBench.Run Run, double Cpu)> TimedAsync(Func<int, Task> query)
        {
            using var process = System.Diagnostics.Process.GetCurrentProcess();
            var before = process.TotalProcessorTime;
            var run = await HttpBench.RunConcurrentAsync(queries, concurrency, query);
            process.Refresh();
            return (run, (process.TotalProcessorTime - before).TotalMilliseconds * 1000 / queries);
        }

        void ReportQuery(string name, List<(HttpBench.Run Run, double Cpu)> runs)
        {
            HttpBench.Report(results, rates, name, runs.MinBy(r => r.Run.Seconds).Run, queries, "queries");
            var cpu = runs.Min(r => r.Cpu);
            results[name + "_cpu_us_per_query"] = cpu;
            Console.WriteLine($"{name,-18} {cpu,10:N0} µs of CPU per query (process total, best of {runs.Count})");
        }
    }

    private static float[] RecordVector(ReadOnlyMemory<float> v) => v.ToArray();

    private static ReadOnlyMemory<float> RandomUnit(Random random, int dimension)
    {
        var v = new float[dimension];
        var norm = 0.0;
        for (var i = 0; i < dimension; i++)
        {
            v[i] = (float)((random.NextDouble() * 2) - 1);
            norm += v[i] * v[i];
        }

        var scale = (float)(1 / Math.Sqrt(norm));
        for (var i = 0; i < dimension; i++)
        {
            v[i] *= scale;
        }

        return v;
    }
}
