using System.Diagnostics;
using System.Text.Json;
using RoseForest.Datasets;
using RoseForest.Engine;

namespace RoseForest.Bench;

/// <summary>
/// Issue 2's numbers: single-thread upsert throughput and latency of 784-d Fashion-MNIST vectors
/// in sync and buffered modes with batches of 1 and 1000, get-by-id latency, exact k=10 search
/// QPS over the 60,000 training images, and the time to reopen that collection from its snapshot.
/// </summary>
internal static class StorageBench
{
    public static async Task<int> RunAsync(string dataset, string? workDir, int singles, int queries, string? jsonPath, CancellationToken ct)
    {
        Console.WriteLine($"machine: {MachineInfo.Describe()}");
        var train = FashionMnist.Train(dataset);
        var test = FashionMnist.Test(dataset);
        Console.WriteLine($"dataset: Fashion-MNIST {train.Length} x {train[0].Length} (test {test.Length})");
        var root = workDir ?? Path.Combine(Path.GetTempPath(), "roseforest-bench-" + Guid.NewGuid().ToString("N"));
        var results = new List<object>();
        try
        {
            foreach (var durability in new[] { Durability.Sync, Durability.Buffered })
            {
                foreach (var batch in new[] { 1, 1000 })
                {
                    var n = batch == 1 ? (durability == Durability.Sync ? singles : singles * 5) : train.Length;
                    var r = await UpsertAsync(root, train, durability, batch, Math.Min(n, train.Length), ct);
                    results.Add(r);
                    Console.WriteLine($"upsert {durability,-8} batch {batch,4}: {r.PointsPerSecond,10:N0} points/s   per call p50 {r.P50Ms,8:F3} ms  p99 {r.P99Ms,8:F3} ms   ({r.Points} points)");
                }
            }

            // The last collection (buffered, batches of 1000) holds all 60,000 points.
            var path = Path.Combine(root, "buffered-1000");
            await using (var db = await RoseForestDatabase.OpenAsync(path, cancellationToken: ct))
            {
                var col = db.GetCollection("bench");
                var get = await GetLatencyAsync(col, train.Length, 20_000, ct);
                results.Add(get);
                Console.WriteLine($"get by id (with vector): p50 {get.P50Ms:F4} ms  p99 {get.P99Ms:F4} ms  ({get.Count} gets)");

                var search = await ExactSearchAsync(col, test, queries, ct);
                results.Add(search);
                Console.WriteLine($"exact search k=10 over {train.Length}: {search.Qps:F1} QPS  p50 {search.P50Ms:F2} ms  p99 {search.P99Ms:F2} ms  ({search.Count} queries, scan uses all cores)");
            }

            var open = await OpenTimeAsync(path, ct);
            results.Add(open);
            Console.WriteLine($"open {train.Length}-point collection from snapshot: median {open.MedianMs:F0} ms of {open.Runs} runs (snapshot {open.SnapshotBytes / (1 << 20)} MiB)");

            if (jsonPath is not null)
            {
                await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(new { machine = MachineInfo.Describe(), results }, new JsonSerializerOptions { WriteIndented = true }), ct);
            }

            return 0;
        }
        finally
        {
            if (workDir is null && Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private sealed record UpsertResult(string Kind, string Durability, int Batch, int Points, double Seconds, double PointsPerSecond, double P50Ms, double P99Ms);

    private static async Task<UpsertResult> UpsertAsync(string root, float[][] data, Durability durability, int batch, int n, CancellationToken ct)
    {
        var path = Path.Combine(root, $"{durability.ToString().ToLowerInvariant()}-{batch}");
        await using var db = await RoseForestDatabase.OpenAsync(path, cancellationToken: ct);
        var col = await db.CreateCollectionAsync("bench", new CollectionOptions { Dimension = data[0].Length, Geometry = Geometry.Euclid, Durability = durability }, ct);
        var latencies = new Latencies();
        var total = Stopwatch.StartNew();
        for (var i = 0; i < n; i += batch)
        {
            var count = Math.Min(batch, n - i);
            var points = new PointStruct[count];
            for (var j = 0; j < count; j++)
            {
                points[j] = new PointStruct((ulong)(i + j), data[i + j]);
            }

            var t = Stopwatch.GetTimestamp();
            await col.UpsertAsync(points, cancellationToken: ct);
            latencies.Add(t);
        }

        total.Stop();
        return new UpsertResult("upsert", durability.ToString().ToLowerInvariant(), batch, n, total.Elapsed.TotalSeconds, n / total.Elapsed.TotalSeconds, latencies.Percentile(50), latencies.Percentile(99));
    }

    private sealed record LatencyResult(string Kind, int Count, double P50Ms, double P99Ms);

    private static async Task<LatencyResult> GetLatencyAsync(Collection col, int n, int count, CancellationToken ct)
    {
        var rng = new Random(7);
        var latencies = new Latencies();
        for (var i = 0; i < count; i++)
        {
            var id = PointId.FromNumber((ulong)rng.Next(n));
            var t = Stopwatch.GetTimestamp();
            var r = await col.GetAsync(id, withVector: true, cancellationToken: ct);
            latencies.Add(t);
            if (r is null)
            {
                throw new InvalidOperationException($"point {id} is missing");
            }
        }

        return new LatencyResult("get", count, latencies.Percentile(50), latencies.Percentile(99));
    }

    private sealed record SearchResult(string Kind, int Count, double Qps, double P50Ms, double P99Ms);

    private static async Task<SearchResult> ExactSearchAsync(Collection col, float[][] queries, int count, CancellationToken ct)
    {
        // Warm up the JIT and caches.
        for (var i = 0; i < 5; i++)
        {
            await col.SearchAsync(new SearchRequest { Vector = queries[i], Limit = 10 }, ct);
        }

        var latencies = new Latencies();
        var total = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var t = Stopwatch.GetTimestamp();
            await col.SearchAsync(new SearchRequest { Vector = queries[i % queries.Length], Limit = 10 }, ct);
            latencies.Add(t);
        }

        total.Stop();
        return new SearchResult("exact-search", count, count / total.Elapsed.TotalSeconds, latencies.Percentile(50), latencies.Percentile(99));
    }

    private sealed record OpenResult(string Kind, int Runs, double MedianMs, long SnapshotBytes);

    private static async Task<OpenResult> OpenTimeAsync(string path, CancellationToken ct)
    {
        var times = new List<double>();
        long bytes = 0;
        for (var run = 0; run < 3; run++)
        {
            var t = Stopwatch.StartNew();
            var db = await RoseForestDatabase.OpenAsync(path, cancellationToken: ct);
            t.Stop();
            var col = db.GetCollection("bench");
            if (col.Recovery?.SnapshotFile is not { } snapshot)
            {
                throw new InvalidOperationException("expected the collection to open from a snapshot");
            }

            bytes = new FileInfo(snapshot).Length;
            times.Add(t.Elapsed.TotalMilliseconds);
            await db.DisposeAsync();
        }

        return new OpenResult("open", times.Count, times.Order().ElementAt(times.Count / 2), bytes);
    }
}
