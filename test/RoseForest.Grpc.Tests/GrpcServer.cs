using Microsoft.Extensions.Logging;
using Qdrant.Client;
using RoseForest.Host;

namespace RoseForest.Grpc.Tests;

/// <summary>A real server (REST and gRPC on free loopback ports) over a temporary folder, and Qdrant's own client on its gRPC port.</summary>
internal sealed class GrpcServer : IAsyncDisposable
{
    private readonly TempDir _dir;
    private readonly ServerOptions _options;

    private GrpcServer(RoseForestServer server, TempDir dir, ServerOptions options)
    {
        Server = server;
        _dir = dir;
        _options = options;
    }

    public RoseForestServer Server { get; private set; }

    public string DataPath => _dir.Path;

    /// <summary>Stops the server cleanly and starts it again over the same folder (on new ports).</summary>
    public async Task RestartAsync()
    {
        await Server.DisposeAsync();
        Server = await RoseForestServer.StartAsync(_options, logging: l => l.SetMinimumLevel(LogLevel.Warning));
    }

    public Uri GrpcAddress => Server.GrpcAddress!;

    public static async Task<GrpcServer> StartAsync(Action<ServerOptions>? configure = null)
    {
        var dir = new TempDir();
        var options = new ServerOptions { Port = 0, GrpcPort = 0, DataPath = dir.Path };
        configure?.Invoke(options);
        var server = await RoseForestServer.StartAsync(options, logging: l => l.SetMinimumLevel(LogLevel.Warning));
        return new GrpcServer(server, dir, options);
    }

    /// <summary>Qdrant.Client 1.20 as a user constructs it: host, port, no TLS, optional key.</summary>
    public QdrantClient Client(string? apiKey = null) => new(GrpcAddress.Host, GrpcAddress.Port, https: false, apiKey: apiKey);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _dir.Dispose();
    }
}
