using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Npgsql;
using RoseForest.Host;

namespace RoseForest.Bench;

/// <summary>
/// Issue 17's numbers, all through the REST API over loopback in one run: a plain server (the
/// peer), then 1, 2 and 3 cluster nodes in this process on one PostgreSQL (write throughput and
/// query QPS); single-point write latency with write_consistency_factor 1 and 2; and the
/// catch-up time of a replica whose node missed N writes. Random vectors (fixed seed), batches of
/// 100, k = 10. Every node shares the machine's cores with PostgreSQL and the client, so the
/// node counts measure the cluster's overhead, not scaling.
/// </summary>
internal static class ClusterBench
{
    public static async Task<int> RunAsync(string pg, int points, int queries, int dim, int connections, int missed, string? jsonPath, CancellationToken ct)
    {
        Console.WriteLine($"machine: {MachineInfo.Describe()}");
        var random = new Random(42);
        var vectors = Enumerable.Range(0, Math.Max(points, missed)).Select(_ => Enumerable.Range(0, dim).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray()).ToArray();
        var queryBodies = Enumerable.Range(0, queries).Select(i => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { query = vectors[(i * 7919) % points], limit = 10 }))).ToArray();
        var upserts = Enumerable.Range(0, points / 100).Select(b => Upsert(vectors, b * 100, 100)).ToArray();
        var root = Path.Combine(Path.GetTempPath(), "roseforest-cluster-bench-" + Guid.NewGuid().ToString("N"));
        var results = new Dictionary<string, object> { ["machine"] = MachineInfo.Describe(), ["points"] = points, ["queries"] = queries, ["dim"] = dim, ["connections"] = connections };
        try
        {
            // The peer: one plain server, no cluster.
            await using (var single = await RoseForestServer.StartAsync(new ServerOptions { Port = 0, DataPath = Path.Combine(root, "single") }, ct, Quiet))
            {
                results["single"] = await ThroughputAsync("single server", [single], upserts, queryBodies, dim, connections, "", ct);
            }

            foreach (var n in new[] { 1, 2, 3 })
            {
                await using var nodes = await Nodes.StartAsync(pg, Path.Combine(root, $"c{n}"), n, ct);
                var rf = Math.Min(2, n);
                results[$"cluster_{n}"] = await ThroughputAsync($"cluster, {n} node(s), shard_number {n}, replication_factor {rf}", nodes.Servers, upserts, queryBodies, dim, connections, $",\"shard_number\":{n},\"replication_factor\":{rf}", ct);
            }

            // Write latency: one point per request, one at a time, write_consistency_factor 1 vs 2.
            await using (var nodes = await Nodes.StartAsync(pg, Path.Combine(root, "wcf"), 3, ct))
            {
                var http = Client(nodes.Servers[0], 1);
                foreach (var wcf in new[] { 1, 2 })
                {
                    await SendAsync(http, HttpMethod.Put, $"collections/w{wcf}", Encoding.UTF8.GetBytes($$"""{"vectors":{"size":{{dim}},"distance":"Cosine"},"shard_number":3,"replication_factor":2,"write_consistency_factor":{{wcf}}}"""), ct);
                    var bodies = Enumerable.Range(0, 400).Select(i => Upsert(vectors, i, 1)).ToArray();
                    var run = await RunAsync(bodies.Length, 1, i => SendAsync(http, HttpMethod.Put, $"collections/w{wcf}/points?wait=true", bodies[i], ct));
                    Console.WriteLine($"write latency, write_consistency_factor {wcf}: p50 {run.P50:F2} ms, p99 {run.P99:F2} ms");
                    results[$"write_latency_wcf{wcf}"] = new { p50_ms = run.P50, p99_ms = run.P99 };
                }
            }

            // Catch-up: a node is stopped, `missed` points are written, the node restarts on its folder.
            await using (var nodes = await Nodes.StartAsync(pg, Path.Combine(root, "catchup"), 2, ct))
            {
                var http = Client(nodes.Servers[0], connections);
                await SendAsync(http, HttpMethod.Put, "collections/k", Encoding.UTF8.GetBytes($$"""{"vectors":{"size":{{dim}},"distance":"Cosine"},"shard_number":2,"replication_factor":2}"""), ct);
                await nodes.StopAsync(1);
                var missedBodies = Enumerable.Range(0, missed / 500).Select(b => Upsert(vectors, b * 500, 500)).ToArray();
                var write = await RunAsync(missedBodies.Length, connections, i => SendAsync(http, HttpMethod.Put, "collections/k/points?wait=true", missedBodies[i], ct));
                var clock = Stopwatch.StartNew();
                await nodes.RestartAsync(1, ct);
                while (!await CaughtUpAsync(http, "k", ct))
                {
                    await Task.Delay(100, ct);
                }

                Console.WriteLine($"catch-up after {missed} missed writes ({missed / write.Seconds:F0} points/s while the node was down): {clock.Elapsed.TotalSeconds:F1} s from restart to every replica active and caught up");
                results["catch_up"] = new { missed_points = missed, seconds = clock.Elapsed.TotalSeconds };
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

    private static void Quiet(ILoggingBuilder l) => l.SetMinimumLevel(LogLevel.Warning);

    internal static HttpClient Client(RoseForestServer server, int connections) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };

    private static async Task<object> ThroughputAsync(string label, List<RoseForestServer> servers, byte[][] upserts, byte[][] queryBodies, int dim, int connections, string clusterFields, CancellationToken ct)
    {
        var clients = servers.Select(s => Client(s, connections)).ToList();
        await SendAsync(clients[0], HttpMethod.Put, "collections/b", Encoding.UTF8.GetBytes($$"""{"vectors":{"size":{{dim}},"distance":"Cosine"}{{clusterFields}}}"""), ct);
        var write = await RunAsync(upserts.Length, connections, i => SendAsync(clients[0], HttpMethod.Put, "collections/b/points?wait=true", upserts[i], ct));
        await RunAsync(Math.Min(200, queryBodies.Length), connections, i => SendAsync(clients[i % clients.Count], HttpMethod.Post, "collections/b/points/query", queryBodies[i], ct));
        var query = await RunAsync(queryBodies.Length, connections, i => SendAsync(clients[i % clients.Count], HttpMethod.Post, "collections/b/points/query", queryBodies[i], ct));
        var pointsPerSecond = upserts.Length * 100 / write.Seconds;
        var qps = queryBodies.Length / query.Seconds;
        Console.WriteLine($"{label}: upsert {pointsPerSecond:F0} points/s (batch p50 {write.P50:F1} ms), query {qps:F0} QPS (p50 {query.P50:F2} ms, p99 {query.P99:F2} ms)");
        foreach (var c in clients)
        {
            c.Dispose();
        }

        return new { points_per_second = pointsPerSecond, qps, query_p50_ms = query.P50, query_p99_ms = query.P99 };
    }

    internal static async Task<bool> CaughtUpAsync(HttpClient http, string collection, CancellationToken ct)
    {
        using var response = await http.GetAsync($"collections/{collection}/cluster", ct);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("result");
        var replicas = body.GetProperty("local_shards").EnumerateArray().Concat(body.GetProperty("remote_shards").EnumerateArray()).ToList();
        return replicas.Count > 0 && replicas.All(r => r.GetProperty("state").GetString() == "Active" && r.GetProperty("roseforest_applied_seq").GetInt64() == r.GetProperty("roseforest_last_seq").GetInt64());
    }

    private static byte[] Upsert(float[][] vectors, int from, int count) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { points = Enumerable.Range(from, count).Select(i => new { id = i, vector = vectors[i] }) }));

    internal static async Task SendAsync(HttpClient http, HttpMethod method, string path, byte[] body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }
    }

    internal sealed record Run(double Seconds, double P50, double P99);

    internal static async Task<Run> RunAsync(int count, int workers, Func<int, Task> operation)
    {
        var next = -1;
        var latencies = new Latencies();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= count)
                {
                    break;
                }

                var t = Stopwatch.GetTimestamp();
                await operation(i);
                lock (latencies)
                {
                    latencies.Add(t);
                }
            }
        })));
        return new Run(clock.Elapsed.TotalSeconds, latencies.Percentile(50), latencies.Percentile(99));
    }

    /// <summary>Cluster nodes in this process, each with its own folder, on a fresh PostgreSQL database.</summary>
    internal sealed class Nodes : IAsyncDisposable
    {
        private readonly List<string> _folders = [];
        private string _connectionString = string.Empty;

        public List<RoseForestServer> Servers { get; } = [];

        public static async Task<Nodes> StartAsync(string pg, string root, int count, CancellationToken ct)
        {
            var database = "rf_bench_" + Guid.NewGuid().ToString("N")[..10];
            await using (var connection = new NpgsqlConnection(pg))
            {
                await connection.OpenAsync(ct);
                await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
                await create.ExecuteNonQueryAsync(ct);
            }

            var nodes = new Nodes { _connectionString = new NpgsqlConnectionStringBuilder(pg) { Database = database }.ConnectionString };
            for (var i = 0; i < count; i++)
            {
                nodes._folders.Add(Path.Combine(root, $"node{i}"));
                nodes.Servers.Add(await nodes.StartOneAsync(i, ct));
            }

            return nodes;
        }

        private Task<RoseForestServer> StartOneAsync(int i, CancellationToken ct) =>
            RoseForestServer.StartAsync(new ServerOptions { Port = 0, DataPath = _folders[i], Cluster = _connectionString }, ct, Quiet);

        public async Task StopAsync(int i) => await Servers[i].DisposeAsync();

        public async Task RestartAsync(int i, CancellationToken ct) => Servers[i] = await StartOneAsync(i, ct);

        public async ValueTask DisposeAsync()
        {
            foreach (var server in Servers)
            {
                await server.DisposeAsync();
            }

            NpgsqlConnection.ClearAllPools();
        }
    }
}
