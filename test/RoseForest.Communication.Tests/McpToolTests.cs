using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace RoseForest.Communication.Tests;

/// <summary>The mailbox tools over MCP (streamable HTTP at /mcp), called with model keys.</summary>
public class McpToolTests
{
    [Fact]
    public async Task Models_send_receive_and_ack_through_mcp_tools_and_may_call_no_other_tool()
    {
        await using var server = await CommServer.StartAsync();
        var aliceKey = await server.RegisterAsync(Fixtures.Contract("alice", "team"));
        var bobKey = await server.RegisterAsync(Fixtures.Contract("bob", "team"));
        using var alice = server.Client(aliceKey);
        using var bob = server.Client(bobKey);

        var tools = await CallAsync(alice, "tools/list", new JsonObject());
        var names = tools!["result"]!["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToList();
        // A model is shown exactly the tools it may call; the administrator sees the memory tools too.
        Assert.Equal(["ack_messages", "broadcast", "receive_messages", "search_messages", "send_message"], names.Order());
        using var admin = server.Client(CommServer.AdminKey);
        var all = (await CallAsync(admin, "tools/list", new JsonObject()))!["result"]!["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("search_memories", all);
        Assert.Contains("send_message", all);

        var sent = await ToolAsync(alice, "send_message", new JsonObject { ["to"] = "bob", ["text"] = "over mcp", ["body"] = new JsonObject { ["k"] = 1 } });
        var received = (await ToolAsync(bob, "receive_messages", new JsonObject { ["model"] = "bob", ["max"] = 5 })).AsArray();
        var message = Assert.Single(received);
        Assert.Equal(sent["id"]!.GetValue<string>(), message!["id"]!.GetValue<string>());
        Assert.Equal(1, message["body"]!["k"]!.GetValue<int>());
        var search = (await ToolAsync(bob, "search_messages", new JsonObject { ["model"] = "bob", ["text"] = "over mcp" })).AsArray();
        Assert.Single(search);
        var ack = await ToolAsync(bob, "ack_messages", new JsonObject { ["model"] = "bob", ["ids"] = new JsonArray(message["id"]!.GetValue<string>()) });
        Assert.Single(ack["acked"]!.AsArray());

        // Refusals: another's mailbox is a tool error; a non-mailbox tool is 403 for a model key.
        var refused = await CallAsync(alice, "tools/call", new JsonObject { ["name"] = "receive_messages", ["arguments"] = new JsonObject { ["model"] = "bob" } });
        Assert.True(refused!["result"]!["isError"]!.GetValue<bool>());
        using var request = Request("tools/call", new JsonObject { ["name"] = "search_memories", ["arguments"] = new JsonObject { ["query"] = "x" } });
        var forbidden = await alice.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        var broadcast = await ToolAsync(alice, "broadcast", new JsonObject { ["text"] = "all hands", ["capability"] = "reasoning" });
        Assert.Equal("bob", Assert.Single(broadcast["sent"]!.AsArray())!["to"]!.GetValue<string>());
    }

    private static async Task<JsonNode> ToolAsync(HttpClient client, string name, JsonObject arguments)
    {
        var response = await CallAsync(client, "tools/call", new JsonObject { ["name"] = name, ["arguments"] = arguments });
        var result = response!["result"]!;
        Assert.False(result["isError"]?.GetValue<bool>() ?? false, result.ToJsonString());
        return JsonNode.Parse(result["content"]![0]!["text"]!.GetValue<string>())!;
    }

    private static async Task<JsonNode?> CallAsync(HttpClient client, string method, JsonObject parameters)
    {
        using var request = Request(method, parameters);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        var data = text.Split('\n').FirstOrDefault(l => l.StartsWith("data:", StringComparison.Ordinal));
        return JsonNode.Parse(data is null ? text : data["data:".Length..]);
    }

    private static HttpRequestMessage Request(string method, JsonObject parameters)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = new StringContent(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = method, ["params"] = parameters }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Accept", "application/json, text/event-stream");
        return request;
    }
}
