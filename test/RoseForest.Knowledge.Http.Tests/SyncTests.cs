using System.Globalization;
using System.Text.Json;

namespace RoseForest.Knowledge.Http.Tests;

/// <summary>
/// Sync between two or three servers in one process over loopback HTTP: the modes, the conflict
/// strategies, checkpoints on both sides, repeated batches, geometry checks, knowledge, job status.
/// </summary>
public sealed class SyncTests
{
    [Fact]
    public async Task Partial_sync_creates_the_collection_and_both_sides_end_with_the_same_points_after_writes_on_each()
    {
        await using var a = await KnowledgeServer.StartAsync(o => o.NodeId = "node-a");
        await using var b = await KnowledgeServer.StartAsync(o => o.NodeId = "node-b");
        await CreateAsync(a, "c", 4, "Euclid");
        await UpsertAsync(a, "c", Enumerable.Range(1, 50).Select(i => Point(i, i, $$"""{"n":{{i}},"color":"{{(i % 2 == 0 ? "red" : "blue")}}"}""")));

        var job = await SyncAsync(b, a, """ "mode":"partial","collections":["c"] """);
        Assert.Equal("completed", job.GetProperty("state").GetString());
        Assert.Equal(50, job.GetProperty("scopes")[0].GetProperty("pulled").GetInt32());
        await AssertSameAsync("c", a, b);

        // Writes on both sides: upserts, deletes, payload edits; then sync again.
        await UpsertAsync(a, "c", [Point(51, 51, """{"n":51}"""), Point(1, 100, """{"n":100}""")]);
        await a.OkAsync(HttpMethod.Post, "/collections/c/points/delete?wait=true", """{"points":[2,3]}""");
        await b.OkAsync(HttpMethod.Post, "/collections/c/points/payload?wait=true", """{"payload":{"seen":true},"points":[4,5]}""");
        await b.OkAsync(HttpMethod.Post, "/collections/c/points/delete?wait=true", """{"points":[6]}""");
        await b.OkAsync(HttpMethod.Post, "/collections/c/points/payload/delete?wait=true", """{"keys":["color"],"points":[7]}""");

        job = await SyncAsync(b, a, """ "mode":"partial","collections":["c"] """);
        Assert.Equal("completed", job.GetProperty("state").GetString());
        Assert.Equal(0, job.GetProperty("lag").GetInt64());
        Assert.Equal(0, job.GetProperty("pending_count").GetInt32());
        await AssertSameAsync("c", a, b);
        var count = await a.OkAsync(HttpMethod.Post, "/collections/c/points/count", "{}");
        Assert.Equal(48, count.GetProperty("result").GetProperty("count").GetInt32()); // 51 - 3 deleted
        var four = await a.OkAsync(HttpMethod.Get, "/collections/c/points/4");
        Assert.True(four.GetProperty("result").GetProperty("payload").GetProperty("seen").GetBoolean());
        var seven = await a.OkAsync(HttpMethod.Get, "/collections/c/points/7");
        Assert.False(seven.GetProperty("result").GetProperty("payload").TryGetProperty("color", out _));
        var one = await b.OkAsync(HttpMethod.Get, "/collections/c/points/1?with_vector=true");
        Assert.Equal(100, one.GetProperty("result").GetProperty("payload").GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task A_repeated_batch_changes_nothing_and_a_batch_past_the_checkpoint_is_refused()
    {
        await using var a = await KnowledgeServer.StartAsync(o => o.NodeId = "node-a");
        await using var b = await KnowledgeServer.StartAsync(o => o.NodeId = "node-b");
        await CreateAsync(a, "c", 2, "Euclid");
        await CreateAsync(b, "c", 2, "Euclid");
        await UpsertAsync(a, "c", Enumerable.Range(1, 10).Select(i => Point(i, i, null, dimension: 2)));

        var batch = await a.OkAsync(HttpMethod.Post, "/sync/collections/c/changes", """{"since":0,"limit":100}""");
        Assert.Equal("node-a", batch.GetProperty("source").GetString());
        Assert.Equal(10, batch.GetProperty("changes").GetArrayLength());
        var first = await b.OkAsync(HttpMethod.Post, "/sync/collections/c/apply", batch.GetRawText());
        var second = await b.OkAsync(HttpMethod.Post, "/sync/collections/c/apply", batch.GetRawText());
        Assert.Equal(10, first.GetProperty("applied").GetInt32());
        Assert.Equal(0, second.GetProperty("applied").GetInt32());
        Assert.Equal(first.GetProperty("checkpoint").GetInt64(), second.GetProperty("checkpoint").GetInt64());
        Assert.Equal(first.GetProperty("checkpoint").GetInt64(), (await b.OkAsync(HttpMethod.Get, "/sync/collections/c/checkpoints/node-a")).GetProperty("checkpoint").GetInt64());
        await AssertSameAsync("c", a, b);

        await UpsertAsync(a, "c", [Point(11, 11, null, dimension: 2)]);
        var later = await a.OkAsync(HttpMethod.Post, "/sync/collections/c/changes", $$"""{"since":{{first.GetProperty("checkpoint").GetInt64() + 1}}}""");
        var (status, body, _) = await b.SendAsync(HttpMethod.Post, "/sync/collections/c/apply", later.GetRawText());
        Assert.Equal(400, status);
        Assert.Contains("read again from", body.GetProperty("message").GetString(), StringComparison.Ordinal);

        var forged = batch.GetRawText().Replace("\"s\":1", "\"s\":7", StringComparison.Ordinal); // a dot outside its context
        Assert.Equal(400, (await b.SendAsync(HttpMethod.Post, "/sync/collections/c/apply", forged.Replace("\"since\":0", "\"since\":0", StringComparison.Ordinal))).Status);
    }

    [Fact]
    public async Task Collections_of_different_geometry_or_dimension_do_not_sync_and_the_job_says_why()
    {
        await using var a = await KnowledgeServer.StartAsync(o => o.NodeId = "node-a");
        await using var b = await KnowledgeServer.StartAsync(o => o.NodeId = "node-b");
        await CreateAsync(a, "c", 4, "Euclid");
        await CreateAsync(b, "c", 4, "Poincare");
        await CreateAsync(a, "d", 4, "Cosine");
        await CreateAsync(b, "d", 8, "Cosine");
        await UpsertAsync(a, "c", [Point(1, 0.1f, null)]);

        foreach (var name in new[] { "c", "d" })
        {
            var job = await SyncAsync(b, a, $$""" "mode":"partial","collections":["{{name}}"] """);
            Assert.Equal("failed", job.GetProperty("state").GetString());
            Assert.Contains("same geometry and dimension", job.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(0, (await b.OkAsync(HttpMethod.Post, "/collections/c/points/count", "{}")).GetProperty("result").GetProperty("count").GetInt32());
        var (status, body, _) = await b.SendAsync(HttpMethod.Post, "/sync/collections/c/prepare", """{"create":{"geometry":"euclid","dimension":4}}""");
        Assert.Equal(400, status);
        Assert.Contains("poincare/4", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("crdt", 2f, 2f)]
    [InlineData("last_write_wins", 2f, 2f)]
    [InlineData("merge", 1f, 1.5f)]
    [InlineData("geometric_mean", 1f, 1.5f)]
    public async Task Concurrent_writes_to_one_point_end_the_same_on_both_sides_under_each_strategy(string strategy, float x, float y)
    {
        await using var a = await KnowledgeServer.StartAsync(o => o.NodeId = "node-a");
        await using var b = await KnowledgeServer.StartAsync(o => o.NodeId = "node-b");
        await CreateAsync(a, "c", 2, "Euclid");
        await UpsertAsync(a, "c", [Point(1, 0, null, dimension: 2)]);
        await SyncAsync(b, a, $$""" "mode":"partial","collections":["c"],"strategy":"{{strategy}}" """);

        // Concurrent: neither side has seen the other's write. b writes later (real time passes).
        await a.OkAsync(HttpMethod.Put, "/collections/c/points?wait=true", """{"points":[{"id":1,"vector":[0,1]}]}""");
        await Task.Delay(20);
        await b.OkAsync(HttpMethod.Put, "/collections/c/points?wait=true", """{"points":[{"id":1,"vector":[2,2]}]}""");
        var job = await SyncAsync(b, a, $$""" "mode":"partial","collections":["c"],"strategy":"{{strategy}}" """);
        Assert.Equal("completed", job.GetProperty("state").GetString());

        await AssertSameAsync("c", a, b);
        var point = await a.OkAsync(HttpMethod.Get, "/collections/c/points/1");
        var vector = point.GetProperty("result").GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.Equal([x, y], vector);
        var conflicts = await a.OkAsync(HttpMethod.Get, "/sync/collections/c/conflicts");
        Assert.Equal(1, conflicts.GetProperty("count").GetInt32()); // recorded whatever the strategy
        Assert.Equal(2, conflicts.GetProperty("conflicts")[0].GetProperty("versions").GetArrayLength());
    }

    [Fact]
    public async Task Poincare_collections_merge_concurrent_points_at_the_geodesic_midpoint_inside_the_ball()
    {
        await using var a = await KnowledgeServer.StartAsync(o => o.NodeId = "node-a");
        await using var b = await KnowledgeServer.StartAsync(o => o.NodeId = "node-b");
        await CreateAsync(a, "h", 2, "Poincare");
        await UpsertAsync(a, "h", [Point(1, 0, null, dimension: 2)]);
        await SyncAsync(b, a, """ "mode":"partial","collections":["h"],"strategy":"merge" """);
        await a.OkAsync(HttpMethod.Put, "/collections/h/points?wait=true", """{"points":[{"id":1,"vector":[0.9,0]}]}""");
        await b.OkAsync(HttpMethod.Put, "/collections/h/points?wait=true", """{"points":[{"id":1,"vector":[0,0.9]}]}""");
        await SyncAsync(b, a, """ "mode":"partial","collections":["h"],"strategy":"merge" """);

        await AssertSameAsync("h", a, b);
        var v = (await a.OkAsync(HttpMethod.Get, "/collections/h/points/1")).GetProperty("result").GetProperty("vector").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(v[0], v[1], 6); // symmetric
        var euclidean = 0.45 * Math.Sqrt(2);
        var norm = Math.Sqrt((v[0] * v[0]) + (v[1] * v[1]));
        Assert.True(norm < euclidean, $"the hyperbolic midpoint {norm} lies nearer the origin than the chord's {euclidean}");
    }

    [Fact]
    public async Task Selective_sync_moves_only_the_points_the_filter_matches()
    {
        await using var a = await KnowledgeServer.StartAsync(o => o.NodeId = "node-a");
        await using var b = await KnowledgeServer.StartAsync(o => o.NodeId = "node-b");
        await CreateAsync(a, "c", 4, "Euclid");
        await UpsertAsync(a, "c", Enumerable.Range(1, 20).Select(i => Point(i, i, $$"""{"color":"{{(i % 2 == 0 ? "red" : "blue")}}"}""")));

        var job = await SyncAsync(b, a, """ "mode":"selective","collections":["c"],"filter":{"must":[{"key":"color","match":{"value":"red"}}]},"direction":"pull" """);
        Assert.Equal("completed", job.GetProperty("state").GetString());
        var scroll = await b.OkAsync(HttpMethod.Post, "/collections/c/points/scroll", """{"limit":100}""");
        var ids = scroll.GetProperty("result").GetProperty("points").EnumerateArray().Select(p => p.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i * 2), ids);
    }

    [Fact]
    public async Task Full_sync_carries_knowledge_which_stays_searchable_and_votes_and_checkpoints_survive_a_restart()
    {
        await using var a = await KnowledgeServer.StartAsync(o =>
        {
            o.NodeId = "node-a";
            o.NodeKeys["author-key"] = "test-node-id";
        });
        await using var b = await KnowledgeServer.StartAsync(o => o.NodeId = "node-b");
        await a.OkAsync(HttpMethod.Post, "/register?node_id=test-node-id&public_key=label");
        await a.OkAsync(HttpMethod.Post, "/knowledge", SeedClientContractTests.TestKnowledge(text: "Obsidian is volcanic glass."), "author-key");
        await a.OkAsync(HttpMethod.Post, "/knowledge/test-id-123/evaluate", """{"evaluating_node":"test-node-id","vote":"upvote","confidence":1}""", "author-key");
        await CreateAsync(a, "c", 2, "Euclid");
        await UpsertAsync(a, "c", [Point(1, 1, null, dimension: 2)]);

        var job = await SyncAsync(b, a, """ "mode":"full" """);
        Assert.Equal("completed", job.GetProperty("state").GetString());
        Assert.Contains(job.GetProperty("scopes").EnumerateArray(), s => s.GetProperty("scope").GetString() == "knowledge" && s.GetProperty("pulled").GetInt32() > 0);
        Assert.Equal(
            (await a.OkAsync(HttpMethod.Get, "/sync/knowledge/hash")).GetProperty("content_hash").GetString(),
            (await b.OkAsync(HttpMethod.Get, "/sync/knowledge/hash")).GetProperty("content_hash").GetString());
        var onB = await b.OkAsync(HttpMethod.Get, "/knowledge/test-id-123");
        Assert.Equal(1, onB.GetProperty("trust").GetProperty("votes").GetProperty("upvotes").GetInt32());
        Assert.Equal("test-id-123", (await b.OkAsync(HttpMethod.Get, "/knowledge/search?q=volcanic%20glass")).GetProperty("results")[0].GetProperty("knowledge_id").GetString());
        await AssertSameAsync("c", a, b);

        // Both sides keep their checkpoints: after a restart nothing is pulled or pushed again.
        await b.RestartAsync();
        job = await SyncAsync(b, a, """ "mode":"full" """);
        Assert.All(job.GetProperty("scopes").EnumerateArray(), s => Assert.Equal((0, 0), (s.GetProperty("pulled").GetInt32(), s.GetProperty("pushed").GetInt32())));
    }

    [Fact]
    public async Task A_continuous_job_keeps_the_other_side_current_reports_its_state_and_stops_when_deleted()
    {
        await using var a = await KnowledgeServer.StartAsync(o => o.NodeId = "node-a");
        await using var b = await KnowledgeServer.StartAsync(o => o.NodeId = "node-b");
        await CreateAsync(a, "c", 2, "Euclid");
        var created = await b.OkAsync(HttpMethod.Post, "/sync/jobs", $$"""{"remote":"{{a.BaseAddress}}","mode":"partial","collections":["c"],"continuous":true,"interval_ms":50}""");
        var id = created.GetProperty("id").GetString();

        await UpsertAsync(a, "c", [Point(1, 1, null, dimension: 2)]);
        var status = await WaitAsync(async () =>
        {
            var s = await b.OkAsync(HttpMethod.Get, $"/sync/jobs/{id}");
            var count = await b.SendAsync(HttpMethod.Post, "/collections/c/points/count", "{}");
            return count.Status == 200 && count.Body.GetProperty("result").GetProperty("count").GetInt32() == 1 && s.GetProperty("sync_version").GetInt64() > 1 ? s : (JsonElement?)null;
        });
        Assert.True(status.GetProperty("last_sync_time").GetDouble() > 0);
        Assert.True(status.GetProperty("continuous").GetBoolean());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("last_error").ValueKind);
        Assert.Equal(0, status.GetProperty("conflict_count").GetInt32());
        Assert.Equal(JsonValueKind.Array, status.GetProperty("pending_changes").ValueKind);
        Assert.True(status.TryGetProperty("lag", out _));
        Assert.DoesNotContain("api_key", status.GetRawText(), StringComparison.Ordinal);

        await b.OkAsync(HttpMethod.Delete, $"/sync/jobs/{id}");
        Assert.Equal(404, (await b.SendAsync(HttpMethod.Get, $"/sync/jobs/{id}")).Status);
    }

    internal static async Task CreateAsync(KnowledgeServer server, string name, int size, string distance)
        => await server.OkAsync(HttpMethod.Put, $"/collections/{name}", $$$"""{"vectors":{"size":{{{size}}},"distance":"{{{distance}}}"}}""");

    internal static async Task UpsertAsync(KnowledgeServer server, string collection, IEnumerable<string> points)
        => await server.OkAsync(HttpMethod.Put, $"/collections/{collection}/points?wait=true", $"{{\"points\":[{string.Join(",", points)}]}}");

    internal static string Point(int id, float value, string? payload, int dimension = 4)
    {
        var vector = string.Join(",", Enumerable.Range(0, dimension).Select(i => (value + (i * 0.25f)).ToString("R", CultureInfo.InvariantCulture)));
        return payload is null ? $$"""{"id":{{id}},"vector":[{{vector}}]}""" : $$$"""{"id":{{{id}}},"vector":[{{{vector}}}],"payload":{{{payload}}}}""";
    }

    /// <summary>Runs a one-shot job on <paramref name="at"/> against <paramref name="remote"/> and returns its final status.</summary>
    internal static Task<JsonElement> SyncAsync(KnowledgeServer at, KnowledgeServer remote, string fields)
        => at.OkAsync(HttpMethod.Post, "/sync/jobs?wait=true", $$"""{"remote":"{{remote.BaseAddress}}",{{fields}}}""");

    internal static async Task AssertSameAsync(string collection, params KnowledgeServer[] servers)
    {
        var hashes = new List<(string Content, string Records, int Points)>();
        foreach (var server in servers)
        {
            var h = await server.OkAsync(HttpMethod.Get, $"/sync/collections/{collection}/hash");
            hashes.Add((h.GetProperty("content_hash").GetString()!, h.GetProperty("records_hash").GetString()!, h.GetProperty("points").GetInt32()));
        }

        Assert.All(hashes, h => Assert.Equal(hashes[0], h));
    }

    private static async Task<JsonElement> WaitAsync(Func<Task<JsonElement?>> probe)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (await probe() is { } done)
            {
                return done;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the condition did not hold within 10 s");
    }
}
