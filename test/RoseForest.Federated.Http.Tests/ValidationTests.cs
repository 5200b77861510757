using System.Text.Json.Nodes;
using RoseForest.Federated.Model;
using RoseForest.Federated.Wire;
using static RoseForest.Federated.Http.Tests.Runs;

namespace RoseForest.Federated.Http.Tests;

/// <summary>Bad input is a 4xx that names the field and changes nothing.</summary>
public sealed class ValidationTests
{
    private static async Task<FlServer> OpenRoundAsync()
    {
        var server = await FlServer.StartAsync();
        var http = server.Client();
        await http.CreateTaskAsync(Spec("t", 2, 2), LinearLearner.InitialModel());
        foreach (var id in Ids(2))
        {
            await http.JoinAsync("t", id);
        }

        return server;
    }

    private static string Update(string client = "client-0", int round = 1, string tensors = """[{"name":"w","shape":[4],"data":[1,2,3,4]},{"name":"b","shape":[],"data":[0.5]}]""", int samples = 10) =>
        $$"""{"client_id":"{{client}}","round":{{round}},"sample_count":{{samples}},"metrics":{"loss":0.5,"accuracy":0.5},"tensors":{{tensors}}}""";

    [Theory]
    [InlineData("""[{"name":"w","shape":[3],"data":[1,2,3]},{"name":"b","shape":[],"data":[0.5]}]""", "tensors[w].shape")]
    [InlineData("""[{"name":"b","shape":[],"data":[0.5]},{"name":"w","shape":[4],"data":[1,2,3,4]}]""", "tensors[0].name")]
    [InlineData("""[{"name":"w","shape":[4],"data":[1,2,3,4]}]""", "tensors")]
    [InlineData("""[{"name":"w","shape":[4],"data":[1,2,3]},{"name":"b","shape":[],"data":[0.5]}]""", "tensors[0].data")]
    [InlineData("""[{"name":"w","shape":[4],"data":[1,2,3,1e999]},{"name":"b","shape":[],"data":[0.5]}]""", "tensors[w]")]
    public async Task A_malformed_update_is_a_400_naming_the_field_and_the_round_keeps_waiting(string tensors, string field)
    {
        await using var server = await OpenRoundAsync();
        var (status, body) = await server.SendAsync(HttpMethod.Post, "/fl/tasks/t/updates", Update(tensors: tensors));
        Assert.Equal(400, status);
        Assert.Contains(field, body.GetProperty("status").GetProperty("error").GetString(), StringComparison.Ordinal);
        var task = await server.Client().GetTaskAsync("t");
        Assert.Equal(0, task.GetProperty("current").GetProperty("received").GetInt32());
    }

    [Theory]
    [InlineData(2, 10, "client-0", 409, "round_mismatch")]
    [InlineData(1, 0, "client-0", 400, "invalid_update")]
    [InlineData(1, 10, "stranger", 409, "not_selected")]
    public async Task An_update_for_another_round_without_samples_or_from_a_stranger_is_refused(int round, int samples, string client, int expected, string code)
    {
        await using var server = await OpenRoundAsync();
        var (status, body) = await server.SendAsync(HttpMethod.Post, "/fl/tasks/t/updates", Update(client, round, samples: samples));
        Assert.Equal(expected, status);
        Assert.Equal(code, body.GetProperty("status").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_second_update_from_a_client_in_a_round_is_a_409_and_the_first_one_stands()
    {
        await using var server = await OpenRoundAsync();
        var (first, accepted) = await server.SendAsync(HttpMethod.Post, "/fl/tasks/t/updates", Update());
        Assert.Equal(200, first);
        Assert.Equal(64, accepted.GetProperty("result").GetProperty("hash").GetString()!.Length);
        var (second, body) = await server.SendAsync(HttpMethod.Post, "/fl/tasks/t/updates", Update(tensors: """[{"name":"w","shape":[4],"data":[9,9,9,9]},{"name":"b","shape":[],"data":[9]}]"""));
        Assert.Equal(409, second);
        Assert.Equal("duplicate_update", body.GetProperty("status").GetProperty("code").GetString());
        Assert.Equal(1, (await server.Client().GetTaskAsync("t")).GetProperty("current").GetProperty("received").GetInt32());
    }

    [Theory]
    [InlineData("""{"rounds":1,"strategy":{"name":"fedfoo"},"tensors":[{"name":"w","shape":[1],"data":[0]}]}""", "strategy.name")]
    [InlineData("""{"strategy":{"name":"fedavg"},"tensors":[{"name":"w","shape":[1],"data":[0]}]}""", "rounds")]
    [InlineData("""{"rounds":1,"roundz":2,"tensors":[{"name":"w","shape":[1],"data":[0]}]}""", "roundz")]
    [InlineData("""{"rounds":1,"task_id":"../x","tensors":[{"name":"w","shape":[1],"data":[0]}]}""", "task_id")]
    [InlineData("""{"rounds":1,"strategy":{"name":"krum","byzantine":1},"secure_aggregation":{},"tensors":[{"name":"w","shape":[1],"data":[0]}]}""", "secure_aggregation")]
    [InlineData("""{"rounds":1,"privacy":{"clipping":"adaptive","noise_multiplier":5},"tensors":[{"name":"w","shape":[1],"data":[0]}]}""", "privacy")]
    [InlineData("""{"rounds":1,"rounds":2,"tensors":[{"name":"w","shape":[1],"data":[0]}]}""", "rounds")]
    [InlineData("""{"rounds":1,"tensors":[]}""", "tensors")]
    public async Task A_bad_task_definition_is_a_400_naming_the_field_and_creates_nothing(string body, string field)
    {
        await using var server = await FlServer.StartAsync();
        var (status, response) = await server.SendAsync(HttpMethod.Post, "/fl/tasks", body);
        Assert.Equal(400, status);
        Assert.Contains(field, response.GetProperty("status").GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await server.Client().ListTasksAsync()).GetArrayLength());
    }

    [Fact]
    public async Task Malformed_frames_are_400s()
    {
        await using var server = await OpenRoundAsync();
        var good = UpdateWire.ToFrame(new ClientUpdate("client-0", 1, LinearLearner.InitialModel(), 10));
        foreach (var bad in new[] { good[..^1], [.. good, 0], "RFT2"u8.ToArray().Concat(good[4..]).ToArray(), good[..6] })
        {
            var (status, _) = await server.SendAsync(HttpMethod.Post, "/fl/tasks/t/updates", bytes: bad, contentType: TensorWire.FrameContentType);
            Assert.Equal(400, status);
        }

        Assert.Equal(200, (await server.SendAsync(HttpMethod.Post, "/fl/tasks/t/updates", bytes: good, contentType: TensorWire.FrameContentType)).Status);
    }

    [Fact]
    public async Task Unknown_tasks_are_404_an_unjoined_client_is_409_and_a_duplicate_task_is_409()
    {
        await using var server = await OpenRoundAsync();
        Assert.Equal(404, (await server.SendAsync(HttpMethod.Get, "/fl/tasks/nope")).Status);
        Assert.Equal(404, (await server.SendAsync(HttpMethod.Post, "/fl/tasks/nope/join", """{"client_id":"a"}""")).Status);
        var (status, body) = await server.SendAsync(HttpMethod.Get, "/fl/tasks/t/round?client_id=someone");
        Assert.Equal((409, "not_joined"), (status, body.GetProperty("status").GetProperty("code").GetString()));
        Assert.Equal(400, (await server.SendAsync(HttpMethod.Get, "/fl/tasks/t/round")).Status);
        var again = await server.SendAsync(HttpMethod.Post, "/fl/tasks", """{"task_id":"t","rounds":1,"tensors":[{"name":"w","shape":[1],"data":[0]}]}""");
        Assert.Equal(409, again.Status);
    }

    [Fact]
    public async Task The_routes_need_the_key_and_the_read_only_key_may_only_read()
    {
        await using var server = await FlServer.StartAsync(configure: o =>
        {
            o.ApiKey = "full";
            o.ReadOnlyApiKey = "reader";
        });
        var create = """{"task_id":"k","rounds":1,"tensors":[{"name":"w","shape":[1],"data":[0]}]}""";
        Assert.Equal(401, (await server.SendAsync(HttpMethod.Post, "/fl/tasks", create)).Status);
        Assert.Equal(403, (await server.SendAsync(HttpMethod.Post, "/fl/tasks", create, "reader")).Status);
        Assert.Equal(200, (await server.SendAsync(HttpMethod.Post, "/fl/tasks", create, "full")).Status);
        Assert.Equal(401, (await server.SendAsync(HttpMethod.Get, "/fl/tasks/k", key: "wrong")).Status);
        Assert.Equal(200, (await server.SendAsync(HttpMethod.Get, "/fl/tasks/k", key: "reader")).Status);
        Assert.Equal(403, (await server.SendAsync(HttpMethod.Post, "/fl/tasks/k/join", """{"client_id":"a"}""", "reader")).Status);
        Assert.Equal(200, (await new Client.FederatedHttpClient(server.Http, "full").JoinAsync("k", "a")).GetProperty("client_id").GetString() == "a" ? 200 : 0);
    }
}
