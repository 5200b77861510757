using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RoseForest.Host;
using RoseForest.Memory;

namespace RoseForest.Mcp;

/// <summary>
/// Agent memory as a server part: registers the <see cref="IMemoryStore"/> (a
/// <see cref="MemoryStore"/> over the host's <see cref="IVectorDatabase"/>) and maps the
/// <c>/memories</c> REST routes. Errors and API keys are the REST part's app-wide middleware, so
/// compose it after <see cref="RestPart"/>.
/// </summary>
public sealed class MemoryPart(MemoryServerOptions options) : IServerPart
{
    /// <inheritdoc />
    public void ConfigureServices(WebApplicationBuilder builder, ServerOptions serverOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<IMemoryStore>(sp => new MemoryStore(sp.GetRequiredService<IVectorDatabase>(), options.Embedder, options.Memory));
        builder.Services.AddSingleton(sp => new DocumentStore(sp.GetRequiredService<IVectorDatabase>(), options.Embedder, options.DocumentsCollection, options.Memory.TimeProvider));
        builder.Services.AddSingleton(sp => new ToolContext(sp.GetRequiredService<IMemoryStore>(), sp.GetRequiredService<DocumentStore>(), options.McpBoundary));
        builder.Services.AddSingleton<IHostedService, MemoryFlushService>();
    }

    /// <inheritdoc />
    public void UseMiddleware(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(static (context, next) =>
        {
            context.Items[MemoryEndpoints.StartKey] = System.Diagnostics.Stopwatch.GetTimestamp();
            return next(context);
        });
    }

    /// <inheritdoc />
    public void MapEndpoints(WebApplication app) => MemoryEndpoints.Map(app);
}
