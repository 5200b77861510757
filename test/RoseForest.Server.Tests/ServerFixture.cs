using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

using RoseForest.Host;

namespace RoseForest.Server.Tests;

/// <summary>A real server on a free loopback port over a temporary data folder, for one test.</summary>
internal sealed class ServerFixture : IAsyncDisposable
{
    private readonly TempDir _dir;

    private readonly ServerOptions _options;

    private ServerFixture(RoseForestServer server, TempDir dir, ServerOptions options)
    {
        Server = server;
        _dir = dir;
        _options = options;
        Client = new HttpClient { BaseAddress = server.BaseAddress };
    }

    public RoseForestServer Server { get; private set; }

    public HttpClient Client { get; private set; }

    /// <summary>Stops the server (a clean shutdown) and starts a new one over the same data folder.</summary>
    public async Task RestartAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        Server = await RoseForestServer.StartAsync(_options, logging: l => l.SetMinimumLevel(LogLevel.Warning));
        Client = new HttpClient { BaseAddress = Server.BaseAddress };
    }

    public string DataPath => _dir.Path;

    public static async Task<ServerFixture> StartAsync(Action<ServerOptions>? configure = null)
    {
        var dir = new TempDir();
        var options = new ServerOptions { Port = 0, DataPath = dir.Path };
        configure?.Invoke(options);
        var server = await RoseForestServer.StartAsync(options, logging: l => l.SetMinimumLevel(LogLevel.Warning));
        return new ServerFixture(server, dir, options);
    }

    public async Task<(int Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? json = null, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (apiKey is not null)
        {
            request.Headers.Add("api-key", apiKey);
        }

        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonElement body;
        try
        {
            body = text.Length == 0 ? default : JsonElement.Parse(text);
        }
        catch (JsonException)
        {
            body = JsonSerializer.SerializeToElement(text);
        }

        return ((int)response.StatusCode, body);
    }

    public Task<(int Status, JsonElement Body)> PutAsync(string path, string json) => SendAsync(HttpMethod.Put, path, json);

    public Task<(int Status, JsonElement Body)> PostAsync(string path, string json) => SendAsync(HttpMethod.Post, path, json);

    public Task<(int Status, JsonElement Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        _dir.Dispose();
    }
}
