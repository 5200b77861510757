using Microsoft.AspNetCore.Http;
using RoseForest.Communication.Access;
using RoseForest.Server;

namespace RoseForest.Communication.Http.Http;

/// <summary>
/// Runs after routing for every request made with a model key: namespace collections need the
/// model's right on their namespace (and charge its queries/s bucket, or its vectors/s bucket with
/// the points the write carries), communication
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
                case RouteRule.CollectionWrite:
                    hub.Authorize(caller, CollectionAccess.Write, collection, await VectorsOfAsync(context));
                    break;
                default:
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

    /// <summary>
    /// The vectors a write carries, for the model's vectors/s budget, as gRPC counts them: the
    /// points of an upsert (<c>points</c>, or <c>batch.ids</c>) or a vector update, the operations of
    /// <c>/points/batch</c>, else 1. The body is buffered, read and rewound for the endpoint; one that
    /// is not JSON counts 1 (the endpoint then refuses it).
    /// </summary>
    private static async Task<int> VectorsOfAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if (!(path.EndsWith("/points", StringComparison.Ordinal) || path.EndsWith("/points/vectors", StringComparison.Ordinal) || path.EndsWith("/points/batch", StringComparison.Ordinal))
            || !(HttpMethods.IsPut(context.Request.Method) || HttpMethods.IsPost(context.Request.Method)))
        {
            return 1;
        }

        context.Request.EnableBuffering();
        try
        {
            using var body = await System.Text.Json.JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var root = body.RootElement;
            if (root.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                return 1;
            }

            if (root.TryGetProperty("points", out var points) && points.ValueKind == System.Text.Json.JsonValueKind.Array)
            {
                return Math.Max(1, points.GetArrayLength());
            }

            if (root.TryGetProperty("batch", out var batch) && batch.ValueKind == System.Text.Json.JsonValueKind.Object
                && batch.TryGetProperty("ids", out var ids) && ids.ValueKind == System.Text.Json.JsonValueKind.Array)
            {
                return Math.Max(1, ids.GetArrayLength());
            }

            return root.TryGetProperty("operations", out var operations) && operations.ValueKind == System.Text.Json.JsonValueKind.Array ? Math.Max(1, operations.GetArrayLength()) : 1;
        }
        catch (System.Text.Json.JsonException)
        {
            return 1;
        }
        finally
        {
            context.Request.Body.Position = 0;
        }
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
