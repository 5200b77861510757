using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RoseForest.Communication.Access;
using RoseForest.Communication.Http.Http;
using RoseForest.Communication.Http.Routes;

namespace RoseForest.Communication.Http.A2a;

/// <summary>
/// A2A's JSON-RPC binding at <c>POST /a2a/{model}</c> (the URL the agent card names for JSONRPC).
/// A2A 1.0's methods (<c>SendMessage</c>, <c>SendStreamingMessage</c>, <c>GetTask</c>,
/// <c>CancelTask</c>, <c>SubscribeToTask</c>) answer 1.0 shapes; A2A 0.3's names for the same
/// (<c>message/send</c>, <c>message/stream</c>, <c>tasks/get</c>, <c>tasks/cancel</c>,
/// <c>tasks/resubscribe</c>) answer 0.3 shapes (<c>kind</c>, lower-case states), so both generations
/// of clients reach the mailbox. Streaming methods answer Server-Sent Events whose data are JSON-RPC
/// responses carrying the task, then its status changes until it is final. Errors are JSON-RPC
/// errors: -32700/-32600/-32601/-32602 as JSON-RPC defines them, A2A's -32001 (task not found),
/// -32002 (not cancelable), -32003 (push notifications: not supported); a refused caller is HTTP
/// 403 and a spent budget HTTP 429 (with <c>Retry-After</c>), each with a JSON-RPC error body (-32000).
/// </summary>
internal static class A2aJsonRpc
{
    public static void Map(IEndpointRouteBuilder app, HubHolder holder) =>
        app.Raw("POST", "/a2a/{model}", holder, DispatchAsync);

    private static async Task DispatchAsync(HttpContext ctx, Caller caller, CommunicationHub hub)
    {
        JsonNode? id = null;
        string? method = null;
        try
        {
            JsonObject request;
            try
            {
                request = await JsonNode.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted) as JsonObject
                    ?? throw new RpcError(-32600, "Invalid Request: the body must be one JSON-RPC request object.");
            }
            catch (JsonException e)
            {
                throw new RpcError(-32700, $"Parse error: {e.Message}");
            }

            id = request["id"]?.DeepClone();
            method = request["method"] is JsonValue m && m.TryGetValue<string>(out var name) ? name : null;
            if (request["jsonrpc"]?.GetValueKind() != JsonValueKind.String || request["jsonrpc"]!.GetValue<string>() != "2.0" || method is null)
            {
                throw new RpcError(-32600, "Invalid Request: needs \"jsonrpc\": \"2.0\" and a method name.");
            }

            var parameters = request["params"] as JsonObject ?? (request["params"] is null ? [] : throw new RpcError(-32602, "Invalid params: params must be an object."));
            var model = ContractRoutes.Model(ctx);
            var version = method.Contains('/', StringComparison.Ordinal) ? A2aVersion.V03 : A2aVersion.V1;
            switch (method)
            {
                case "SendMessage" or "message/send":
                {
                    var (task, message) = await A2aTasks.SendAsync(hub, caller, model, parameters, ctx.RequestAborted);
                    var answer = A2aTasks.Task(task, hub.MessageStatus(caller, model, task), hub.Time, message, version);
                    await WriteResultAsync(ctx, id, version == A2aVersion.V1 ? new JsonObject { ["task"] = answer } : answer);
                    break;
                }

                case "SendStreamingMessage" or "message/stream":
                {
                    var (task, message) = await A2aTasks.SendAsync(hub, caller, model, parameters, ctx.RequestAborted);
                    await StreamAsync(ctx, hub, caller, model, task, message, id, version);
                    break;
                }

                case "GetTask" or "tasks/get":
                {
                    var task = A2aTasks.TaskId(Read.Text(parameters, "id", required: true));
                    await WriteResultAsync(ctx, id, A2aTasks.Task(task, hub.MessageStatus(caller, model, task), hub.Time, null, version));
                    break;
                }

                case "CancelTask" or "tasks/cancel":
                {
                    var task = A2aTasks.TaskId(Read.Text(parameters, "id", required: true));
                    var status = await hub.CancelMessageAsync(caller, model, task, ctx.RequestAborted);
                    await WriteResultAsync(ctx, id, A2aTasks.Task(task, status, hub.Time, null, version));
                    break;
                }

                case "SubscribeToTask" or "tasks/resubscribe":
                    await StreamAsync(ctx, hub, caller, model, A2aTasks.TaskId(Read.Text(parameters, "id", required: true)), null, id, version);
                    break;
                default:
                    throw method.Contains("PushNotification", StringComparison.OrdinalIgnoreCase)
                        ? new RpcError(-32003, "Push notifications are not supported: poll the task (GetTask) or stream it (SubscribeToTask).")
                        : new RpcError(-32601, $"Method not found: {method}.");
            }
        }
        catch (Exception e) when ((e is RpcError || Answers.IsExpected(e)) && !ctx.Response.HasStarted)
        {
            await WriteErrorAsync(ctx, id, method, e);
        }
    }

    private static async Task StreamAsync(HttpContext ctx, CommunicationHub hub, Caller caller, string model, Guid task, JsonObject? message, JsonNode? id, A2aVersion version)
    {
        var status = hub.MessageStatus(caller, model, task);
        var first = A2aTasks.Task(task, status, hub.Time, message, version);
        await A2aTasks.StreamAsync(ctx, hub, caller, model, task, message, status, version == A2aVersion.V1 ? new JsonObject { ["task"] = first } : first,
            result => new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id?.DeepClone(), ["result"] = result }, version);
    }

    private static async Task WriteResultAsync(HttpContext ctx, JsonNode? id, JsonNode result)
    {
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id?.DeepClone(), ["result"] = result }.ToJsonString(), ctx.RequestAborted);
    }

    private static async Task WriteErrorAsync(HttpContext ctx, JsonNode? id, string? method, Exception e)
    {
        var taskMethod = method is "GetTask" or "tasks/get" or "CancelTask" or "tasks/cancel" or "SubscribeToTask" or "tasks/resubscribe";
        var (http, code, message) = e switch
        {
            RpcError r => (200, r.Code, r.Message),
            NotFoundException n when taskMethod => (200, -32001, $"Task not found: {n.Message}"),
            ConflictException c => (200, -32002, $"Task cannot be canceled: {c.Message}"),
            AccessDeniedException or RateLimitedException => (Answers.Map(e).Status, -32000, Answers.Map(e).Message),
            _ when Answers.Map(e).Status < 500 => (200, -32602, $"Invalid params: {Answers.Map(e).Message}"),
            _ => (500, -32603, $"Internal error: {e.Message}"),
        };
        if (e is RateLimitedException limited)
        {
            ctx.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(limited.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        ctx.Response.StatusCode = http;
        ctx.Response.ContentType = "application/json";
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        await ctx.Response.WriteAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id?.DeepClone(), ["error"] = error }.ToJsonString(), ctx.RequestAborted);
    }

    /// <summary>A JSON-RPC error of the envelope itself (parse, request, method).</summary>
    private sealed class RpcError(int code, string message) : Exception(message)
    {
        public int Code { get; } = code;
    }
}
