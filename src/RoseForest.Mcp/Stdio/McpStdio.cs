using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using RoseForest.Memory;

namespace RoseForest.Mcp;

/// <summary>
/// The MCP server over stdio (<c>roseforest mcp</c>): JSON-RPC on stdin/stdout, logs on stderr
/// only (stdout belongs to the protocol). The tools act on the <see cref="ToolContext"/> given:
/// an embedded memory store (<c>--data</c>) or a <see cref="MemoryClient"/> (<c>--url</c>).
/// </summary>
public static class McpStdio
{
    /// <summary>The name and version the server reports in its initialize answer.</summary>
    public static Implementation ServerInfo { get; } = new()
    {
        Name = "roseforest",
        Title = "RoseForest agent memory",
        Version = typeof(McpStdio).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
    };

    /// <summary>
    /// Serves MCP on this process's stdin and stdout until the client closes them or
    /// <paramref name="cancellationToken"/> fires: the memory tools, and <paramref name="moreTools"/>
    /// (the host adds model communication's mailbox tools).
    /// </summary>
    public static async Task RunAsync(ToolContext context, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default, IEnumerable<McpServerTool>? moreTools = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = new McpServerOptions { ServerInfo = ServerInfo, ToolCollection = [] };
        foreach (var tool in MemoryTools.Create(_ => context).Concat(moreTools ?? []))
        {
            options.ToolCollection.Add(tool);
        }

        var transport = new StdioServerTransport(options, loggerFactory);
        await using (transport.ConfigureAwait(false))
        {
            var server = McpServer.Create(transport, options, loggerFactory);
            await using (server.ConfigureAwait(false))
            {
                await server.RunAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
