using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RoseForest.Cluster;
using RoseForest.Engine;

namespace RoseForest.Host;

/// <summary>
/// The RoseForest server as an embeddable host: the CLI's <c>serve</c>, the tests and the
/// benchmarks all start this same object in-process. It opens the embedded database, registers
/// it as the <see cref="IVectorDatabase"/> every transport serves, composes the parts (REST by
/// default), and on shutdown flushes every collection and takes its snapshot.
/// </summary>
public sealed partial class RoseForestServer : IAsyncDisposable
{
    /// <summary>The Qdrant API version this server implements (what GET / reports).</summary>
    public const string QdrantApiVersion = Server.RestApi.QdrantApiVersion;

    private readonly WebApplication _app;
    private readonly ILoggerFactory _engineLogging;
    private IReadOnlyList<IServerPart> _parts = [];
    private bool _disposed;

    private RoseForestServer(WebApplication app, RoseForestDatabase database, ServerOptions options, ILoggerFactory engineLogging)
    {
        _app = app;
        Database = database;
        Options = options;
        _engineLogging = engineLogging;
    }

    /// <summary>The database being served.</summary>
    public RoseForestDatabase Database { get; }

    /// <summary>The settings in force.</summary>
    public ServerOptions Options { get; }

    /// <summary>Where the server listens (with the real port when port 0 was asked for).</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The mapped routes (for tests that check every route's protection).</summary>
    internal IReadOnlyList<RouteEndpoint> Routes => [.. _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()];

    /// <summary>Where the gRPC API listens (with the real port), or null when the server has no <see cref="GrpcPart"/>.</summary>
    public Uri? GrpcAddress => _parts.OfType<GrpcPart>().FirstOrDefault()?.Address;

    /// <summary>The parts a server has when none are given: the REST API, the gRPC API, the federated-learning coordinator and the dashboard.</summary>
    public static IReadOnlyList<IServerPart> DefaultParts => [new RestPart(), new GrpcPart(), new FederatedPart(), new DashboardPart()];

    /// <summary>Opens the database, composes <paramref name="parts"/> (default: <see cref="DefaultParts"/>) and starts listening.</summary>
    public static async Task<RoseForestServer> StartAsync(ServerOptions options, CancellationToken cancellationToken = default, Action<ILoggingBuilder>? logging = null, IReadOnlyList<IServerPart>? parts = null)
    {
        parts ??= DefaultParts;
        void ConfigureLogging(ILoggingBuilder l)
        {
            l.ClearProviders();
            if (logging is null)
            {
                l.AddSimpleConsole(o => o.SingleLine = true);
                l.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            }
            else
            {
                logging(l);
            }
        }

        // The engine logs through the same configuration (quarantined records, faulted collections).
        var engineLogging = LoggerFactory.Create(ConfigureLogging);
        var databaseOptions = new DatabaseOptions { LoggerFactory = engineLogging, TimeProvider = options.TimeProvider, EmbeddingModels = options.EmbeddingModels };
        RoseForestDatabase database;
        try
        {
            database = options.InMemory
                ? RoseForestDatabase.CreateInMemory(databaseOptions)
                : await RoseForestDatabase.OpenAsync(options.DataPath, databaseOptions, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            engineLogging.Dispose();
            throw;
        }

        ClusterNode? cluster = null;
        try
        {
            var builder = WebApplication.CreateSlimBuilder();
            ConfigureLogging(builder.Logging);
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
                k.AddServerHeader = false;
            });
            var port = options.Port;
            if (options.Cluster is not null)
            {
                // Cluster mode: the engine holds this node's replicas; what every transport
                // serves is the cluster router over all nodes. The node joins before the host
                // starts, so parts that open their collections while starting (agent memory,
                // knowledge) find the cluster joined; its URL is therefore fixed first (a free
                // port is chosen when port 0 was asked for).
                cluster = await ClusterNode.StartAsync(database, ClusterOptionsFor(options), engineLogging, cancellationToken).ConfigureAwait(false);
                parts = [.. parts, new ClusterPart(cluster)];
                port = port == 0 ? FreePort(options.Host) : port;
                await cluster.JoinAsync(new Uri($"http://{options.Host}:{port}/"), cancellationToken).ConfigureAwait(false);
            }

            // The REST listener; a part with a port of its own (gRPC) adds its listener beside it.
            builder.WebHost.ConfigureKestrel(k => Listeners.Listen(k, options.Host, port, _ => { }));
            builder.Services.AddSingleton(options);

            builder.Services.AddSingleton<IVectorDatabase>(cluster?.Database ?? database);
            foreach (var part in parts)
            {
                part.ConfigureServices(builder, options);
            }

            var app = builder.Build();
            var server = new RoseForestServer(app, database, options, engineLogging) { _parts = parts, Cluster = cluster };
            foreach (var part in parts)
            {
                part.UseMiddleware(app);
            }

            app.UseRouting();
            foreach (var part in parts)
            {
                part.MapEndpoints(app);
            }

            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            server.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
            var log = app.Services.GetRequiredService<ILogger<RoseForestServer>>();
            LogStarted(log, server.BaseAddress.ToString(), options.InMemory ? "(in memory)" : Path.GetFullPath(options.DataPath), options.ApiKey is not null);
            if (server.GrpcAddress is { } grpc)
            {
                LogGrpc(log, grpc.ToString());
            }

            return server;
        }
        catch
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync().ConfigureAwait(false);
            }

            await database.DisposeAsync().ConfigureAwait(false);
            engineLogging.Dispose();
            throw;
        }
    }

    /// <summary>A port that is free now on <paramref name="host"/> (the OS picks it; another process could take it before the server binds, which then fails to start).</summary>
    private static int FreePort(string host)
    {
        var address = System.Net.IPAddress.TryParse(host, out var ip) ? ip : System.Net.IPAddress.Loopback;
        using var probe = new System.Net.Sockets.TcpListener(address, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>This node's cluster membership, when the server runs in cluster mode (<see cref="ServerOptions.Cluster"/>).</summary>
    public ClusterNode? Cluster { get; private init; }

    private static ClusterOptions ClusterOptionsFor(ServerOptions options) => new()
    {
        ConnectionString = options.Cluster!,
        AdvertisedUrl = options.ClusterAdvertiseUrl is { } url ? new Uri(url) : null,
        ApiKey = options.ApiKey,
        TimeProvider = options.TimeProvider,
    };

    /// <summary>Completes when the host is asked to stop (SIGINT, SIGTERM, or <paramref name="cancellationToken"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops listening, then closes the database: pending writes finish, logs are flushed, snapshots taken.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _app.StopAsync().ConfigureAwait(false);
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync().ConfigureAwait(false);
        }

        await Database.DisposeAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _engineLogging.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "RoseForest listening on {Address}, data in {DataPath}, API key required: {KeyRequired}")]
    private static partial void LogStarted(ILogger logger, string address, string dataPath, bool keyRequired);

    [LoggerMessage(Level = LogLevel.Information, Message = "RoseForest gRPC (Qdrant's gRPC API) listening on {Address}")]
    private static partial void LogGrpc(ILogger logger, string address);
}
