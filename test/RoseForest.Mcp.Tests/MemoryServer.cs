using Microsoft.Extensions.Logging;
using RoseForest.Embeddings.Hashing;
using RoseForest.Host;

namespace RoseForest.Mcp.Tests;

/// <summary>An in-memory server with REST, /memories and /mcp on a free loopback port, with the hashing embedder.</summary>
internal sealed class MemoryServer : IAsyncDisposable
{
    private readonly HashingEmbeddingGenerator _embedder;

    private MemoryServer(RoseForestServer server, HashingEmbeddingGenerator embedder)
    {
        Server = server;
        _embedder = embedder;
    }

    public RoseForestServer Server { get; }

    public Uri BaseAddress => Server.BaseAddress;

    public static async Task<MemoryServer> StartAsync(string? apiKey = null, string? readOnlyKey = null)
    {
        var embedder = new HashingEmbeddingGenerator(256);
        var options = new ServerOptions { InMemory = true, Port = 0, ApiKey = apiKey, ReadOnlyApiKey = readOnlyKey };
        var memory = new MemoryServerOptions { Embedder = embedder };
        var server = await RoseForestServer.StartAsync(options, logging: l => l.SetMinimumLevel(LogLevel.Warning), parts: [new RestPart(), new MemoryPart(memory), new McpPart()]);
        return new MemoryServer(server, embedder);
    }

    public HttpClient Http(string? key = null)
    {
        var http = new HttpClient { BaseAddress = BaseAddress };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add("api-key", key);
        }

        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _embedder.Dispose();
    }
}
