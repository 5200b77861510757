using System.Diagnostics;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace RoseForest.Mcp.Tests;

/// <summary>The C# SDK's MCP client against both transports: /mcp in-process and the real 'roseforest mcp' process.</summary>
public class McpClientTests
{
    private static readonly Dictionary<string, string[]> Expected = new()
    {
        ["add_memory"] = ["text", "user_id", "agent_id", "run_id", "app_id", "metadata", "kind", "infer"],
        ["search_memories"] = ["query", "user_id", "agent_id", "run_id", "app_id", "filters", "limit", "as_of"],
        ["get_memory"] = ["memory_id"],
        ["list_memories"] = ["user_id", "agent_id", "run_id", "app_id", "limit", "cursor"],
        ["update_memory"] = ["memory_id", "text", "metadata"],
        ["delete_memory"] = ["memory_id"],
        ["delete_all_memories"] = ["user_id", "agent_id", "run_id", "app_id"],
        ["memory_history"] = ["memory_id"],
        ["qdrant-store"] = ["information", "collection_name", "metadata"],
        ["qdrant-find"] = ["query", "collection_name"],
    };

    private static readonly HashSet<string> Mailbox = ["send_message", "receive_messages", "ack_messages", "broadcast", "search_messages"];

    [Fact]
    public async Task Over_streamable_http_the_tools_are_listed_and_each_one_works()
    {
        await using var server = await MemoryServer.StartAsync(apiKey: "mcp-key");
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(server.BaseAddress, "mcp"),
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer mcp-key" },
        });
        await using var client = await McpClient.CreateAsync(transport);
        await ExerciseAllToolsAsync(client, "http");
    }

    [Fact]
    public async Task Over_http_without_the_key_the_client_is_refused()
    {
        await using var server = await MemoryServer.StartAsync(apiKey: "mcp-key");
        var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(server.BaseAddress, "mcp") });
        await Assert.ThrowsAnyAsync<Exception>(async () => await McpClient.CreateAsync(transport));
    }

    [Fact]
    public async Task Over_stdio_the_real_process_serves_the_tools_and_memories_survive_a_restart()
    {
        using var dir = new TempDir();
        Guid id;
        await using (var client = await McpClient.CreateAsync(Stdio(dir.Path)))
        {
            await ExerciseAllToolsAsync(client, "stdio");
            id = Guid.Parse(Json(await client.CallToolAsync("add_memory", new Dictionary<string, object?> { ["text"] = "The spare key is under the blue flowerpot", ["agent_id"] = "butler" })).GetProperty("results")[0].GetProperty("id").GetString()!);
        }

        await using (var client = await McpClient.CreateAsync(Stdio(dir.Path)))
        {
            var hits = Json(await client.CallToolAsync("search_memories", new Dictionary<string, object?> { ["query"] = "spare key flowerpot", ["agent_id"] = "butler" }));
            Assert.Equal(id.ToString(), hits.GetProperty("results")[0].GetProperty("id").GetString());
        }
    }

    [Fact]
    public async Task A_stdio_server_confined_to_an_agent_cannot_read_another_agents_memories()
    {
        using var dir = new TempDir();
        await using (var open = await McpClient.CreateAsync(Stdio(dir.Path)))
        {
            Json(await open.CallToolAsync("add_memory", new Dictionary<string, object?> { ["text"] = "planner secret plan", ["agent_id"] = "planner" }));
        }

        await using var confined = await McpClient.CreateAsync(Stdio(dir.Path, "--agent-id", "butler"));
        var refused = await confined.CallToolAsync("search_memories", new Dictionary<string, object?> { ["query"] = "secret plan", ["agent_id"] = "planner" });
        Assert.True(refused.IsError);
        var own = Json(await confined.CallToolAsync("search_memories", new Dictionary<string, object?> { ["query"] = "secret plan" }));
        Assert.Equal(0, own.GetProperty("results").GetArrayLength());
    }

    internal static StdioClientTransport Stdio(string data, params string[] extra) => new(new StdioClientTransportOptions
    {
        Name = "roseforest",
        Command = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
        Arguments = [RoseForestCli.Dll, "mcp", "--data", data, "--embedder", "hashing-256", .. extra],
    });

    private static async Task ExerciseAllToolsAsync(McpClient client, string transport)
    {
        Assert.Equal("roseforest", client.ServerInfo!.Name);
        // The stdio server also carries model communication's mailbox tools (RoseForest.Communication.Tests covers them).
        var tools = (await client.ListToolsAsync()).Where(t => !Mailbox.Contains(t.Name)).ToList();
        Assert.Equal(Expected.Keys.Order(), tools.Select(t => t.Name).Order());
        foreach (var tool in tools)
        {
            var properties = tool.JsonSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name);
            Assert.Equal(Expected[tool.Name].Order(), properties.Order());
            Assert.False(string.IsNullOrWhiteSpace(tool.Description));
        }

        var user = $"cs-{transport}";
        var added = Json(await client.CallToolAsync("add_memory", Args(("text", "The user's favourite colour is teal"), ("user_id", user), ("metadata", new Dictionary<string, object> { ["topic"] = "colours" }))));
        var id = added.GetProperty("results")[0].GetProperty("id").GetString()!;
        Json(await client.CallToolAsync("add_memory", Args(("text", "Walked the dog in the park"), ("user_id", user), ("kind", "episodic"))));

        var found = Json(await client.CallToolAsync("search_memories", Args(("query", "favourite colour"), ("user_id", user), ("filters", new Dictionary<string, object> { ["topic"] = "colours" }), ("limit", 3))));
        Assert.Equal(id, found.GetProperty("results")[0].GetProperty("id").GetString());
        var past = Json(await client.CallToolAsync("search_memories", Args(("query", "favourite colour"), ("user_id", user), ("as_of", "2000-01-01T00:00:00Z"))));
        Assert.Equal(0, past.GetProperty("results").GetArrayLength());

        Assert.Equal(user, Json(await client.CallToolAsync("get_memory", Args(("memory_id", id)))).GetProperty("user_id").GetString());
        var page = Json(await client.CallToolAsync("list_memories", Args(("user_id", user), ("limit", 1))));
        var next = Json(await client.CallToolAsync("list_memories", Args(("user_id", user), ("limit", 1), ("cursor", page.GetProperty("next_cursor").GetString()))));
        Assert.Equal(1, next.GetProperty("results").GetArrayLength());

        Assert.Equal(2, Json(await client.CallToolAsync("update_memory", Args(("memory_id", id), ("text", "The user's favourite colour is orange")))).GetProperty("version").GetInt32());
        var history = Json(await client.CallToolAsync("memory_history", Args(("memory_id", id)))).GetProperty("results");
        Assert.Equal(["add", "update"], history.EnumerateArray().Select(v => v.GetProperty("event").GetString()));
        Assert.Equal("mcp", history[1].GetProperty("by").GetString());

        Assert.True(Json(await client.CallToolAsync("delete_memory", Args(("memory_id", id)))).GetProperty("deleted").GetBoolean());
        var gone = await client.CallToolAsync("get_memory", Args(("memory_id", id)));
        Assert.True(gone.IsError);
        Assert.Equal(1, Json(await client.CallToolAsync("delete_all_memories", Args(("user_id", user)))).GetProperty("deleted").GetInt32());

        var noScope = await client.CallToolAsync("add_memory", Args(("text", "orphan")));
        Assert.True(noScope.IsError);
        var unknownArgument = await client.CallToolAsync("get_memory", Args(("memory_id", id), ("colour", "red")));
        Assert.True(unknownArgument.IsError);

        var stored = Text(await client.CallToolAsync("qdrant-store", Args(("information", "RoseForest runs MCP"), ("collection_name", $"docs_{transport}"), ("metadata", new Dictionary<string, object> { ["by"] = "test" }))));
        Assert.StartsWith("Remembered", stored, StringComparison.Ordinal);
        var find = Text(await client.CallToolAsync("qdrant-find", Args(("query", "RoseForest MCP"), ("collection_name", $"docs_{transport}"))));
        Assert.Contains("<content>RoseForest runs MCP</content>", find, StringComparison.Ordinal);
        Assert.Contains("No information found", Text(await client.CallToolAsync("qdrant-find", Args(("query", "anything"), ("collection_name", "empty_one")))), StringComparison.Ordinal);
    }

    private static Dictionary<string, object?> Args(params (string Name, object? Value)[] pairs) => pairs.ToDictionary(p => p.Name, p => p.Value);

    private static string Text(CallToolResult result)
    {
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        Assert.False(result.IsError == true, text);
        return text;
    }

    private static JsonElement Json(CallToolResult result) => JsonElement.Parse(Text(result));
}
