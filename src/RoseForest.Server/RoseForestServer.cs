using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RoseForest.Engine;
using RoseForest.Server.Endpoints;
using RoseForest.Server.Http;
using RoseForest.Server.Metrics;
using RoseForest.Server.Snapshots;

namespace RoseForest.Server;

/// <summary>
/// The RoseForest HTTP server as an embeddable host: the CLI's <c>serve</c>, the tests and the
/// benchmarks all start this same object in-process. It opens the embedded database, serves
/// Qdrant's REST API over it, and on shutdown flushes every collection and takes its snapshot.
/// </summary>
public sealed partial class RoseForestServer : IAsyncDisposable
{
    /// <summary>The Qdrant API version this server implements (what GET / reports).</summary>
    public const string QdrantApiVersion = "1.19.0";

    private readonly WebApplication _app;
    private readonly PrometheusExporter _exporter;
    private readonly ServerMetrics _metrics;
    private bool _disposed;
    private ILoggerFactory? _engineLogging;

    private RoseForestServer(WebApplication app, RoseForestDatabase database, PrometheusExporter exporter, ServerMetrics metrics, ServerOptions options)
    {
        _app = app;
        Database = database;
        _exporter = exporter;
        _metrics = metrics;
        Options = options;
    }

    /// <summary>The database being served.</summary>
    public RoseForestDatabase Database { get; }

    /// <summary>The settings in force.</summary>
    public ServerOptions Options { get; }

    /// <summary>Where the server listens (with the real port when port 0 was asked for).</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The mapped routes (for tests that check every route's protection).</summary>
    internal IReadOnlyList<RouteEndpoint> Routes => [.. _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()];

    /// <summary>Opens the database and starts listening.</summary>
    public static async Task<RoseForestServer> StartAsync(ServerOptions options, CancellationToken cancellationToken = default, Action<ILoggingBuilder>? logging = null)
    {
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
        var databaseOptions = new DatabaseOptions { LoggerFactory = engineLogging };
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

        try
        {
            var builder = WebApplication.CreateSlimBuilder();
            ConfigureLogging(builder.Logging);

            builder.WebHost.ConfigureKestrel(k =>
            {
                k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
                k.AddServerHeader = false;
            });
            builder.WebHost.UseUrls($"http://{options.Host}:{options.Port}");
            builder.Services.AddSingleton(options);
            builder.Services.AddSingleton(database);
            var snapshots = new SnapshotCatalog(options.InMemory ? Path.Combine(Path.GetTempPath(), "roseforest-snapshots-" + Guid.NewGuid().ToString("N")) : Path.Combine(Path.GetFullPath(options.DataPath), "snapshots"), database);
            builder.Services.AddSingleton(snapshots);

            var app = builder.Build();
            var exporter = new PrometheusExporter(ServerMetrics.MeterName, EngineMetrics.MeterName);
            var metrics = new ServerMetrics(database);
            var server = new RoseForestServer(app, database, exporter, metrics, options) { _engineLogging = engineLogging };
            app.Use(server.MeasureAsync);
            app.UseMiddleware<ErrorMiddleware>();
            app.UseMiddleware<ApiKeyMiddleware>();
            app.UseRouting();
            ServiceEndpoints.Map(app, exporter);
            CollectionEndpoints.Map(app);
            PointEndpoints.Map(app);
            QueryEndpoints.Map(app);
            SnapshotEndpoints.Map(app);
            app.MapFallback(static context => ApiResponse.WriteErrorAsync(context, StatusCodes.Status404NotFound, $"Not found: no route {context.Request.Method} {context.Request.Path}"));

            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            server.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
            var log = app.Services.GetRequiredService<ILogger<RoseForestServer>>();
            LogStarted(log, server.BaseAddress.ToString(), options.InMemory ? "(in memory)" : Path.GetFullPath(options.DataPath), options.ApiKey is not null);
            return server;
        }
        catch
        {
            await database.DisposeAsync().ConfigureAwait(false);
            engineLogging.Dispose();
            throw;
        }
    }

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
        await Database.DisposeAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _metrics.Dispose();
        _exporter.Dispose();
        _engineLogging?.Dispose();
    }

    /// <summary>Counts and times every request by its route pattern (not its path: bounded label values).</summary>
    private async Task MeasureAsync(HttpContext context, RequestDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            _metrics.Requests.Add(1, new("route", route), new("method", context.Request.Method), new("status", context.Response.StatusCode));
            _metrics.Duration.Record(elapsed, new("route", route), new("method", context.Request.Method));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "RoseForest listening on {Address}, data in {DataPath}, API key required: {KeyRequired}")]
    private static partial void LogStarted(ILogger logger, string address, string dataPath, bool keyRequired);
}
