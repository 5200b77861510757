using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RoseForest.Communication.Http;
using RoseForest.Embeddings.Hashing;
using RoseForest.Host;
using RoseForest.Mcp;

namespace RoseForest.Communication.Tests;

/// <summary>An in-process server with the parts serve composes (REST, federated, memory, MCP, communication) and an admin key.</summary>
internal sealed class CommServer : IAsyncDisposable
{
    public const string AdminKey = "admin-key";
    private readonly TempDir _dir = new();

    private CommServer(RoseForestServer server) => Server = server;

    public RoseForestServer Server { get; }

    /// <summary>Starts a server with the administrator's key <see cref="AdminKey"/>, or an open one (<paramref name="open"/>: no server key, model keys still act as their models).</summary>
    public static async Task<CommServer> StartAsync(TimeProvider? time = null, bool open = false)
    {
        var dir = new TempDir();
        var embedder = new HashingEmbeddingGenerator(64);
        var options = new ServerOptions { Port = 0, DataPath = dir.Path, ApiKey = open ? null : AdminKey, TimeProvider = time ?? TimeProvider.System };
        var server = await RoseForestServer.StartAsync(options, logging: l => { }, parts:
            [.. RoseForestServer.DefaultParts, new MemoryPart(new MemoryServerOptions { Embedder = embedder }), new McpPart(), new CommunicationPart(new() { Embedder = embedder, EmbedderName = "hashing-64" })]);
        return new CommServer(server);
    }

    public HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = Server.BaseAddress };
        client.DefaultRequestHeaders.Add("api-key", key);
        return client;
    }

    public async Task<string> RegisterAsync(JsonObject contract)
    {
        using var admin = Client(AdminKey);
        var response = await admin.PostAsJsonAsync("/models", contract);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        return body["result"]!["api_key"]!.GetValue<string>();
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _dir.Dispose();
    }
}
