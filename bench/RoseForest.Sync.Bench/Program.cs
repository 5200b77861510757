using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using RoseForest.Embeddings.Hashing;
using RoseForest.Host;
using RoseForest.Knowledge.Http;

// roseforest-sync-bench: sync throughput between two servers over loopback HTTP, and the time to
// converge after a partition heals. Usage:
//   roseforest-sync-bench [--points 20000] [--dims 784,384] [--batch 256] [--updates 2000] [--index hnsw|none] [--json FILE]
var settings = Settings.Parse(args);
var results = new JsonArray();
await Bench.ThroughputAsync(settings with { Points = 1000 }, settings.Dims[0], quiet: true); // warm-up: JIT and first-use costs out of the numbers
foreach (var dim in settings.Dims)
{
    results.Add(await Bench.ThroughputAsync(settings, dim));
}

results.Add(await Bench.PartitionAsync(settings, settings.Dims[^1]));
if (settings.Json is { } path)
{
    await File.WriteAllTextAsync(path, results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
}

internal sealed record Settings(int Points, int[] Dims, int Batch, int Updates, bool Index, string? Json)
{
    public static Settings Parse(string[] args)
    {
        var map = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            map[args[i]] = args[i + 1];
        }

        int Int(string name, int fallback) => map.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var dims = map.TryGetValue("--dims", out var d) ? d.Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray() : [784, 384];
        return new Settings(Int("--points", 20_000), dims, Int("--batch", 256), Int("--updates", 2_000), !map.TryGetValue("--index", out var ix) || ix != "none", map.GetValueOrDefault("--json"));
    }
}

internal static class Bench
{
    /// <summary>A has the points; B pulls them with one one-shot job. Points/s over the job's wall time.</summary>
    public static async Task<JsonObject> ThroughputAsync(Settings s, int dim, bool quiet = false)
    {
        await using var a = await Node.StartAsync("bench-a");
        await using var b = await Node.StartAsync("bench-b");
        await a.CreateAsync(dim, s.Index);
        await b.CreateAsync(dim, s.Index); // so the receiving side has the same index settings (a job creates collections with the defaults)
        var random = new Random(42);
        var load = Stopwatch.StartNew();
        for (var start = 0; start < s.Points; start += 1000)
        {
            await a.UpsertAsync(Enumerable.Range(start, Math.Min(1000, s.Points - start)), dim, random, "v0");
        }

        var loadRate = s.Points / load.Elapsed.TotalSeconds; // the same engine ingesting the same points over REST, for scale
        await a.HashAsync(); // let a's tracker take in every write before timing
        var clock = Stopwatch.StartNew();
        var job = await b.SyncAsync(a, s.Batch, "pull");
        var seconds = clock.Elapsed.TotalSeconds;
        var same = await a.HashAsync() == await b.HashAsync();
        var rate = s.Points / seconds;
        if (!quiet)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sync pull {s.Points} points, {dim}-d, batch {s.Batch}, index {(s.Index ? "hnsw" : "none")}: {seconds:F2} s, {rate:F0} points/s (REST upsert of the same points, batches of 1000: {loadRate:F0} points/s), same content: {same}, job {job}"));
        }

        return new JsonObject
        {
            ["bench"] = "throughput", ["points"] = s.Points, ["dim"] = dim, ["batch"] = s.Batch, ["index"] = s.Index ? "hnsw" : "none",
            ["seconds"] = seconds, ["points_per_second"] = rate, ["rest_upsert_points_per_second"] = loadRate, ["same_content"] = same,
        };
    }

    /// <summary>
    /// A and B start in sync; the partition: each side updates and deletes points on its own
    /// (overlapping ids: concurrent versions); the heal: one bidirectional job. Time until both
    /// hold the same content.
    /// </summary>
    public static async Task<JsonObject> PartitionAsync(Settings s, int dim)
    {
        await using var a = await Node.StartAsync("bench-a");
        await using var b = await Node.StartAsync("bench-b");
        await a.CreateAsync(dim, s.Index);
        await b.CreateAsync(dim, s.Index);
        var random = new Random(7);
        var baseline = Math.Max(s.Updates * 2, 10_000);
        for (var start = 0; start < baseline; start += 1000)
        {
            await a.UpsertAsync(Enumerable.Range(start, Math.Min(1000, baseline - start)), dim, random, "v0");
        }

        await b.SyncAsync(a, s.Batch, "both");

        // Partition: no job runs. Each side writes s.Updates points; half of b's overlap a's.
        var aIds = Enumerable.Range(0, s.Updates).ToList();
        var bIds = Enumerable.Range(s.Updates / 2, s.Updates).ToList();
        for (var i = 0; i < aIds.Count; i += 1000)
        {
            await a.UpsertAsync(aIds.Skip(i).Take(1000), dim, random, "a1");
            await b.UpsertAsync(bIds.Skip(i).Take(1000), dim, random, "b1");
        }

        await a.DeleteAsync(Enumerable.Range(baseline - 100, 50));
        await b.DeleteAsync(Enumerable.Range(baseline - 50, 50));
        await a.HashAsync();
        await b.HashAsync();

        var clock = Stopwatch.StartNew();
        var job = await b.SyncAsync(a, s.Batch, "both");
        var synced = clock.Elapsed.TotalSeconds;
        var (ha, hb) = (await a.HashAsync(), await b.HashAsync());
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"heal after partition, {dim}-d, {baseline} points, {s.Updates} updates on each side ({s.Updates / 2} concurrent), 100 deletes: converged in {seconds:F2} s (job {synced:F2} s), same content: {ha == hb}, job {job}"));
        return new JsonObject
        {
            ["bench"] = "partition", ["points"] = baseline, ["dim"] = dim, ["updates_per_side"] = s.Updates, ["batch"] = s.Batch,
            ["seconds_to_converge"] = seconds, ["job_seconds"] = synced, ["same_content"] = ha == hb,
        };
    }
}

/// <summary>One in-process server (REST and knowledge parts) over a temporary folder.</summary>
internal sealed class Node : IAsyncDisposable
{
    private readonly string _dir;

    private Node(RoseForestServer server, string dir)
    {
        Server = server;
        _dir = dir;
        Http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    public RoseForestServer Server { get; }

    public HttpClient Http { get; }

    public static async Task<Node> StartAsync(string id)
    {
        var dir = Path.Combine(Path.GetTempPath(), "rf-sync-bench-" + Guid.NewGuid().ToString("N"));
        var options = new ServerOptions { Port = 0, DataPath = dir, MaxRequestBodyBytes = 256L << 20 };
        var part = new KnowledgePart(new KnowledgeOptions { NodeId = id, Embedder = new HashingEmbeddingGenerator(64), RequestsPerMinute = 0 });
        var server = await RoseForestServer.StartAsync(options, logging: l => l.SetMinimumLevel(LogLevel.Warning), parts: [new RestPart(), part]);
        return new Node(server, dir);
    }

    public Task CreateAsync(int dim, bool index)
        => SendAsync(HttpMethod.Put, "collections/c", $$$"""{"vectors":{"size":{{{dim}}},"distance":"Euclid"}{{{(index ? "" : ",\"hnsw_config\":{\"m\":0}")}}}}""");

    public Task UpsertAsync(IEnumerable<int> ids, int dim, Random random, string tag)
    {
        var body = new StringBuilder("{\"points\":[");
        var first = true;
        foreach (var id in ids)
        {
            body.Append(first ? "" : ",").Append("{\"id\":").Append(id).Append(",\"vector\":[");
            for (var i = 0; i < dim; i++)
            {
                body.Append(i == 0 ? "" : ",").Append(((float)random.NextDouble()).ToString("R", CultureInfo.InvariantCulture));
            }

            body.Append("],\"payload\":{\"tag\":\"").Append(tag).Append("\",\"n\":").Append(id).Append("}}");
            first = false;
        }

        return SendAsync(HttpMethod.Put, "collections/c/points?wait=true", body.Append("]}").ToString());
    }

    public Task DeleteAsync(IEnumerable<int> ids) => SendAsync(HttpMethod.Post, "collections/c/points/delete?wait=true", $"{{\"points\":[{string.Join(",", ids)}]}}");

    public async Task<string> HashAsync()
    {
        using var doc = JsonDocument.Parse(await SendAsync(HttpMethod.Get, "sync/collections/c/hash", null));
        return doc.RootElement.GetProperty("content_hash").GetString() + "/" + doc.RootElement.GetProperty("records_hash").GetString();
    }

    public async Task<string> SyncAsync(Node remote, int batch, string direction)
    {
        var text = await SendAsync(HttpMethod.Post, "sync/jobs?wait=true", $$"""{"remote":"{{remote.Server.BaseAddress}}","mode":"partial","collections":["c"],"batch_size":{{batch}},"direction":"{{direction}}"}""");
        using var doc = JsonDocument.Parse(text);
        var state = doc.RootElement.GetProperty("state").GetString();
        return state == "completed" ? state! : throw new InvalidOperationException("sync failed: " + text);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<string> SendAsync(HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? text : throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
    }
}
