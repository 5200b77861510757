using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RoseForest.Datasets;
using RoseForest.Engine;
using RoseForest.Host;

namespace RoseForest.Bench;

/// <summary>
/// Issue 3's numbers: the same upserts (batches of 100 Fashion-MNIST vectors) and queries (k=10,
/// HNSW defaults) through the REST API over loopback with N concurrent connections, and against
/// the engine in-process with N concurrent tasks; their ratio is the HTTP overhead. Request
/// bodies are serialized before the clock starts, so the client's JSON work is not counted. The
/// load is bounded by count (all 60,000 points, a fixed number of queries) and aims at 127.0.0.1.
/// </summary>
internal static class HttpBench
{
    public static async Task<int> RunAsync(string datasetDir, int connections, int queries, string? jsonPath, CancellationToken ct)
    {
        Console.WriteLine($"machine: {MachineInfo.Describe()}");
        var train = FashionMnist.Train(datasetDir);
        var test = FashionMnist.Test(datasetDir);
        var batches = train.Chunk(100).Select((chunk, b) => chunk.Select((v, i) => new PointStruct((ulong)((b * 100) + i), v)).ToArray()).ToArray();
        var root = Path.Combine(Path.GetTempPath(), "roseforest-http-bench-" + Guid.NewGuid().ToString("N"));
        var results = new Dictionary<string, object>();
        var rates = new Dictionary<string, double>();
        try
        {
            await using (var server = await RoseForestServer.StartAsync(new ServerOptions { Port = 0, DataPath = Path.Combine(root, "http") }, ct, l => l.SetMinimumLevel(LogLevel.Warning)))
            {
                using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
                await SendAsync(http, HttpMethod.Put, "collections/fm", Encoding.UTF8.GetBytes("""{"vectors":{"size":784,"distance":"Euclid"}}"""), ct);
                var upsertBodies = batches.Select(UpsertBody).ToArray();
                var upsert = await RunConcurrentAsync(upsertBodies.Length, connections, i => SendAsync(http, HttpMethod.Put, "collections/fm/points?wait=true", upsertBodies[i], ct));
                Report(results, rates, "http_upsert", upsert, train.Length, "points");

                var queryBodies = Enumerable.Range(0, queries).Select(i => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { query = test[i % test.Length], limit = 10 }))).ToArray();
                await RunConcurrentAsync(Math.Min(500, queries), connections, i => SendAsync(http, HttpMethod.Post, "collections/fm/points/query", queryBodies[i], ct));
                var query = await RunConcurrentAsync(queries, connections, i => SendAsync(http, HttpMethod.Post, "collections/fm/points/query", queryBodies[i], ct));
                Report(results, rates, "http_query", query, queries, "queries");
            }

            await using (var db = await RoseForestDatabase.OpenAsync(Path.Combine(root, "embedded"), cancellationToken: ct))
            {
                var col = await db.CreateCollectionAsync("fm", new CollectionOptions { Dimension = 784, Geometry = Geometry.Euclid }, ct);
                var upsert = await RunConcurrentAsync(batches.Length, connections, i => col.UpsertAsync(batches[i], cancellationToken: ct));
                Report(results, rates, "inprocess_upsert", upsert, train.Length, "points");

                await RunConcurrentAsync(Math.Min(500, queries), connections, i => col.SearchAsync(new SearchRequest { Vector = test[i % test.Length], Limit = 10 }, ct).AsTask());
                var query = await RunConcurrentAsync(queries, connections, i => col.SearchAsync(new SearchRequest { Vector = test[i % test.Length], Limit = 10 }, ct).AsTask());
                Report(results, rates, "inprocess_query", query, queries, "queries");
            }

            var ratioUpsert = rates["inprocess_upsert"] / rates["http_upsert"];
            var ratioQuery = rates["inprocess_query"] / rates["http_query"];
            Console.WriteLine($"in-process / HTTP: upsert {ratioUpsert:F2}x, query {ratioQuery:F2}x");
            results["connections"] = connections;
            results["machine"] = MachineInfo.Describe();
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

    private static byte[] UpsertBody(PointStruct[] batch)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteStartArray("points");
            foreach (var p in batch)
            {
                w.WriteStartObject();
                w.WriteNumber("id", p.Id.Number);
                w.WriteStartArray("vector");
                foreach (var x in p.Vector!)
                {
                    w.WriteNumberValue(x);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static async Task SendAsync(HttpClient http, HttpMethod method, string path, byte[] body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }
    }

    private sealed record Run(double Seconds, Latencies Latencies);

    /// <summary>Runs <paramref name="count"/> operations with <paramref name="workers"/> in flight at a time, timing each.</summary>
    private static async Task<Run> RunConcurrentAsync(int count, int workers, Func<int, Task> operation)
    {
        var next = -1;
        var latencies = new Latencies();
        var clock = Stopwatch.StartNew();
        // Task.Run: an in-process search completes synchronously, so without it the "concurrent"
        // workers would run one after another on one thread.
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
        return new Run(clock.Elapsed.TotalSeconds, latencies);
    }

    private static void Report(Dictionary<string, object> results, Dictionary<string, double> rates, string name, Run run, int items, string unit)
    {
        var rate = items / run.Seconds;
        rates[name] = rate;
        results[name] = new { rate, unit = unit + "/s", seconds = run.Seconds, p50_ms = run.Latencies.Percentile(50), p99_ms = run.Latencies.Percentile(99), requests = run.Latencies.Count };
        Console.WriteLine($"{name,-18} {rate,10:N0} {unit}/s   per request p50 {run.Latencies.Percentile(50),8:F2} ms  p99 {run.Latencies.Percentile(99),8:F2} ms   ({run.Latencies.Count} requests, {run.Seconds:F1} s)");
    }
}
