using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RoseForest.Host;

namespace RoseForest.Mcp;

/// <summary>
/// The MCP server over streamable HTTP at <c>/mcp</c> (ModelContextProtocol.AspNetCore), as a
/// server part. Stateless: every request stands alone, so no session outlives a restart and any
/// number of clients may call at once. It needs <see cref="MemoryPart"/> (its tools act on the
/// services that part registers); API keys are the REST part's middleware (<c>api-key</c> or
/// <c>Authorization: Bearer</c>).
/// </summary>
public sealed class McpPart : IServerPart
{
    /// <summary>The route of the MCP endpoint.</summary>
    public const string Route = "/mcp";

    /// <inheritdoc />
    public void ConfigureServices(WebApplicationBuilder builder, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Logging.AddFilter("ModelContextProtocol", LogLevel.Warning); // it logs every call at Information
        builder.Services.AddMcpServer(o => o.ServerInfo = McpStdio.ServerInfo)
            .WithHttpTransport(o => o.Stateless = true)
            .WithTools(MemoryTools.Create(ToolContexts.FromServices));
    }

    /// <inheritdoc />
    public void UseMiddleware(WebApplication app)
    {
    }

    /// <inheritdoc />
    public void MapEndpoints(WebApplication app) => app.MapMcp(Route);
}
