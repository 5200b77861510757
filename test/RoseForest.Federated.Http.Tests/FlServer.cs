using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RoseForest.Federated.Client;
using RoseForest.Host;

namespace RoseForest.Federated.Http.Tests;

/// <summary>A real server (REST and federated parts) on a free loopback port, for one test.</summary>
internal sealed class FlServer : IAsyncDisposable
{
    private FlServer(RoseForestServer server, ServerOptions options)
    {
        Server = server;
        Options = options;
        Http = new HttpClient { BaseAddress = server.BaseAddress };
    }

    public RoseForestServer Server { get; private set; }

    public ServerOptions Options { get; }

    public HttpClient Http { get; private set; }

    public FederatedHttpClient Client(string? key = null) => new(Http, key);

    public static async Task<FlServer> StartAsync(string? dataPath = null, Action<ServerOptions>? configure = null)
    {
        var options = new ServerOptions { Port = 0, InMemory = dataPath is null, DataPath = dataPath ?? "unused" };
        configure?.Invoke(options);
        var server = await RoseForestServer.StartAsync(options, logging: l => l.SetMinimumLevel(LogLevel.Warning));
        return new FlServer(server, options);
    }

    /// <summary>A clean stop and a new server over the same options (and data folder).</summary>
    public async Task RestartAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        Server = await RoseForestServer.StartAsync(Options, logging: l => l.SetMinimumLevel(LogLevel.Warning));
        Http = new HttpClient { BaseAddress = Server.BaseAddress };
    }

    public async Task<(int Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? json = null, string? key = null, string contentType = "application/json", byte[]? bytes = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, contentType);
        }
        else if (bytes is not null)
        {
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        if (key is not null)
        {
            request.Headers.Add("api-key", key);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        return ((int)response.StatusCode, doc.RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
