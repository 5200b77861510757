using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RoseForest.Memory;

namespace RoseForest.Mcp;

/// <summary>
/// The agent-memory adapters' entry points, as the REST adapter's <c>RestApi</c>: the host's
/// server parts call these. Everything reaches data through the <see cref="IVectorDatabase"/>
/// registered by the host, so this project sees only the contracts (and the memory layer).
/// </summary>
public static class MemoryApi
{
    /// <summary>The route of the MCP endpoint.</summary>
    public const string McpRoute = "/mcp";

    /// <summary>
    /// Registers the <see cref="IMemoryStore"/> (a <see cref="MemoryStore"/> over the host's
    /// <see cref="IVectorDatabase"/>), the document store of qdrant-store/qdrant-find and the
    /// flush of access counts at shutdown.
    /// </summary>
    public static IServiceCollection AddRoseForestMemory(this IServiceCollection services, MemoryServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton<IMemoryStore>(sp => new MemoryStore(sp.GetRequiredService<IVectorDatabase>(), options.Embedder, options.Memory));
        services.AddSingleton(sp => new DocumentStore(sp.GetRequiredService<IVectorDatabase>(), options.Embedder, options.DocumentsCollection, options.Memory.TimeProvider));
        services.AddSingleton(sp => new ToolContext(sp.GetRequiredService<IMemoryStore>(), sp.GetRequiredService<DocumentStore>(), options.McpBoundary));
        services.AddSingleton<IHostedService, MemoryFlushService>();
        return services;
    }

    /// <summary>Stamps each request's start, for the <c>time</c> of the <c>/memories</c> envelope.</summary>
    public static IApplicationBuilder UseRoseForestMemory(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(static (context, next) =>
        {
            context.Items[MemoryEndpoints.StartKey] = System.Diagnostics.Stopwatch.GetTimestamp();
            return next(context);
        });
    }

    /// <summary>Maps the <c>/memories</c> routes.</summary>
    public static IEndpointRouteBuilder MapRoseForestMemory(this IEndpointRouteBuilder app)
    {
        MemoryEndpoints.Map(app);
        return app;
    }

    /// <summary>
    /// Registers the MCP server (streamable HTTP, stateless: every request stands alone, so no
    /// session outlives a restart) with the memory tools; needs <see cref="AddRoseForestMemory"/>.
    /// </summary>
    public static IServiceCollection AddRoseForestMcp(this IServiceCollection services, ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(logging);
        logging.AddFilter("ModelContextProtocol", LogLevel.Warning); // it logs every call at Information
        services.AddMcpServer(o => o.ServerInfo = McpStdio.ServerInfo)
            .WithHttpTransport(o => o.Stateless = true)
            .WithTools(MemoryTools.Create(ToolContexts.FromServices));
        return services;
    }

    /// <summary>Maps the MCP endpoint at <see cref="McpRoute"/>.</summary>
    public static IEndpointRouteBuilder MapRoseForestMcp(this IEndpointRouteBuilder app)
    {
        app.MapMcp(McpRoute);
        return app;
    }
}
