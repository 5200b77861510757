using System.Globalization;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace RoseForest.Knowledge.Http.Tests;

/// <summary>
/// Three real <c>roseforest serve</c> processes on loopback, continuous sync jobs in a ring or a
/// star, random writes and deletes on each (points, and knowledge), and one server SIGKILLed in the
/// middle of it all and started again on the same folder. Once the writes stop and sync settles,
/// the three hold the same points and records (content hashes) and the same knowledge, and no
/// acknowledged write is lost: each point a single server owns ends as that server's last
/// acknowledged write (or a later one whose answer the kill swallowed); each point all three wrote
/// ends as one of the values written to it.
/// </summary>
public sealed class MultiProcessSyncTests(ITestOutputHelper output)
{
    private const int OpsPerWriter = 120;

    [Theory]
    [InlineData("ring", 11)]
    [InlineData("star", 12)]
    public async Task Three_servers_converge_with_no_acknowledged_write_lost_after_a_SIGKILL_mid_sync(string topology, int seed)
    {
        using var root = new TempDir();
        var names = new[] { "n-a", "n-b", "n-c" };
        var servers = names.Select(n => new ServeProcess(n, Path.Combine(root.Path, n), "--node-id", n, "--embedder", "hashing", "--knowledge-rate-limit", "0", "--node-key", $"key-{n}=author-{n}")).ToArray();
        await using var a = servers[0];
        await using var b = servers[1];
        await using var c = servers[2];
        await Task.WhenAll(servers.Select(s => s.StartAsync()));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        foreach (var s in servers)
        {
            await SendAsync(http, s, HttpMethod.Put, "collections/c", """{"vectors":{"size":8,"distance":"Euclid"}}""");
        }

        // Continuous full-sync jobs (points and knowledge): ring a-b-c-a, or star with a at the hub.
        (ServeProcess At, ServeProcess Remote)[] jobs = topology == "ring" ? [(a, b), (b, c), (c, a)] : [(b, a), (c, a)];
        foreach (var (at, remote) in jobs)
        {
            await SendAsync(http, at, HttpMethod.Post, "sync/jobs", $$"""{"remote":"{{remote.BaseAddress}}","mode":"full","continuous":true,"interval_ms":100}""");
        }

        // Writers: each owns a range of ids and shares a few with the others. b dies a third of the way.
        var writers = servers.Select((s, i) => new Writer(s, i, seed)).ToArray();
        var killed = new TaskCompletionSource();
        var writing = writers.Select(w => Task.Run(() => w.RunAsync(http, w.Server == b ? killed : null))).ToList();
        await killed.Task.WaitAsync(TimeSpan.FromMinutes(2));
        await b.KillAsync();
        await Task.Delay(500);
        await b.StartAsync();
        b.Restarted = true;
        await Task.WhenAll(writing).WaitAsync(TimeSpan.FromMinutes(2));

        // Settle: the three agree on points and knowledge, twice in a row.
        var agreed = await SettleAsync(http, servers);
        Assert.True(agreed is not null, "the servers did not converge within 90 s:\n" + string.Join("\n", servers.Select(s => $"--- {s.Name}\n{Tail(s.Log)}")));

        var points = await ReadAllAsync(http, a);
        output.WriteLine($"{topology}: {points.Count} points; acknowledged writes {string.Join(", ", writers.Select(w => $"{w.Server.Name} {w.Acknowledged}/{w.Attempted}"))}; agreed on {agreed}");
        Assert.True(points.Count > 30, $"only {points.Count} points");
        Assert.All(writers, w => Assert.True(w.Acknowledged > OpsPerWriter / 2, $"{w.Server.Name}: {w.Acknowledged} acknowledged"));
        foreach (var writer in writers)
        {
            writer.CheckOwned(points);
        }

        Writer.CheckShared(points, writers);
        var knowledge = await SendAsync(http, a, HttpMethod.Get, "knowledge?limit=1000");
        var published = knowledge.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("knowledge_id").GetString()!).ToHashSet();
        foreach (var writer in writers)
        {
            Assert.Subset(published, writer.AcknowledgedKnowledge.ToHashSet());
        }
    }

    private static async Task<string?> SettleAsync(HttpClient http, ServeProcess[] servers)
    {
        string? last = null;
        for (var attempt = 0; attempt < 180; attempt++)
        {
            await Task.Delay(500);
            try
            {
                var hashes = new List<string>();
                foreach (var s in servers)
                {
                    var points = await SendAsync(http, s, HttpMethod.Get, "sync/collections/c/hash");
                    var knowledge = await SendAsync(http, s, HttpMethod.Get, "sync/knowledge/hash");
                    hashes.Add($"{points.GetProperty("content_hash").GetString()}/{points.GetProperty("records_hash").GetString()}/{knowledge.GetProperty("content_hash").GetString()}");
                }

                var now = hashes.All(h => h == hashes[0]) ? hashes[0] : null;
                if (now is not null && now == last)
                {
                    return now;
                }

                last = now;
            }
            catch (HttpRequestException)
            {
                last = null;
            }
        }

        return null;
    }

    private static async Task<Dictionary<int, (float[] Vector, JsonElement Payload)>> ReadAllAsync(HttpClient http, ServeProcess server)
    {
        var body = await SendAsync(http, server, HttpMethod.Post, "collections/c/points/scroll", """{"limit":10000,"with_vector":true,"with_payload":true}""");
        return body.GetProperty("result").GetProperty("points").EnumerateArray().ToDictionary(
            p => p.GetProperty("id").GetInt32(),
            p => (p.GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()).ToArray(), p.GetProperty("payload").Clone()));
    }

    internal static async Task<JsonElement> SendAsync(HttpClient http, ServeProcess server, HttpMethod method, string path, string? json = null, string? authorization = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(server.BaseAddress, path));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{method} {path} on {server.Name} answered {(int)response.StatusCode}: {text}", null, response.StatusCode);
        }

        return JsonElement.Parse(text);
    }

    private static string Tail(string log) => log.Length > 4000 ? log[^4000..] : log;

    /// <summary>
    /// Random upserts and deletes through one server's REST API, remembering for every id the writes
    /// in order and whether each was acknowledged (2xx), refused (4xx: nothing written) or unknown
    /// (the connection broke: the kill).
    /// </summary>
    private sealed class Writer(ServeProcess server, int index, int seed)
    {
        public const int SharedFirst = 5000;
        private readonly Random _random = new(seed * 31 + index);
        private readonly Dictionary<int, List<(string? Value, bool? Acknowledged)>> _history = [];

        public ServeProcess Server { get; } = server;

        public List<string> AcknowledgedKnowledge { get; } = [];

        public int Acknowledged => _history.Values.Sum(l => l.Count(w => w.Acknowledged == true));

        public int Attempted => _history.Values.Sum(l => l.Count);

        private int OwnedFirst => (index + 1) * 1000;

        public async Task RunAsync(HttpClient http, TaskCompletionSource? killAt)
        {
            for (var op = 0; op < OpsPerWriter; op++)
            {
                if (killAt is not null && op == OpsPerWriter / 3)
                {
                    killAt.TrySetResult();
                    while (!Server.Restarted)
                    {
                        await TryAsync(http, op, write: true); // writes during the outage: connection refused, or swallowed by the kill
                        await Task.Delay(50);
                    }
                }

                await TryAsync(http, op, write: true);
                if (op % 20 == 0)
                {
                    await PublishAsync(http, op);
                }
            }
        }

        private async Task TryAsync(HttpClient http, int op, bool write)
        {
            var shared = _random.Next(10) == 0;
            var id = shared ? SharedFirst + _random.Next(5) : OwnedFirst + _random.Next(40);
            var delete = !shared && _random.Next(5) == 0;
            var value = delete ? null : $"{Server.Name}:{op}:{_random.Next(1000)}";
            var json = delete
                ? $$"""{"points":[{{id}}]}"""
                : $$$"""{"points":[{"id":{{{id}}},"vector":[{{{Vector(value!)}}}],"payload":{"value":"{{{value}}}","by":"{{{Server.Name}}}"}}]}""";
            bool? acknowledged;
            try
            {
                await SendAsync(http, Server, delete ? HttpMethod.Post : HttpMethod.Put, delete ? "collections/c/points/delete?wait=true" : "collections/c/points?wait=true", json);
                acknowledged = true;
            }
            catch (HttpRequestException e) when (e.StatusCode is { } status && (int)status is >= 400 and < 500)
            {
                acknowledged = false;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                acknowledged = null; // refused before it arrived, or the process died with it in flight
            }

            if (!_history.TryGetValue(id, out var list))
            {
                list = [];
                _history[id] = list;
            }

            list.Add((value, acknowledged));
        }

        private async Task PublishAsync(HttpClient http, int op)
        {
            var id = $"k-{Server.Name}-{op}";
            var package = $$$"""{"knowledge_id":"{{{id}}}","content":{"text":"Fact {{{op}}} from {{{Server.Name}}}","generated_by":"author-{{{Server.Name}}}"},"confidence":{"overall":0.8},"reasoning_trace":{"method":"test","steps":[]},"metadata":{"domain":"sync","type_":"fact"}}""";
            try
            {
                await SendAsync(http, Server, HttpMethod.Post, "knowledge", package, $"key-{Server.Name}");
                AcknowledgedKnowledge.Add(id);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
        }

        /// <summary>Each owned id ends as its last acknowledged write, or as a later write whose answer was lost.</summary>
        public void CheckOwned(Dictionary<int, (float[] Vector, JsonElement Payload)> points)
        {
            foreach (var (id, writes) in _history.Where(h => h.Key < SharedFirst))
            {
                var lastAcknowledged = writes.FindLastIndex(w => w.Acknowledged == true);
                var allowed = writes.Skip(Math.Max(0, lastAcknowledged)).Where((w, i) => i == 0 && lastAcknowledged >= 0 || w.Acknowledged is null).Select(w => w.Value).ToList();
                if (lastAcknowledged < 0)
                {
                    allowed.Add(null); // nothing acknowledged: absent is fine too
                }

                var actual = points.TryGetValue(id, out var p) ? p.Payload.GetProperty("value").GetString() : null;
                Assert.True(allowed.Contains(actual), $"point {id} on {Server.Name} is {actual ?? "absent"}; allowed: {string.Join(", ", allowed.Select(v => v ?? "absent"))}");
                if (actual is not null)
                {
                    Assert.Equal(Vector(actual), string.Join(",", points[id].Vector.Select(f => f.ToString("R", CultureInfo.InvariantCulture))));
                }
            }
        }

        /// <summary>Each shared id ends as one of the values written to it by anyone (shared ids are never deleted).</summary>
        public static void CheckShared(Dictionary<int, (float[] Vector, JsonElement Payload)> points, Writer[] writers)
        {
            foreach (var id in writers.SelectMany(w => w._history.Keys).Where(k => k >= SharedFirst).Distinct())
            {
                var written = writers.SelectMany(w => w._history.GetValueOrDefault(id) ?? []).Where(w => w.Acknowledged != false).Select(w => w.Value).ToHashSet();
                var anyAcknowledged = writers.Any(w => (w._history.GetValueOrDefault(id) ?? []).Any(x => x.Acknowledged == true));
                var actual = points.TryGetValue(id, out var p) ? p.Payload.GetProperty("value").GetString() : null;
                Assert.True(actual is not null || !anyAcknowledged, $"shared point {id} was written and acknowledged but is absent");
                if (actual is not null)
                {
                    Assert.Contains(actual, written);
                }
            }
        }

        private static string Vector(string value)
        {
            var hash = value.Aggregate(17, (h, ch) => unchecked((h * 31) + ch));
            return string.Join(",", Enumerable.Range(0, 8).Select(i => ((float)(((hash >> i) & 0xff) / 16.0)).ToString("R", CultureInfo.InvariantCulture)));
        }
    }
}
