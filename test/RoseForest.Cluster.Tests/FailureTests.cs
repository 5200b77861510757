using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace RoseForest.Cluster.Tests;

/// <summary>
/// Three real <c>roseforest serve --cluster</c> processes on loopback, under a write and read
/// load: SIGKILL a node, restart it, SIGSTOP a node for 15 s, move a shard. Pass: every
/// acknowledged write is on every active replica of its shard afterwards and in no other shard;
/// no read fails once every live node's breaker for the faulted node has opened (replication factor 2); no session read
/// returns data older than its token; no write outage longer than 15 s.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FailureTests(PostgresFixture pg, ITestOutputHelper output)
{
    private readonly ConcurrentBag<ulong> _acknowledged = [];
    private readonly ConcurrentQueue<long> _writeTimes = new();
    private readonly ConcurrentQueue<(long Sent, long Ended, string Error)> _readErrors = new();
    private readonly ConcurrentQueue<string> _staleSessionReads = new();
    private readonly ConcurrentQueue<(long From, long To)> _faultWindows = new();
    private readonly long _started = TimeProvider.System.GetTimestamp();
    private long _reads;
    private long _sessionReads;
    private long _nextId;

    [Fact]
    public async Task Acknowledged_writes_survive_sigkill_sigstop_restart_and_a_shard_move_under_load()
    {
        var connectionString = await pg.CreateDatabaseAsync();
        using var folders = new TempDir();
        var nodes = Enumerable.Range(0, 3).Select(i => new NodeProcess(connectionString, Path.Combine(folders.Path, $"node{i}"))).ToList();
        try
        {
            foreach (var node in nodes)
            {
                await node.StartAsync();
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
            var (status, body) = await SendAsync(http, nodes[0].Url, HttpMethod.Put, "collections/f", """{"vectors":{"size":8,"distance":"Cosine"},"shard_number":3,"replication_factor":2}""", TimeSpan.FromSeconds(40));
            Assert.True(status == 200, body);

            using var stop = new CancellationTokenSource();
            var load = Task.WhenAll(WriterAsync(nodes, stop.Token), ReaderAsync(nodes, stop.Token), WriterAsync(nodes, stop.Token));
            await Task.Delay(3000);

            // 1. SIGKILL a node under load, then restart it on the same folder and port.
            var killedAt = TimeProvider.System.GetTimestamp();
            var killWatch = WatchBreakerAsync(http, nodes, 2, killedAt, TimeSpan.FromSeconds(6));
            await nodes[2].KillAsync();
            await Task.Delay(6000);
            _faultWindows.Enqueue((killedAt, await killWatch));
            await nodes[2].StartAsync();
            await WaitCaughtUpAsync(http, nodes[0], TimeSpan.FromSeconds(60));

            // 2. SIGSTOP a node for 15 s.
            var frozenAt = TimeProvider.System.GetTimestamp();
            var freezeWatch = WatchBreakerAsync(http, nodes, 1, frozenAt, TimeSpan.FromSeconds(15));
            nodes[1].Signal(19);
            await Task.Delay(15_000);
            _faultWindows.Enqueue((frozenAt, await freezeWatch));
            nodes[1].Signal(18);
            await WaitCaughtUpAsync(http, nodes[0], TimeSpan.FromSeconds(60));

            // 3. Move a shard while the load goes on.
            var (from, to, shard) = await PickMoveAsync(http, nodes[0]);
            (status, body) = await SendAsync(http, nodes[0].Url, HttpMethod.Post, "collections/f/cluster", $"{{\"move_shard\":{{\"shard_id\":{shard},\"from_peer_id\":{from},\"to_peer_id\":{to}}}}}", TimeSpan.FromSeconds(10));
            Assert.True(status == 200, body);
            await WaitAsync(async () => (await ClusterInfoAsync(http, nodes[0])).GetProperty("shard_transfers").GetArrayLength() == 0, TimeSpan.FromSeconds(60), "the shard move");
            await Task.Delay(2000);

            await stop.CancelAsync();
            await load;
            await WaitCaughtUpAsync(http, nodes[0], TimeSpan.FromSeconds(60), exact: true);
            await VerifyReplicasAsync(http, nodes);

            var writeGaps = _writeTimes.Order().Zip(_writeTimes.Order().Skip(1), (a, b) => TimeProvider.System.GetElapsedTime(a, b)).DefaultIfEmpty().Max();
            output.WriteLine($"acknowledged points: {_acknowledged.Count}, reads: {_reads}, session reads: {_sessionReads}, read errors: {_readErrors.Count}, longest write gap: {writeGaps.TotalSeconds:0.00} s");
            foreach (var (windowFrom, windowTo) in _faultWindows)
            {
                output.WriteLine($"fault at {TimeProvider.System.GetElapsedTime(_started, windowFrom).TotalSeconds:0.0} s, breaker open (or node down) on every live node at {TimeProvider.System.GetElapsedTime(_started, windowTo).TotalSeconds:0.0} s");
            }

            foreach (var (sent, ended, error) in _readErrors)
            {
                output.WriteLine($"read error (sent at {TimeProvider.System.GetElapsedTime(_started, sent).TotalSeconds:0.0} s, failed at {TimeProvider.System.GetElapsedTime(_started, ended).TotalSeconds:0.0} s): {error}");
            }

            Assert.True(_acknowledged.Count > 500, $"the load wrote only {_acknowledged.Count} points");
            Assert.Empty(_staleSessionReads);
            Assert.True(writeGaps <= TimeSpan.FromSeconds(15), $"writes stopped for {writeGaps.TotalSeconds:0.0} s");
            // The issue: no failed read (replication factor 2) once the breaker has opened. A
            // failed read is excused only when it was in flight during a fault's window: from the
            // fault until every live node saw the faulted node's circuit open (or its lease
            // expire), as GET /cluster reports. Any other failed read fails the test: one sent
            // after the breakers opened, or one that failed with no fault going on.
            var lateErrors = _readErrors.Where(e => !_faultWindows.Any(w => e.Sent <= w.To && e.Ended >= w.From)).ToList();
            Assert.True(lateErrors.Count == 0, $"{lateErrors.Count} of {_reads} reads failed after the breaker opened:\n" + string.Join("\n", lateErrors.Select(e => e.Error)));
        }
        finally
        {
            foreach (var node in nodes)
            {
                output.WriteLine($"--- node on port {node.Port}\n{Tail(node.Log)}");
                node.Dispose();
            }
        }
    }

    /// <summary>
    /// Polls the live nodes' GET /cluster from <paramref name="from"/> until each reports the
    /// faulted node's circuit open (or half-open) or the node down (stale lease); returns that
    /// moment, or the end of the fault (<paramref name="limit"/> after it) if that came first.
    /// </summary>
    private static async Task<long> WatchBreakerAsync(HttpClient http, List<NodeProcess> nodes, int faulted, long from, TimeSpan limit)
    {
        var target = nodes[faulted].Url.ToString();
        var live = nodes.Where((_, i) => i != faulted).ToList();
        var seen = new HashSet<int>();
        while (TimeProvider.System.GetElapsedTime(from) < limit)
        {
            foreach (var node in live.Where(n => !seen.Contains(n.Port)))
            {
                try
                {
                    var (status, body) = await SendAsync(http, node.Url, HttpMethod.Get, "cluster", null, TimeSpan.FromSeconds(1));
                    var entry = status == 200
                        ? JsonDocument.Parse(body).RootElement.GetProperty("result").GetProperty("roseforest").GetProperty("nodes").EnumerateArray().FirstOrDefault(n => n.GetProperty("uri").GetString() == target)
                        : default;
                    if (entry.ValueKind == JsonValueKind.Object && (!entry.GetProperty("up").GetBoolean() || entry.GetProperty("circuit").GetString() != "Closed"))
                    {
                        seen.Add(node.Port);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                {
                }
            }

            if (seen.Count == live.Count)
            {
                return TimeProvider.System.GetTimestamp();
            }

            await Task.Delay(100);
        }

        return TimeProvider.System.GetTimestamp();
    }

    private async Task WriterAsync(List<NodeProcess> nodes, CancellationToken stop)
    {
        var random = new Random(17);
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        while (!stop.IsCancellationRequested)
        {
            var first = (ulong)Interlocked.Add(ref _nextId, 10) - 9;
            var ids = Enumerable.Range(0, 10).Select(i => first + (ulong)i).ToList();
            var body = "{\"points\":[" + string.Join(',', ids.Select(id => $"{{\"id\":{id},\"vector\":[{string.Join(',', Enumerable.Range(0, 8).Select(_ => (random.NextDouble() - 0.5).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)))}]}}")) + "]}";
            var key = Guid.NewGuid().ToString("N");
            var start = random.Next(nodes.Count);
            for (var attempt = 0; attempt < nodes.Count * 2 && !stop.IsCancellationRequested; attempt++)
            {
                var node = nodes[(start + attempt) % nodes.Count];
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(node.Url, "collections/f/points?wait=true")) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                    request.Headers.Add("x-roseforest-idempotency-key", key);
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                    timeout.CancelAfter(TimeSpan.FromSeconds(6)); // a frozen entry node costs the client this long before it tries another
                    using var response = await http.SendAsync(request, timeout.Token);
                    if (!response.IsSuccessStatusCode)
                    {
                        continue;
                    }

                    _writeTimes.Enqueue(TimeProvider.System.GetTimestamp());
                    foreach (var id in ids)
                    {
                        _acknowledged.Add(id);
                    }

                    var token = response.Headers.GetValues("x-roseforest-consistency-token").Single();
                    await CheckSessionReadAsync(http, nodes[(start + attempt + 1) % nodes.Count], nodes, ids, token, stop);
                    break;
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                {
                }
            }
        }

        http.Dispose();
    }

    /// <summary>Reads the batch back through another node with its token: every point must be there.</summary>
    private async Task CheckSessionReadAsync(HttpClient http, NodeProcess preferred, List<NodeProcess> nodes, List<ulong> ids, string token, CancellationToken stop)
    {
        foreach (var node in new[] { preferred }.Concat(nodes.Where(n => n != preferred)))
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(node.Url, "collections/f/points?consistency=session"))
                {
                    Content = new StringContent($"{{\"ids\":[{string.Join(',', ids)}]}}", Encoding.UTF8, "application/json"),
                };
                request.Headers.Add("x-roseforest-consistency-token", token);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                timeout.CancelAfter(TimeSpan.FromSeconds(3));
                using var response = await http.SendAsync(request, timeout.Token);
                if (!response.IsSuccessStatusCode)
                {
                    continue;
                }

                Interlocked.Increment(ref _sessionReads);
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(stop));
                var found = doc.RootElement.GetProperty("result").EnumerateArray().Select(p => p.GetProperty("id").GetUInt64()).ToHashSet();
                if (!ids.All(found.Contains))
                {
                    _staleSessionReads.Enqueue($"token {token}: {found.Count} of {ids.Count} points via port {node.Port}");
                }

                return;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
            }
        }
    }

    private async Task ReaderAsync(List<NodeProcess> nodes, CancellationToken stop)
    {
        using var http = new HttpClient();
        var random = new Random(5);
        var turn = 0;
        while (!stop.IsCancellationRequested)
        {
            var vector = string.Join(',', Enumerable.Range(0, 8).Select(_ => (random.NextDouble() - 0.5).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)));
            string? lastError = null;
            var served = false;
            var began = TimeProvider.System.GetTimestamp();

            for (var attempt = 0; attempt < nodes.Count && !stop.IsCancellationRequested; attempt++)
            {
                var node = nodes[(turn + attempt) % nodes.Count];
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                    timeout.CancelAfter(TimeSpan.FromSeconds(2));
                    using var response = await http.PostAsync(new Uri(node.Url, "collections/f/points/query"), new StringContent($"{{\"query\":[{vector}],\"limit\":5}}", Encoding.UTF8, "application/json"), timeout.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        served = true;
                        break;
                    }

                    lastError = $"{(int)response.StatusCode} from port {node.Port}: {await response.Content.ReadAsStringAsync(CancellationToken.None)}";
                    break; // the node answered: its error is the cluster's answer
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                {
                    // Unreachable or frozen entry node: a client tries the next one (or the load ended).
                }
            }

            turn++;
            Interlocked.Increment(ref _reads);
            if (!served && !stop.IsCancellationRequested)
            {
                _readErrors.Enqueue((began, TimeProvider.System.GetTimestamp(), lastError ?? "no node answered"));
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }

    private static async Task<JsonElement> ClusterInfoAsync(HttpClient http, NodeProcess node)
    {
        var (status, body) = await SendAsync(http, node.Url, HttpMethod.Get, "collections/f/cluster", null, TimeSpan.FromSeconds(5));
        Assert.True(status == 200, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("result").Clone();
    }

    private static IEnumerable<JsonElement> Replicas(JsonElement info) =>
        info.GetProperty("local_shards").EnumerateArray().Select(r => (r, info.GetProperty("peer_id").GetInt64()))
            .Concat(info.GetProperty("remote_shards").EnumerateArray().Select(r => (r, r.GetProperty("peer_id").GetInt64())))
            .Select(x => x.r);

    /// <summary>
    /// Every shard has two Active replicas; with <paramref name="exact"/> (once the load stopped)
    /// each has also applied its shard's whole log. Under load, applied equals the head only in a
    /// pause between writes, which a loaded machine may not give within the timeout; Active already
    /// means within the catch-up lag.
    /// </summary>
    private static async Task WaitCaughtUpAsync(HttpClient http, NodeProcess node, TimeSpan timeout, bool exact = false) =>
        await WaitAsync(
            async () =>
            {
                var replicas = Replicas(await ClusterInfoAsync(http, node)).ToList();
                return replicas.All(r => r.GetProperty("state").GetString() == "Active" && (!exact || r.GetProperty("roseforest_applied_seq").GetInt64() == r.GetProperty("roseforest_last_seq").GetInt64()))
                    && replicas.GroupBy(r => r.GetProperty("shard_id").GetInt32()).All(g => g.Count() == 2);
            },
            timeout,
            exact ? "every replica to be active and caught up" : "every replica to be active");

    private static async Task<(long From, long To, int Shard)> PickMoveAsync(HttpClient http, NodeProcess node)
    {
        var info = await ClusterInfoAsync(http, node);
        var self = info.GetProperty("peer_id").GetInt64();
        var holders = info.GetProperty("local_shards").EnumerateArray().Select(r => (Shard: r.GetProperty("shard_id").GetInt32(), Peer: self))
            .Concat(info.GetProperty("remote_shards").EnumerateArray().Select(r => (Shard: r.GetProperty("shard_id").GetInt32(), Peer: r.GetProperty("peer_id").GetInt64())))
            .ToList();
        var peers = holders.Select(h => h.Peer).Distinct().ToList();
        var shard = holders[0].Shard;
        var on = holders.Where(h => h.Shard == shard).Select(h => h.Peer).ToList();
        return (on[0], peers.First(p => !on.Contains(p)), shard);
    }

    /// <summary>Reads every active replica's points straight from each node's local engine and compares them.</summary>
    private async Task VerifyReplicasAsync(HttpClient http, List<NodeProcess> nodes)
    {
        var byShard = new Dictionary<string, List<HashSet<ulong>>>();
        foreach (var node in nodes)
        {
            var (status, body) = await SendAsync(http, node.Url, HttpMethod.Get, "cluster/local/collections", null, TimeSpan.FromSeconds(10));
            Assert.True(status == 200, body);
            foreach (var c in JsonDocument.Parse(body).RootElement.GetProperty("result").GetProperty("collections").EnumerateArray())
            {
                var name = c.GetProperty("name").GetString()!;
                var ids = new HashSet<ulong>();
                var offset = "null";
                do
                {
                    (status, body) = await SendAsync(http, node.Url, HttpMethod.Post, $"cluster/local/collections/{name}/points/scroll", $"{{\"limit\":5000,\"offset\":{offset},\"with_payload\":false}}", TimeSpan.FromSeconds(30));
                    Assert.True(status == 200, body);
                    var result = JsonDocument.Parse(body).RootElement.GetProperty("result");
                    foreach (var p in result.GetProperty("points").EnumerateArray())
                    {
                        Assert.True(ids.Add(p.GetProperty("id").GetUInt64()), $"{name} on port {node.Port} lists a point twice");
                    }

                    offset = result.GetProperty("next_page_offset").ValueKind == JsonValueKind.Null ? "null" : result.GetProperty("next_page_offset").GetRawText();
                }
                while (offset != "null");

                if (!byShard.TryGetValue(name, out var list))
                {
                    byShard[name] = list = [];
                }

                list.Add(ids);
            }
        }

        Assert.Equal(3, byShard.Count);
        foreach (var (name, replicas) in byShard)
        {
            Assert.Equal(2, replicas.Count);
            Assert.True(replicas[0].SetEquals(replicas[1]), $"the replicas of {name} differ: {replicas[0].Count} and {replicas[1].Count} points");
        }

        var shards = byShard.Values.Select(r => r[0]).ToList();
        var all = new HashSet<ulong>();
        foreach (var shard in shards)
        {
            foreach (var id in shard)
            {
                Assert.True(all.Add(id), $"point {id} is in two shards");
            }
        }

        var missing = _acknowledged.Where(id => !all.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged points are missing, e.g. {string.Join(',', missing.Take(10))}");
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or Xunit.Sdk.XunitException)
            {
            }

            if (TimeProvider.System.GetElapsedTime(started) > timeout)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(250);
        }
    }

    private static async Task<(int Status, string Body)> SendAsync(HttpClient http, Uri node, HttpMethod method, string path, string? body, TimeSpan timeout)
    {
        using var request = new HttpRequestMessage(method, new Uri(node, path));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var cts = new CancellationTokenSource(timeout);
        using var response = await http.SendAsync(request, cts.Token);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cts.Token));
    }

    private static string Tail(string log) => string.Join('\n', log.Split('\n').TakeLast(40));
}
