using System.Diagnostics;
using System.Text;
using System.Text.Json;
using RoseForest.Datasets;

namespace RoseForest.Bench;

/// <summary>
/// Locality sharding (issue 17): Fashion-MNIST (784-d, Euclid) in a locality-sharded collection
/// on in-process cluster nodes; recall@10 (against brute force over the same points) and QPS of
/// nearest queries through REST that visit the 1, 2, 4 … nearest shards (<c>?probe=n</c>), and
/// every shard (no probe: the baseline). The first upsert (the training sample) trains the
/// centroids. All nodes, PostgreSQL and the client share the machine's cores.
/// </summary>
internal static class ClusterLocalityBench
{
    public static async Task<int> RunAsync(string pg, string dataset, int points, int queries, int shards, int nodeCount, int sample, int connections, string? jsonPath, CancellationToken ct)
    {
        Console.WriteLine($"machine: {MachineInfo.Describe()}");
        var train = FashionMnist.Train(dataset).Take(points).ToArray();
        var test = FashionMnist.Test(dataset).Take(queries).ToArray();
        var truth = GroundTruth(train, test, 10);
        var root = Path.Combine(Path.GetTempPath(), "roseforest-locality-bench-" + Guid.NewGuid().ToString("N"));
        var results = new Dictionary<string, object> { ["machine"] = MachineInfo.Describe(), ["points"] = train.Length, ["queries"] = test.Length, ["shards"] = shards, ["nodes"] = nodeCount, ["training_sample"] = sample };
        try
        {
            await using var nodes = await ClusterBench.Nodes.StartAsync(pg, root, nodeCount, ct);
            var http = ClusterBench.Client(nodes.Servers[0], connections);
            await ClusterBench.SendAsync(http, HttpMethod.Put, "collections/loc", Encoding.UTF8.GetBytes($$"""{"vectors":{"size":{{train[0].Length}},"distance":"Euclid"},"shard_number":{{shards}},"replication_factor":1,"sharding_method":"locality"}"""), ct);
            var clock = Stopwatch.StartNew();
            await ClusterBench.SendAsync(http, HttpMethod.Put, "collections/loc/points?wait=true", Upsert(train, 0, Math.Min(sample, train.Length)), ct);
            var batches = Enumerable.Range(0, (train.Length - sample + 499) / 500).Select(b => Upsert(train, sample + (b * 500), Math.Min(500, train.Length - sample - (b * 500)))).ToArray();
            await ClusterBench.RunAsync(batches.Length, connections, i => ClusterBench.SendAsync(http, HttpMethod.Put, "collections/loc/points?wait=true", batches[i], ct));
            while (!await ClusterBench.CaughtUpAsync(http, "loc", ct))
            {
                await Task.Delay(200, ct);
            }

            Console.WriteLine($"loaded {train.Length} points in {clock.Elapsed.TotalSeconds:F1} s");
            var sizes = nodes.Servers.SelectMany(s => s.Cluster!.Engine.ListCollections().Where(n => n.StartsWith("shard_", StringComparison.Ordinal)).Select(n => s.Cluster.Engine.GetCollectionInfo(n).PointsCount)).OrderDescending().ToList();
            Console.WriteLine($"points per shard: {string.Join(", ", sizes)}");
            results["points_per_shard"] = sizes;

            var clients = nodes.Servers.Select(s => ClusterBench.Client(s, connections)).ToList();
            var probes = new[] { 1, 2, 4 }.Where(p => p < shards).Select(p => (int?)p).Append(null).ToList();
            foreach (var probe in probes)
            {
                var path = probe is { } n ? $"collections/loc/points/query?probe={n}" : "collections/loc/points/query";
                var bodies = test.Select(q => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { query = q, limit = 10 }))).ToArray();
                var found = new ulong[test.Length][];
                await ClusterBench.RunAsync(Math.Min(50, bodies.Length), connections, i => QueryAsync(clients[i % clients.Count], path, bodies[i], ct));
                var run = await ClusterBench.RunAsync(bodies.Length, connections, async i => found[i] = await QueryAsync(clients[i % clients.Count], path, bodies[i], ct));
                var recall = found.Select((ids, i) => ids.Count(id => truth[i].Contains(id)) / 10.0).Average();
                var label = probe is { } m ? $"probe {m} of {shards} shards" : $"all {shards} shards";
                Console.WriteLine($"{label}: recall@10 {recall:F4}, {bodies.Length / run.Seconds:F0} QPS (p50 {run.P50:F2} ms, p99 {run.P99:F2} ms)");
                results[probe is { } k ? $"probe_{k}" : "all"] = new { recall_at_10 = recall, qps = bodies.Length / run.Seconds, p50_ms = run.P50, p99_ms = run.P99 };
            }

            foreach (var c in clients)
            {
                c.Dispose();
            }

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
    }

    private static async Task<ulong[]> QueryAsync(HttpClient http, string path, byte[] body, CancellationToken ct)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(path, content, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
        }

        return [.. JsonDocument.Parse(text).RootElement.GetProperty("result").GetProperty("points").EnumerateArray().Select(p => p.GetProperty("id").GetUInt64())];
    }

    private static byte[] Upsert(float[][] vectors, int from, int count) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { points = Enumerable.Range(from, count).Select(i => new { id = i, vector = vectors[i] }) }));

    /// <summary>The exact 10 nearest (squared L2) ids of every query, by brute force.</summary>
    private static HashSet<ulong>[] GroundTruth(float[][] data, float[][] queries, int k)
    {
        var truth = new HashSet<ulong>[queries.Length];
        Parallel.For(0, queries.Length, q =>
        {
            var best = new PriorityQueue<int, float>(Comparer<float>.Create((a, b) => b.CompareTo(a)));
            for (var i = 0; i < data.Length; i++)
            {
                float sum = 0;
                var a = data[i];
                var b = queries[q];
                for (var d = 0; d < a.Length; d++)
                {
                    var diff = a[d] - b[d];
                    sum += diff * diff;
                }

                if (best.Count < k)
                {
                    best.Enqueue(i, sum);
                }
                else if (best.TryPeek(out _, out var worst) && sum < worst)
                {
                    best.DequeueEnqueue(i, sum);
                }
            }

            truth[q] = [.. best.UnorderedItems.Select(x => (ulong)x.Element)];
        });
        return truth;
    }
}
