using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using RoseForest.Communication.Access;

namespace RoseForest.Communication.Tests;

/// <summary>
/// The mailbox tools on the stdio MCP server (the real <c>roseforest mcp</c> process, driven by the
/// official MCP C# SDK client): embedded over a data folder, acting as the model whose key
/// <c>--model-key</c> or <c>$ROSEFOREST_MODEL_KEY</c> gives, or as the folder's administrator.
/// </summary>
public class McpStdioTests
{
    [Fact]
    public async Task Over_stdio_models_send_receive_search_and_ack_as_themselves()
    {
        using var dir = new TempDir();
        string aliceKey, bobKey;
        var (db, hub) = await Fixtures.OpenAsync(dir.Path, new FakeTimeProvider(TimeProvider.System.GetUtcNow()));
        await using (db)
        await using (hub)
        {
            aliceKey = (await hub.RegisterAsync(Caller.Admin, Fixtures.Contract("alice", "team"))).ApiKey;
            bobKey = (await hub.RegisterAsync(Caller.Admin, Fixtures.Contract("bob", "team", capabilities: ["summarize"]))).ApiKey;
        }

        string sentId;
        await using (var alice = await McpClient.CreateAsync(Stdio(dir.Path, ["--model-key", aliceKey])))
        {
            var tools = (await alice.ListToolsAsync()).Select(t => t.Name).ToHashSet();
            Assert.Superset(new HashSet<string> { "send_message", "receive_messages", "ack_messages", "broadcast", "search_messages", "add_memory" }, tools);
            sentId = Json(await alice.CallToolAsync("send_message", Args(("to", "bob"), ("text", "the build is green"), ("body", new Dictionary<string, object> { ["run"] = 42 })))).GetProperty("id").GetString()!;

            // Alice acts as alice: bob's mailbox is not hers.
            var refused = await alice.CallToolAsync("receive_messages", Args(("model", "bob")));
            Assert.True(refused.IsError);
            Assert.Contains("alice", Text(refused), StringComparison.Ordinal);
            var broadcast = Json(await alice.CallToolAsync("broadcast", Args(("text", "standup in five"), ("capability", "summarize"))));
            Assert.Equal("bob", broadcast.GetProperty("sent")[0].GetProperty("to").GetString());
        }

        // Bob, by the environment variable: receives alice's message (body verbatim), finds it by meaning, acks it.
        await using (var bob = await McpClient.CreateAsync(Stdio(dir.Path, [], ("ROSEFOREST_MODEL_KEY", bobKey))))
        {
            var received = Json(await bob.CallToolAsync("receive_messages", Args(("model", "bob"), ("max", 10))));
            var message = received.EnumerateArray().Single(m => m.GetProperty("id").GetString() == sentId);
            Assert.Equal("alice", message.GetProperty("from").GetString());
            Assert.Equal(42, message.GetProperty("body").GetProperty("run").GetInt32());
            var found = Json(await bob.CallToolAsync("search_messages", Args(("model", "bob"), ("text", "the build is green"))));
            Assert.Equal(sentId, found[0].GetProperty("id").GetString());
            var acked = Json(await bob.CallToolAsync("ack_messages", Args(("model", "bob"), ("ids", received.EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToArray()))));
            Assert.Equal(2, acked.GetProperty("acked").GetArrayLength());
        }

        // Without a model key the stdio server is the folder's administrator: any mailbox, and the acks held.
        await using (var admin = await McpClient.CreateAsync(Stdio(dir.Path, [])))
        {
            Assert.Equal(0, Json(await admin.CallToolAsync("receive_messages", Args(("model", "bob")))).GetArrayLength());
            Assert.Equal(0, Json(await admin.CallToolAsync("receive_messages", Args(("model", "alice")))).GetArrayLength());
        }

        // A key nobody registered stops the server before it serves anything.
        await Assert.ThrowsAnyAsync<Exception>(async () => await McpClient.CreateAsync(Stdio(dir.Path, ["--model-key", "rf_not_a_key"])));
    }

    [Fact]
    public async Task Over_stdio_with_url_the_mailbox_tools_reach_the_server_which_acts_as_the_model()
    {
        await using var server = await CommServer.StartAsync();
        var aliceKey = await server.RegisterAsync(Fixtures.Contract("alice", "team"));
        var bobKey = await server.RegisterAsync(Fixtures.Contract("bob", "team"));
        using var dir = new TempDir();
        await using (var alice = await McpClient.CreateAsync(Stdio(dir.Path, ["--url", server.Server.BaseAddress.ToString(), "--model-key", aliceKey])))
        {
            var sent = Json(await alice.CallToolAsync("send_message", Args(("to", "bob"), ("text", "remote hello"))));
            var refused = await alice.CallToolAsync("receive_messages", Args(("model", "bob")));
            Assert.True(refused.IsError);
            Assert.Contains("Forbidden", Text(refused), StringComparison.Ordinal);

            using var bob = server.Client(bobKey);
            var inbox = System.Text.Json.Nodes.JsonNode.Parse(await (await bob.PostAsync("/mailboxes/bob/receive", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync())!;
            Assert.Equal(sent.GetProperty("id").GetString(), inbox["result"]![0]!["id"]!.GetValue<string>());
            Assert.Equal("alice", inbox["result"]![0]!["from"]!.GetValue<string>());
        }
    }

    private static StdioClientTransport Stdio(string data, string[] extra, params (string Name, string Value)[] environment) => new(new StdioClientTransportOptions
    {
        Name = "roseforest",
        Command = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
        Arguments = [RoseForestCli.Dll, "mcp", "--data", data, "--embedder", "hashing-64", .. extra],
        EnvironmentVariables = environment.ToDictionary(e => e.Name, e => (string?)e.Value),
    });

    private static Dictionary<string, object?> Args(params (string Name, object? Value)[] pairs) => pairs.ToDictionary(p => p.Name, p => p.Value);

    private static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;

    private static JsonElement Json(CallToolResult result)
    {
        Assert.True(result.IsError != true, Text(result));
        return JsonDocument.Parse(Text(result)).RootElement.Clone();
    }
}
