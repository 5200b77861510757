using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace RoseForest.Communication.Tests;

public class HttpRouteTests
{
    [Fact]
    public async Task The_stream_delivers_messages_as_server_sent_events()
    {
        await using var server = await CommServer.StartAsync();
        var aliceKey = await server.RegisterAsync(Fixtures.Contract("alice", "team"));
        var bobKey = await server.RegisterAsync(Fixtures.Contract("bob", "team"));
        using var alice = server.Client(aliceKey);
        using var bob = server.Client(bobKey);
        var sent = JsonNode.Parse(await (await alice.PostAsJsonAsync("/mailboxes/bob/messages", new JsonObject { ["body"] = new JsonObject { ["hello"] = "stream" } })).Content.ReadAsStringAsync())!["result"]!["id"]!.GetValue<string>();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/mailboxes/bob/stream?wait_ms=1000");
        using var response = await bob.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        string? data = null;
        while (data is null && await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line["data: ".Length..];
            }
        }

        var message = JsonNode.Parse(data!)!;
        Assert.Equal(sent, message["id"]!.GetValue<string>());
        Assert.Equal("stream", message["body"]!["hello"]!.GetValue<string>());
        using var eve = server.Client("not-a-key");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await eve.GetAsync("/mailboxes/bob/stream")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await alice.GetAsync("/mailboxes/bob/stream")).StatusCode);
    }

    [Fact]
    public async Task A_rest_write_with_a_model_key_charges_its_points_to_the_vectors_budget()
    {
        // A fake clock: the bucket does not refill during the test.
        await using var server = await CommServer.StartAsync(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56)));
        var carolKey = await server.RegisterAsync(Fixtures.Contract("carol", "ns-c", geometry: "euclidean", dimension: 2, vectorsPerSecond: 5));
        using var carol = server.Client(carolKey);
        static StringContent Points(int from, int count) => new(
            new JsonObject { ["points"] = new JsonArray([.. Enumerable.Range(from, count).Select(i => (JsonNode)new JsonObject { ["id"] = i, ["vector"] = new JsonArray(0.1 * i, 0.5) })]) }.ToJsonString(),
            System.Text.Encoding.UTF8, "application/json");

        // Creating the collection is one write (4 of 5 left), 3 points leave 1: a 2-point upsert is over the budget, a 1-point one is not.
        (await carol.PutAsync("/collections/ns-c__docs", new StringContent("""{"vectors":{"size":2,"distance":"Euclid"}}""", System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        (await carol.PutAsync("/collections/ns-c__docs/points?wait=true", Points(1, 3))).EnsureSuccessStatusCode();
        var refused = await carol.PutAsync("/collections/ns-c__docs/points?wait=true", Points(4, 2));
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        var accepted = await carol.PutAsync("/collections/ns-c__docs/points?wait=true", Points(6, 1));
        Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync());

        // The endpoint still reads the body the check read: the points are there.
        var count = JsonNode.Parse(await (await carol.PostAsync("/collections/ns-c__docs/points/count", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync())!;
        Assert.Equal(4, count["result"]!["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_contract_update_adds_a_version_and_keeps_the_history()
    {
        await using var server = await CommServer.StartAsync();
        var aliceKey = await server.RegisterAsync(Fixtures.Contract("alice", "team"));
        using var alice = server.Client(aliceKey);
        var schema = JsonNode.Parse(await alice.GetStringAsync("/contracts/schema"))!["result"]!;
        Assert.Equal("object", schema["type"]!.GetValue<string>());
        var updated = Fixtures.Contract("alice", "team", capabilities: ["reasoning", "planning"]);
        var put = await alice.PutAsJsonAsync("/models/alice/contract", updated);
        Assert.Equal(2, JsonNode.Parse(await put.Content.ReadAsStringAsync())!["result"]!["version"]!.GetValue<int>());
        var history = JsonNode.Parse(await alice.GetStringAsync("/models/alice/contract/history"))!["result"]!.AsArray();
        Assert.Equal([1, 2], history.Select(h => h!["version"]!.GetValue<int>()));
        Assert.Single(history[0]!["contract"]!["model"]!["capabilities"]!.AsArray());
        // Moving to another namespace takes the administrator.
        var moved = Fixtures.Contract("alice", "elsewhere");
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await alice.PutAsJsonAsync("/models/alice/contract", moved)).StatusCode);
        var bad = Fixtures.Contract("alice", "team");
        ((JsonObject)bad["hvs_binding"]!)["geometry"] = "klein";
        var refused = await alice.PutAsJsonAsync("/models/alice/contract", bad);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("hvs_binding.geometry", JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["field"]!.GetValue<string>());
    }
}
