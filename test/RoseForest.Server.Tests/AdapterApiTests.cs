using System.Text.Json;
using RoseForest.Client;

namespace RoseForest.Server.Tests;

/// <summary>
/// Query adapters over HTTP (issue 19): POST …/feedback, GET/PUT …/adapter, …/adapter/consolidate
/// and …/adapter/rollback answer their documented shapes; bad input answers 400 and changes
/// nothing; a query's "adapter" switch reaches the engine.
/// </summary>
public class AdapterApiTests
{
    private static string Error(JsonElement body) => body.GetProperty("status").GetProperty("error").GetString()!;

    private static async Task<ServerFixture> StartWithPointsAsync()
    {
        var f = await ServerFixture.StartAsync();
        await f.PutAsync("/collections/c", """{"vectors":{"size":3,"distance":"Cosine"}}""");
        await f.PutAsync("/collections/c/points?wait=true", """
            {"points":[
              {"id":1,"vector":[1,0,0]},{"id":2,"vector":[0.9,0.1,0]},{"id":3,"vector":[0,1,0]},
              {"id":4,"vector":[0,0.9,0.1]},{"id":5,"vector":[0,0,1]},{"id":6,"vector":[0.5,0.5,0]}]}
            """);
        return f;
    }

    [Fact]
    public async Task Feedback_settings_versions_and_rollback_have_their_documented_shapes()
    {
        await using var f = await StartWithPointsAsync();
        var (status, info) = await f.GetAsync("/collections/c/adapter");
        Assert.Equal(200, status);
        var config = info.GetProperty("result").GetProperty("config");
        Assert.False(config.GetProperty("enabled").GetBoolean());
        Assert.Equal(2, config.GetProperty("rank").GetInt32());
        Assert.Equal(0.1, config.GetProperty("alpha").GetDouble());
        Assert.Equal(5000, config.GetProperty("ewc_lambda").GetDouble());
        Assert.Equal(10_000, config.GetProperty("replay_capacity").GetInt32());
        Assert.Equal(0, info.GetProperty("result").GetProperty("adapters").GetArrayLength());

        var (fed, result) = await f.PostAsync("/collections/c/feedback", """{"query":[1,0.2,0],"relevant":[1,2],"irrelevant":[6]}""");
        Assert.Equal(200, fed);
        var r = result.GetProperty("result");
        Assert.Equal(1, r.GetProperty("updates").GetInt64());
        Assert.True(r.GetProperty("loss").GetDouble() > 0);
        Assert.Equal(4, r.GetProperty("negatives").GetInt32()); // point 6 and the three unmarked others
        Assert.Equal(0, r.GetProperty("version").GetInt32());

        var (put, configured) = await f.PutAsync("/collections/c/adapter", """{"enabled":true,"ab_fraction":0.5,"consolidate_every":0}""");
        Assert.Equal(200, put);
        Assert.True(configured.GetProperty("result").GetProperty("config").GetProperty("enabled").GetBoolean());
        Assert.Equal(0.5, configured.GetProperty("result").GetProperty("config").GetProperty("ab_fraction").GetDouble());

        var (_, consolidated) = await f.PostAsync("/collections/c/adapter/consolidate", "");
        Assert.Equal(1, consolidated.GetProperty("result").GetProperty("version").GetInt32());
        Assert.Equal("consolidate", consolidated.GetProperty("result").GetProperty("reason").GetString());

        var adapter = (await f.GetAsync("/collections/c/adapter")).Body.GetProperty("result").GetProperty("adapters")[0];
        Assert.Equal("", adapter.GetProperty("using").GetString());
        Assert.Equal("", adapter.GetProperty("tenant").GetString());
        Assert.Equal(3, adapter.GetProperty("dimension").GetInt32());
        Assert.Equal(1, adapter.GetProperty("replay_size").GetInt32());
        Assert.Equal([0, 1], adapter.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));

        var (rolled, back) = await f.PostAsync("/collections/c/adapter/rollback", """{"version":0}""");
        Assert.Equal(200, rolled);
        Assert.Equal(0, back.GetProperty("result").GetProperty("version").GetInt32());

        // Queries take the switch: true, false, or an object naming a tenant.
        foreach (var body in new[] { """{"query":[1,0,0],"adapter":true}""", """{"query":[1,0,0],"adapter":false}""", """{"query":[1,0,0],"adapter":{"use":true,"tenant":"t"}}""" })
        {
            Assert.Equal(200, (await f.PostAsync("/collections/c/points/query", body)).Status);
        }

        // The adapters are kept across a restart.
        await f.RestartAsync();
        var reopened = (await f.GetAsync("/collections/c/adapter")).Body.GetProperty("result");
        Assert.True(reopened.GetProperty("config").GetProperty("enabled").GetBoolean());
        Assert.Equal(0, reopened.GetProperty("adapters")[0].GetProperty("version").GetInt32());
    }

    [Theory]
    [InlineData("/collections/c/feedback", """{"query":[1,0,0],"relevant":[]}""", "relevant")]
    [InlineData("/collections/c/feedback", """{"query":[1,0,0]}""", "relevant")]
    [InlineData("/collections/c/feedback", """{"relevant":[1]}""", "query")]
    [InlineData("/collections/c/feedback", """{"query":[1,0],"relevant":[1]}""", "query")]
    [InlineData("/collections/c/feedback", """{"query":[1,0,0],"relevant":[1,77]}""", "relevant[1]")]
    [InlineData("/collections/c/feedback", """{"query":[1,0,0],"relevant":[1],"irrelevant":[88]}""", "irrelevant[0]")]
    [InlineData("/collections/c/feedback", """{"query":[1,0,0],"relevant":[1],"colour":1}""", "colour")]
    [InlineData("/collections/c/feedback", """{"query":{"text":"hi"},"relevant":[1]}""", "embedding model")]
    [InlineData("/collections/c/adapter/rollback", """{"version":3}""", "version")]
    [InlineData("/collections/c/adapter/rollback", """{}""", "version")]
    [InlineData("/collections/c/points/query", """{"query":[1,0,0],"adapter":"yes"}""", "adapter")]
    public async Task Bad_adapter_requests_answer_400_and_change_nothing(string path, string json, string mentioned)
    {
        await using var f = await StartWithPointsAsync();
        await f.PostAsync("/collections/c/feedback", """{"query":[0,1,0],"relevant":[3]}""");
        var before = (await f.GetAsync("/collections/c/adapter")).Body.GetProperty("result").GetRawText();
        var (status, body) = await f.PostAsync(path, json);
        Assert.Equal(400, status);
        Assert.Contains(mentioned, Error(body), StringComparison.Ordinal);
        Assert.Equal(before, (await f.GetAsync("/collections/c/adapter")).Body.GetProperty("result").GetRawText());
    }

    [Theory]
    [InlineData("""{"rank":9}""", "rank")]
    [InlineData("""{"rank":0}""", "rank")]
    [InlineData("""{"ab_fraction":2}""", "ab_fraction")]
    [InlineData("""{"alpha":-1}""", "alpha")]
    [InlineData("""{"rank":4}""", "reset")]
    [InlineData("""{"enabled":"yes"}""", "enabled")]
    public async Task Bad_settings_answer_400_and_change_nothing(string json, string mentioned)
    {
        await using var f = await StartWithPointsAsync();
        await f.PostAsync("/collections/c/feedback", """{"query":[0,1,0],"relevant":[3]}""");
        var (status, body) = await f.PutAsync("/collections/c/adapter", json);
        Assert.Equal(400, status);
        Assert.Contains(mentioned, Error(body), StringComparison.Ordinal);
        var config = (await f.GetAsync("/collections/c/adapter")).Body.GetProperty("result").GetProperty("config");
        Assert.Equal(2, config.GetProperty("rank").GetInt32());
        Assert.False(config.GetProperty("enabled").GetBoolean());
        Assert.Equal(1, config.GetProperty("ab_fraction").GetDouble());
    }

    [Fact]
    public async Task Feedback_on_a_missing_collection_answers_404()
    {
        await using var f = await ServerFixture.StartAsync();
        Assert.Equal(404, (await f.PostAsync("/collections/none/feedback", """{"query":[1],"relevant":[1]}""")).Status);
    }

    [Fact]
    public async Task The_dotnet_client_reaches_the_same_adapter_calls()
    {
        await using var f = await StartWithPointsAsync();
        await using IVectorDatabase remote = new RoseForestClient(new RoseForestClientOptions { BaseAddress = f.Server.BaseAddress });
        var adapters = Assert.IsAssignableFrom<IQueryAdapters>(remote.GetCollection("c"));

        var fed = await adapters.FeedbackAsync(new FeedbackRequest { Query = new DenseVector([1, 0.2f, 0]), Relevant = [1, 2], Irrelevant = [6] });
        Assert.Equal((1L, 0), (fed.Updates, fed.Version));
        var configured = await adapters.ConfigureAdaptersAsync(new AdapterSettings { Enabled = true, EwcLambda = 10, ConsolidateEvery = 0 });
        Assert.Equal(new AdapterOptions { Enabled = true, EwcLambda = 10, ConsolidateEvery = 0 }, configured.Options);
        var v1 = await adapters.ConsolidateAdapterAsync();
        Assert.Equal((1, "consolidate"), (v1.Version, v1.Reason));
        var info = await adapters.GetAdaptersAsync();
        var adapter = Assert.Single(info.Adapters);
        Assert.Equal(("", "", 3, 2, 1L, 1), (adapter.Using, adapter.Tenant, adapter.Dimension, adapter.Rank, adapter.Updates, adapter.Version));
        Assert.Equal([0, 1], adapter.Versions.Select(v => v.Version));
        Assert.Equal(0, (await adapters.RollbackAdapterAsync(0)).Version);

        // The query's switch travels with the request.
        var adapted = await remote.GetCollection("c").QueryAsync(new QueryRequest { Vector = [1, 0, 0], Limit = 3, UseAdapter = true, AdapterTenant = "t" });
        Assert.Equal(3, adapted.Count);

        var refused = await Assert.ThrowsAnyAsync<ValidationException>(() => adapters.FeedbackAsync(new FeedbackRequest { Query = new DenseVector([1, 0, 0]), Relevant = [42] }));
        Assert.Contains("relevant[0]", refused.Message, StringComparison.Ordinal);
    }
}
