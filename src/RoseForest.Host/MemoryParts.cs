using Microsoft.AspNetCore.Builder;
using RoseForest.Mcp;

namespace RoseForest.Host;

/// <summary>
/// Agent memory (RoseForest.Mcp's <c>/memories</c> routes) as a server part. Errors and API keys
/// are the REST part's app-wide middleware, so compose it after <see cref="RestPart"/>.
/// </summary>
public sealed class MemoryPart(MemoryServerOptions options) : IServerPart
{
    /// <inheritdoc />
    public void ConfigureServices(WebApplicationBuilder builder, ServerOptions serverOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddRoseForestMemory(options);
    }

    /// <inheritdoc />
    public void UseMiddleware(WebApplication app) => app.UseRoseForestMemory();

    /// <inheritdoc />
    public void MapEndpoints(WebApplication app) => app.MapRoseForestMemory();
}

/// <summary>
/// The MCP server over streamable HTTP at <c>/mcp</c> as a server part. It needs
/// <see cref="MemoryPart"/> (its tools act on the services that part registers); API keys are
/// the REST part's middleware (<c>api-key</c> or <c>Authorization: Bearer</c>).
/// </summary>
public sealed class McpPart : IServerPart
{
    /// <inheritdoc />
    public void ConfigureServices(WebApplicationBuilder builder, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddRoseForestMcp(builder.Logging);
    }

    /// <inheritdoc />
    public void UseMiddleware(WebApplication app)
    {
    }

    /// <inheritdoc />
    public void MapEndpoints(WebApplication app) => app.MapRoseForestMcp();
}
