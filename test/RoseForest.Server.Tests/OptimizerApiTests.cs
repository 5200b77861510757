using System.Text.Json;

namespace RoseForest.Server.Tests;

/// <summary>The self-organizing index over REST (issue 19): the optimizer routes' shapes, target_recall on create and PATCH, telemetry in info and /metrics, and refusals that write nothing.</summary>
public class OptimizerApiTests
{
    private static string Error(JsonElement body) => body.GetProperty("status").GetProperty("error").GetString()!;

    private static async Task<ServerFixture> StartWithPointsAsync(string hnsw = """{"m":8,"full_scan_threshold":0}""")
    {
        var f = await ServerFixture.StartAsync();
        var (status, body) = await f.PutAsync("/collections/o", $$"""{"vectors":{"size":4,"distance":"Euclid"},"hnsw_config":{{hnsw}}}""");
        Assert.True(status == 200, body.ToString());
        var random = new Random(3);
        var points = string.Join(",", Enumerable.Range(0, 300).Select(i => $$"""{"id":{{i}},"vector":[{{string.Join(",", Enumerable.Range(0, 4).Select(_ => random.NextDouble().ToString("F4", System.Globalization.CultureInfo.InvariantCulture)))}}]}"""));
        Assert.Equal(200, (await f.PutAsync("/collections/o/points?wait=true", $$"""{"points":[{{points}}]}""")).Status);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(200, (await f.PostAsync("/collections/o/points/query", """{"query":[0.5,0.5,0.5,0.5],"limit":5}""")).Status);
        }

        return f;
    }

    [Fact]
    public async Task The_optimizer_route_reports_settings_telemetry_findings_and_history()
    {
        await using var f = await StartWithPointsAsync();
        var (status, body) = await f.PostAsync("/collections/o/optimizer/run", "{}");
        Assert.True(status == 200, body.ToString());
        var (getStatus, got) = await f.GetAsync("/collections/o/optimizer");
        Assert.Equal(200, getStatus);
        var r = got.GetProperty("result");
        var settings = r.GetProperty("settings");
        Assert.False(settings.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, settings.GetProperty("target_recall").ValueKind);
        Assert.Equal(0.01, settings.GetProperty("sample_rate").GetDouble());
        foreach (var weight in new[] { "latency", "recall", "memory", "action" })
        {
            Assert.True(settings.GetProperty("weights").GetProperty(weight).GetDouble() >= 0);
        }

        Assert.Equal(1, r.GetProperty("passes").GetInt64());
        var t = r.GetProperty("telemetry");
        Assert.Equal(20, t.GetProperty("queries").GetInt64());
        Assert.True(t.GetProperty("latency_p95_ms").GetDouble() >= t.GetProperty("latency_p50_ms").GetDouble());
        Assert.True(t.GetProperty("latency_p99_ms").GetDouble() >= t.GetProperty("latency_p95_ms").GetDouble());
        Assert.True(t.GetProperty("hops_mean").GetDouble() > 0, t.ToString());
        Assert.True(t.GetProperty("visited_mean").GetDouble() > 0);
        Assert.Equal(300, t.GetProperty("graph_nodes").GetInt32());
        Assert.Equal(0, t.GetProperty("tombstone_fraction").GetDouble());
        Assert.Equal(8, t.GetProperty("degree").GetProperty("in_histogram").GetArrayLength());
        Assert.Equal("kmeans", t.GetProperty("regions").GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Array, r.GetProperty("findings").ValueKind);
        Assert.Equal(JsonValueKind.Array, r.GetProperty("history").ValueKind);

        // Collection info carries the same telemetry under roseforest, Qdrant's fields unchanged.
        var info = (await f.GetAsync("/collections/o")).Body.GetProperty("result");
        Assert.Equal("green", info.GetProperty("status").GetString());
        Assert.Equal(300, info.GetProperty("points_count").GetInt64());
        Assert.Equal(300, info.GetProperty("roseforest").GetProperty("telemetry").GetProperty("graph_nodes").GetInt32());
        Assert.False(info.GetProperty("config").GetProperty("hnsw_config").TryGetProperty("target_recall", out _));

        // And /metrics exports it per collection.
        var metrics = await f.Client.GetStringAsync("/metrics");
        Assert.Contains("roseforest_index_latency_p95_seconds{collection=\"o\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("roseforest_index_unreachable_nodes{collection=\"o\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("roseforest_index_default_ef{collection=\"o\"}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_change_through_put_and_target_recall_through_create_and_patch()
    {
        await using var f = await StartWithPointsAsync("""{"m":8,"full_scan_threshold":0,"target_recall":0.9}""");
        var info = (await f.GetAsync("/collections/o")).Body.GetProperty("result");
        Assert.Equal(0.9, info.GetProperty("roseforest").GetProperty("hnsw_target_recall").GetDouble());
        var settings = (await f.GetAsync("/collections/o/optimizer")).Body.GetProperty("result").GetProperty("settings");
        Assert.True(settings.GetProperty("enabled").GetBoolean());
        Assert.Equal(0.9, settings.GetProperty("target_recall").GetDouble());

        var (status, body) = await f.PutAsync("/collections/o/optimizer", """{"enabled":false,"sample_rate":0.5,"weights":{"latency":2}}""");
        Assert.True(status == 200, body.ToString());
        settings = body.GetProperty("result").GetProperty("settings");
        Assert.False(settings.GetProperty("enabled").GetBoolean());
        Assert.Equal(0.5, settings.GetProperty("sample_rate").GetDouble());
        Assert.Equal(2, settings.GetProperty("weights").GetProperty("latency").GetDouble());
        Assert.Equal(100, settings.GetProperty("weights").GetProperty("recall").GetDouble());

        Assert.Equal(200, (await f.SendAsync(HttpMethod.Patch, "/collections/o", """{"hnsw_config":{"target_recall":0.97}}""")).Status);
        settings = (await f.GetAsync("/collections/o/optimizer")).Body.GetProperty("result").GetProperty("settings");
        Assert.Equal(0.97, settings.GetProperty("target_recall").GetDouble());
        Assert.True(settings.GetProperty("enabled").GetBoolean());

        // Kept across a restart (optimizer.json).
        await f.RestartAsync();
        settings = (await f.GetAsync("/collections/o/optimizer")).Body.GetProperty("result").GetProperty("settings");
        Assert.Equal(0.97, settings.GetProperty("target_recall").GetDouble());
        Assert.Equal(0.5, settings.GetProperty("sample_rate").GetDouble());
    }

    [Fact]
    public async Task One_patch_changes_the_graph_settings_and_the_recall_target_together()
    {
        await using var f = await StartWithPointsAsync("""{"m":8,"full_scan_threshold":0,"target_recall":0.9}""");

        // A graph change alone keeps the target the collection was created with.
        var (status, body) = await f.SendAsync(HttpMethod.Patch, "/collections/o", """{"hnsw_config":{"m":10}}""");
        Assert.True(status == 200, body.ToString());
        var info = (await f.GetAsync("/collections/o")).Body.GetProperty("result");
        Assert.Equal(10, info.GetProperty("config").GetProperty("hnsw_config").GetProperty("m").GetInt32());
        Assert.Equal(0.9, info.GetProperty("roseforest").GetProperty("hnsw_target_recall").GetDouble());

        (status, body) = await f.SendAsync(HttpMethod.Patch, "/collections/o", """{"hnsw_config":{"m":12,"ef_construct":64,"target_recall":0.95}}""");
        Assert.True(status == 200, body.ToString());
        info = (await f.GetAsync("/collections/o")).Body.GetProperty("result");
        Assert.Equal(12, info.GetProperty("config").GetProperty("hnsw_config").GetProperty("m").GetInt32());
        Assert.Equal(64, info.GetProperty("config").GetProperty("hnsw_config").GetProperty("ef_construct").GetInt32());
        var settings = (await f.GetAsync("/collections/o/optimizer")).Body.GetProperty("result").GetProperty("settings");
        Assert.Equal(0.95, settings.GetProperty("target_recall").GetDouble());
        Assert.True(settings.GetProperty("enabled").GetBoolean());

        // The controller still manages the vector after the graph was rebuilt.
        Assert.Equal(200, (await f.PostAsync("/collections/o/optimizer/run", "{}")).Status);

        // target_recall belongs to the collection's own hnsw_config, not to a named vector's.
        (status, body) = await f.SendAsync(HttpMethod.Patch, "/collections/o", """{"vectors":{"":{"hnsw_config":{"target_recall":0.5}}}}""");
        Assert.Equal(400, status);
        Assert.Contains("target_recall", Error(body), StringComparison.Ordinal);
        Assert.Equal(0.95, (await f.GetAsync("/collections/o/optimizer")).Body.GetProperty("result").GetProperty("settings").GetProperty("target_recall").GetDouble());
    }

    [Theory]
    [InlineData("PUT", "/collections/o/optimizer", """{"target_recall":1.5}""", "target_recall")]
    [InlineData("PUT", "/collections/o/optimizer", """{"target_recall":0}""", "target_recall")]
    [InlineData("PUT", "/collections/o/optimizer", """{"enabled":true,"aggressiveness":3}""", "aggressiveness")]
    [InlineData("PUT", "/collections/o/optimizer", """{"weights":{"latency":1,"fun":2}}""", "weights.fun")]
    [InlineData("PUT", "/collections/o/optimizer", """{"weights":{"recall":-1}}""", "weights.recall")]
    [InlineData("PUT", "/collections/o/optimizer", """{"sample_rate":"often"}""", "sample_rate")]
    [InlineData("PUT", "/collections/o/optimizer", """{"min_ef":500,"max_ef":100}""", "min_ef")]
    [InlineData("PATCH", "/collections/o", """{"hnsw_config":{"target_recall":-0.2}}""", "hnsw_config.target_recall")]
    [InlineData("PATCH", "/collections/o", """{"hnsw_config":{"target_recall":0.9,"m":-1}}""", "hnsw_config.m")]
    [InlineData("PATCH", "/collections/o", """{"hnsw_config":{"target_recal":0.9}}""", "hnsw_config.target_recal")]
    public async Task Bad_optimizer_input_is_a_400_that_names_the_field_and_changes_nothing(string method, string path, string body, string expected)
    {
        await using var f = await StartWithPointsAsync();
        var before = (await f.GetAsync("/collections/o/optimizer")).Body.GetProperty("result").GetProperty("settings").ToString();
        var (status, response) = await f.SendAsync(new HttpMethod(method), path, body);
        Assert.Equal(400, status);
        Assert.Contains(expected, Error(response), StringComparison.Ordinal);
        Assert.Equal(before, (await f.GetAsync("/collections/o/optimizer")).Body.GetProperty("result").GetProperty("settings").ToString());
        Assert.False(File.Exists(Path.Combine(f.DataPath, "collections", "o", "optimizer.json")));
    }

    [Fact]
    public async Task Creating_with_a_target_recall_out_of_range_is_a_400_and_creates_nothing()
    {
        await using var f = await ServerFixture.StartAsync();
        var (status, body) = await f.PutAsync("/collections/x", """{"vectors":{"size":2,"distance":"Dot"},"hnsw_config":{"target_recall":1.2}}""");
        Assert.Equal(400, status);
        Assert.Contains("hnsw_config.target_recall", Error(body), StringComparison.Ordinal);
        Assert.Equal(404, (await f.GetAsync("/collections/x")).Status);
    }

    [Fact]
    public async Task A_collection_without_an_index_answers_the_optimizer_route_with_a_400()
    {
        await using var f = await ServerFixture.StartAsync();
        Assert.Equal(200, (await f.PutAsync("/collections/flat", """{"vectors":{"size":2,"distance":"Dot"},"hnsw_config":{"m":0}}""")).Status);
        var (status, body) = await f.GetAsync("/collections/flat/optimizer");
        Assert.Equal(400, status);
        Assert.Contains("optimizer", Error(body), StringComparison.Ordinal);
        Assert.Equal(404, (await f.GetAsync("/collections/none/optimizer")).Status);
    }
}
