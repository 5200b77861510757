using ModelContextProtocol.Server;
using RoseForest.Communication.Access;

namespace RoseForest.Communication.Http.Mcp;

/// <summary>
/// The mailbox tools (<c>send_message</c>, <c>receive_messages</c>, <c>ack_messages</c>,
/// <c>broadcast</c>, <c>search_messages</c>) for an MCP server other than the host's <c>/mcp</c>
/// (which <see cref="CommunicationPart"/> equips itself): <c>roseforest mcp</c> on stdio.
/// </summary>
public static class CommunicationMcp
{
    /// <summary>The tool names.</summary>
    public static IReadOnlySet<string> ToolNames => CommunicationTools.Names;

    /// <summary>The tools over an open hub (embedded over a data folder), every call acting as <paramref name="caller"/>.</summary>
    public static IReadOnlyList<McpServerTool> Tools(CommunicationHub hub, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(caller);
        return [.. CommunicationTools.Create(hub, caller)];
    }

    /// <summary>
    /// The tools forwarded to a running server's mailbox routes (<paramref name="http"/> has its base
    /// address) with <paramref name="apiKey"/>: a model's key acts as that model, the server's key as the administrator.
    /// </summary>
    public static IReadOnlyList<McpServerTool> RemoteTools(HttpClient http, string? apiKey)
    {
        ArgumentNullException.ThrowIfNull(http);
        return [.. CommunicationTools.CreateRemote(http, apiKey)];
    }
}
