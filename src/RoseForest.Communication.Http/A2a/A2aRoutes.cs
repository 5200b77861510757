using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RoseForest.Communication.Http.Http;
using RoseForest.Communication.Http.Routes;
using RoseForest.Communication.Mailboxes;

namespace RoseForest.Communication.Http.A2a;

/// <summary>
/// The A2A door (A2A 1.0, HTTP+JSON binding, as the official @a2a-js/sdk 1.3 client calls it):
/// every registered model has an agent card at <c>/a2a/{model}/.well-known/agent-card.json</c>,
/// built from its contract, naming <c>/a2a/{model}</c> as its HTTP+JSON interface.
/// <c>POST /a2a/{model}/message:send</c> puts the A2A message into the model's mailbox (the
/// message id is the idempotency key, so a retried send is one message) and answers a task whose
/// id is the mailbox message's id; <c>GET /a2a/{model}/tasks/{id}</c> reports it: SUBMITTED while
/// it waits, WORKING once the model received it, COMPLETED once the model acked it, FAILED when it
/// expired unread. So an agent can leave a message for a model that is offline and poll.
/// </summary>
internal static class A2aRoutes
{
    public const string ProtocolVersion = "1.0";

    public static void Map(IEndpointRouteBuilder app, HubHolder holder)
    {
        app.Raw("GET", "/a2a/{model}/.well-known/agent-card.json", holder, async (ctx, caller, hub) =>
        {
            var model = hub.Model(ContractRoutes.Model(ctx));
            var baseUrl = $"{ctx.Request.Scheme}://{ctx.Request.Host}{ctx.Request.PathBase}/a2a/{Uri.EscapeDataString(model.Id)}";
            var c = model.Contract;
            var card = new JsonObject
            {
                ["name"] = c.Name,
                ["description"] = $"{c.Name} ({c.Type}), a model registered with RoseForest in namespace '{c.Namespace}'. Messages go to its durable mailbox; the task completes when it acknowledges them.",
                ["version"] = c.ModelVersion,
                ["supportedInterfaces"] = new JsonArray(new JsonObject { ["url"] = baseUrl, ["protocolBinding"] = "HTTP+JSON", ["protocolVersion"] = ProtocolVersion }),
                ["capabilities"] = new JsonObject { ["streaming"] = false, ["pushNotifications"] = false },
                ["securitySchemes"] = new JsonObject { ["apiKey"] = new JsonObject { ["apiKeySecurityScheme"] = new JsonObject { ["location"] = "header", ["name"] = "api-key", ["description"] = "The server's API key or a model's key." } } },
                ["defaultInputModes"] = new JsonArray("text/plain", "application/json"),
                ["defaultOutputModes"] = new JsonArray("application/json"),
                ["skills"] = new JsonArray([.. c.Capabilities.Select(cap => (JsonNode)new JsonObject { ["id"] = cap, ["name"] = cap, ["description"] = $"{cap}, as declared in the model's contract.", ["tags"] = new JsonArray(cap) })]),
            };
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(card.ToJsonString(), ctx.RequestAborted);
        });
        app.Raw("POST", "/a2a/{model}/message:send", holder, async (ctx, caller, hub) =>
        {
            try
            {
                var body = await Answers.BodyAsync(ctx);
                var message = body["message"] as JsonObject ?? throw new ValidationException("message", "is required.");
                var messageId = Read.Text(message, "messageId", required: true)!;
                var parts = message["parts"] as JsonArray is { Count: > 0 } p ? p : throw new ValidationException("message.parts", "needs at least one part.");
                var text = string.Join("\n", parts.OfType<JsonObject>().Select(part => Read.Text(part, "text")).Where(t => !string.IsNullOrEmpty(t)));
                var sent = await hub.SendAsync(caller, ContractRoutes.Model(ctx), new OutgoingMessage
                {
                    Body = JsonSerializer.SerializeToElement(new JsonObject { ["a2a"] = body.DeepClone() }),
                    Text = text.Length > 0 ? text : null,
                    IdempotencyKey = "a2a:" + messageId,
                }, ctx.RequestAborted);
                var task = Task(sent.Id, hub.MessageStatus(caller, ContractRoutes.Model(ctx), sent.Id), hub.Time, message);
                await WriteAsync(ctx, new JsonObject { ["task"] = task });
            }
            catch (Exception e) when (Answers.IsExpected(e))
            {
                await WriteErrorAsync(ctx, e);
            }
        });
        app.Raw("GET", "/a2a/{model}/tasks/{id}", holder, async (ctx, caller, hub) =>
        {
            try
            {
                var id = Guid.TryParse((string)ctx.Request.RouteValues["id"]!, out var g) ? g : throw new NotFoundException("no such task.");
                await WriteAsync(ctx, Task(id, hub.MessageStatus(caller, ContractRoutes.Model(ctx), id), hub.Time, null));
            }
            catch (Exception e) when (Answers.IsExpected(e))
            {
                await WriteErrorAsync(ctx, e);
            }
        });
    }

    private static JsonObject Task(Guid id, MessageStatus status, TimeProvider time, JsonObject? message)
    {
        var task = new JsonObject
        {
            ["id"] = id.ToString(),
            ["contextId"] = message?["contextId"]?.GetValue<string>() ?? id.ToString(),
            ["status"] = new JsonObject { ["state"] = State(status), ["timestamp"] = time.GetUtcNow().ToString("O") },
        };
        if (message is not null)
        {
            task["history"] = new JsonArray(message.DeepClone());
        }

        return task;
    }

    private static string State(MessageStatus status) => status switch
    {
        MessageStatus.Waiting => "TASK_STATE_SUBMITTED",
        MessageStatus.Delivered => "TASK_STATE_WORKING",
        MessageStatus.Acked => "TASK_STATE_COMPLETED",
        _ => "TASK_STATE_FAILED",
    };

    private static async Task WriteAsync(HttpContext ctx, JsonObject body)
    {
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(body.ToJsonString(), ctx.RequestAborted);
    }

    /// <summary>Errors in the binding's shape: <c>{"error": {"code", "status", "message"}}</c> (google.rpc.Status).</summary>
    private static async Task WriteErrorAsync(HttpContext ctx, Exception e)
    {
        var (code, message) = Answers.Map(e);
        var status = code switch
        {
            400 => "INVALID_ARGUMENT",
            403 => "PERMISSION_DENIED",
            404 => "NOT_FOUND",
            409 => "ALREADY_EXISTS",
            413 => "INVALID_ARGUMENT",
            429 => "RESOURCE_EXHAUSTED",
            _ => "INTERNAL",
        };
        if (e is RateLimitedException r)
        {
            ctx.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(r.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["status"] = status, ["message"] = message } }.ToJsonString(), ctx.RequestAborted);
    }
}
