using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RoseForest.Embeddings.Hashing;
using RoseForest.Host;

namespace RoseForest.Knowledge.Http.Tests;

/// <summary>A real server (REST and knowledge parts) on a free loopback port over a temporary data folder, with the hashing embedder.</summary>
internal sealed class KnowledgeServer : IAsyncDisposable
{
    private readonly TempDir? _ownedDir;
    private readonly ServerOptions _serverOptions;
    private readonly Action<KnowledgeOptions>? _configure;

    private KnowledgeServer(RoseForestServer server, ServerOptions serverOptions, Action<KnowledgeOptions>? configure, TempDir? ownedDir)
    {
        Server = server;
        _serverOptions = serverOptions;
        _configure = configure;
        _ownedDir = ownedDir;
        Http = new HttpClient { BaseAddress = server.BaseAddress };
    }

    public RoseForestServer Server { get; private set; }

    public HttpClient Http { get; private set; }

    public Uri BaseAddress => Server.BaseAddress;

    public string DataPath => _serverOptions.DataPath;

    public static async Task<KnowledgeServer> StartAsync(Action<KnowledgeOptions>? configure = null, Action<ServerOptions>? server = null, string? dataPath = null)
    {
        var dir = dataPath is null ? new TempDir() : null;
        var options = new ServerOptions { Port = 0, DataPath = dataPath ?? dir!.Path };
        server?.Invoke(options);
        return new KnowledgeServer(await StartServerAsync(options, configure), options, configure, dir);
    }

    /// <summary>Stops the server cleanly and starts another over the same folder (same settings).</summary>
    public async Task RestartAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        _serverOptions.Port = 0;
        Server = await StartServerAsync(_serverOptions, _configure);
        Http = new HttpClient { BaseAddress = Server.BaseAddress };
    }

    public async Task<(int Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, string? json = null, string? authorization = null, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (apiKey is not null)
        {
            request.Headers.Add("api-key", apiKey);
        }

        var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonElement body = default;
        if (text.Length > 0)
        {
            try
            {
                body = JsonElement.Parse(text);
            }
            catch (JsonException)
            {
                body = JsonSerializer.SerializeToElement(text);
            }
        }

        return ((int)response.StatusCode, body, response);
    }

    public async Task<JsonElement> OkAsync(HttpMethod method, string path, string? json = null, string? authorization = null)
    {
        var (status, body, _) = await SendAsync(method, path, json, authorization);
        Assert.True(status is 200 or 201, $"{method} {path} answered {status}: {body}");
        return body;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        _ownedDir?.Dispose();
    }

    private static Task<RoseForestServer> StartServerAsync(ServerOptions options, Action<KnowledgeOptions>? configure)
    {
        var knowledge = new KnowledgeOptions { Embedder = new HashingEmbeddingGenerator(64) };
        configure?.Invoke(knowledge);
        return RoseForestServer.StartAsync(options, logging: l => l.SetMinimumLevel(LogLevel.Warning), parts: [new RestPart(), new KnowledgePart(knowledge)]);
    }
}
