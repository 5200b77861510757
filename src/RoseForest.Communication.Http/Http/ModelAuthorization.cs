using Microsoft.AspNetCore.Http;
using RoseForest.Communication.Access;
using RoseForest.Server;

namespace RoseForest.Communication.Http.Http;

/// <summary>
/// Runs after routing for every request made with a model key: namespace collections need the
/// model's right on their namespace (and charge its queries/s or vectors/s bucket), communication
/// routes are checked by the hub, and every other route is refused with 403.
/// </summary>
internal sealed class ModelAuthorization(RequestDelegate next, HubHolder holder)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Items[KeyHolders.ItemKey] is not ModelKey { Caller: var caller } || context.GetEndpoint() is not { } endpoint)
        {
            await next(context);
            return;
        }

        try
        {
            var hub = holder.Hub;
            var rule = RouteAccess.Classify(endpoint, context.Request);
            var collection = context.Request.RouteValues["name"] as string;
            switch (rule)
            {
                case RouteRule.Communication:
                    break;
                case RouteRule.McpTools:
                    await DemandMailboxToolAsync(context, caller);
                    break;
                case RouteRule.AdminOnly:
                    throw new AccessDeniedException($"{caller} may not call {context.Request.Method} {context.Request.Path}: a model key reaches only its namespaces' collections and the communication routes.");
                default:
                    // One vector per write request: charged before the body is read (a simplification: a REST batch counts once; gRPC counts its points).
                    hub.Authorize(caller, Access(rule), collection);
                    break;
            }
        }
        catch (Exception e) when (Answers.IsExpected(e))
        {
            await Answers.WriteErrorAsync(context, e);
            return;
        }

        await next(context);
    }

    private static CollectionAccess Access(RouteRule rule) => rule switch
    {
        RouteRule.CollectionRead => CollectionAccess.Read,
        RouteRule.CollectionWrite => CollectionAccess.Write,
        _ => CollectionAccess.Administer,
    };

    /// <summary>
    /// A model on <c>/mcp</c> may initialize, ping, list tools and call the mailbox tools; the other
    /// tools (agent memory, documents) are the administrator's. The JSON-RPC body is read and rewound.
    /// </summary>
    private static async Task DemandMailboxToolAsync(HttpContext context, Caller caller)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            throw new AccessDeniedException($"{caller} may only POST JSON-RPC messages to /mcp (stateless streamable HTTP).");
        }

        context.Request.EnableBuffering();
        System.Text.Json.Nodes.JsonNode? message = null;
        try
        {
            message = await System.Text.Json.Nodes.JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON-RPC: refused below.
        }
        finally
        {
            context.Request.Body.Position = 0;
        }

        var method = (message as System.Text.Json.Nodes.JsonObject)?["method"] is System.Text.Json.Nodes.JsonValue m && m.TryGetValue<string>(out var s) ? s : null;
        var allowed = method switch
        {
            "initialize" or "notifications/initialized" or "ping" or "tools/list" => true,
            "tools/call" => message!["params"]?["name"] is System.Text.Json.Nodes.JsonValue n && n.TryGetValue<string>(out var tool) && Mcp.CommunicationTools.Names.Contains(tool),
            _ => false,
        };
        if (!allowed)
        {
            throw new AccessDeniedException($"{caller} may only list tools and call the mailbox tools ({string.Join(", ", Mcp.CommunicationTools.Names)}) on /mcp.");
        }
    }
}
