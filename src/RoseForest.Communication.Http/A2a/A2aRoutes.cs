using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RoseForest.Communication.Http.Http;
using RoseForest.Communication.Http.Routes;

namespace RoseForest.Communication.Http.A2a;

/// <summary>
/// The A2A door (A2A 1.0, as the official @a2a-js/sdk 1.3 client calls it): every registered model
/// has an agent card at <c>/a2a/{model}/.well-known/agent-card.json</c>, built from its contract,
/// naming <c>/a2a/{model}</c> as both its HTTP+JSON interface (these routes) and its JSON-RPC one
/// (<see cref="A2aJsonRpc"/>). <c>message:send</c> puts the A2A message into the model's mailbox
/// (the message id is the idempotency key, so a retried send is one message) and answers a task
/// whose id is the mailbox message's id (<see cref="A2aTasks"/> for its states);
/// <c>message:stream</c> does the same and then streams the task's status changes (Server-Sent
/// Events) until the recipient acks it, its sender cancels it or it expires; <c>GET tasks/{id}</c>
/// reports it, <c>tasks/{id}:cancel</c> withdraws it (its sender only, while unacknowledged),
/// <c>tasks/{id}:subscribe</c> streams it. So an agent can leave a message for a model that is
/// offline and poll or watch.
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
                ["supportedInterfaces"] = new JsonArray(
                    new JsonObject { ["url"] = baseUrl, ["protocolBinding"] = "HTTP+JSON", ["protocolVersion"] = ProtocolVersion },
                    new JsonObject { ["url"] = baseUrl, ["protocolBinding"] = "JSONRPC", ["protocolVersion"] = ProtocolVersion }),
                ["capabilities"] = new JsonObject { ["streaming"] = true, ["pushNotifications"] = false },
                ["securitySchemes"] = new JsonObject { ["apiKey"] = new JsonObject { ["apiKeySecurityScheme"] = new JsonObject { ["location"] = "header", ["name"] = "api-key", ["description"] = "The server's API key or a model's key." } } },
                ["defaultInputModes"] = new JsonArray("text/plain", "application/json"),
                ["defaultOutputModes"] = new JsonArray("application/json"),
                ["skills"] = new JsonArray([.. c.Capabilities.Select(cap => (JsonNode)new JsonObject { ["id"] = cap, ["name"] = cap, ["description"] = $"{cap}, as declared in the model's contract.", ["tags"] = new JsonArray(cap) })]),
            };
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(card.ToJsonString(), ctx.RequestAborted);
        });
        app.Raw("POST", "/a2a/{model}/message:send", holder, (ctx, caller, hub) => Guarded(ctx, async () =>
        {
            var model = ContractRoutes.Model(ctx);
            var (id, message) = await A2aTasks.SendAsync(hub, caller, model, await Answers.BodyAsync(ctx), ctx.RequestAborted);
            await WriteAsync(ctx, new JsonObject { ["task"] = A2aTasks.Task(id, hub.MessageStatus(caller, model, id), hub.Time, message, A2aVersion.V1) });
        }));
        app.Raw("POST", "/a2a/{model}/message:stream", holder, (ctx, caller, hub) => Guarded(ctx, async () =>
        {
            var model = ContractRoutes.Model(ctx);
            var (id, message) = await A2aTasks.SendAsync(hub, caller, model, await Answers.BodyAsync(ctx), ctx.RequestAborted);
            var status = hub.MessageStatus(caller, model, id);
            await A2aTasks.StreamAsync(ctx, hub, caller, model, id, message, status,
                new JsonObject { ["task"] = A2aTasks.Task(id, status, hub.Time, message, A2aVersion.V1) }, e => e, A2aVersion.V1);
        }));
        app.Raw("GET", "/a2a/{model}/tasks/{id}", holder, (ctx, caller, hub) => Guarded(ctx, async () =>
        {
            var id = A2aTasks.TaskId((string?)ctx.Request.RouteValues["id"]);
            await WriteAsync(ctx, A2aTasks.Task(id, hub.MessageStatus(caller, ContractRoutes.Model(ctx), id), hub.Time, null, A2aVersion.V1));
        }));
        app.Raw("POST", "/a2a/{model}/tasks/{id}:cancel", holder, (ctx, caller, hub) => Guarded(ctx, async () =>
        {
            var id = A2aTasks.TaskId((string?)ctx.Request.RouteValues["id"]);
            var status = await hub.CancelMessageAsync(caller, ContractRoutes.Model(ctx), id, ctx.RequestAborted);
            await WriteAsync(ctx, A2aTasks.Task(id, status, hub.Time, null, A2aVersion.V1));
        }));
        app.Raw("POST", "/a2a/{model}/tasks/{id}:subscribe", holder, (ctx, caller, hub) => Guarded(ctx, async () =>
        {
            var model = ContractRoutes.Model(ctx);
            var id = A2aTasks.TaskId((string?)ctx.Request.RouteValues["id"]);
            var status = hub.MessageStatus(caller, model, id);
            await A2aTasks.StreamAsync(ctx, hub, caller, model, id, null, status,
                new JsonObject { ["task"] = A2aTasks.Task(id, status, hub.Time, null, A2aVersion.V1) }, e => e, A2aVersion.V1);
        }));
        A2aJsonRpc.Map(app, holder);
    }

    /// <summary>Runs a handler, answering an expected error in the binding's shape while the response has not started.</summary>
    private static async Task Guarded(HttpContext ctx, Func<Task> handler)
    {
        try
        {
            await handler();
        }
        catch (Exception e) when (Answers.IsExpected(e) && !ctx.Response.HasStarted)
        {
            await WriteErrorAsync(ctx, e, ctx.Request.RouteValues.ContainsKey("id"));
        }
    }

    private static async Task WriteAsync(HttpContext ctx, JsonObject body)
    {
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(body.ToJsonString(), ctx.RequestAborted);
    }

    /// <summary>Errors in the binding's shape: <c>{"error": {"code", "status", "message"}}</c> (google.rpc.Status).</summary>
    private static async Task WriteErrorAsync(HttpContext ctx, Exception e, bool taskRoute)
    {
        var (code, message) = Answers.Map(e);
        var status = code switch
        {
            400 => "INVALID_ARGUMENT",
            403 => "PERMISSION_DENIED",
            404 => "NOT_FOUND",
            409 => "FAILED_PRECONDITION",
            413 => "INVALID_ARGUMENT",
            429 => "RESOURCE_EXHAUSTED",
            _ => "INTERNAL",
        };
        if (e is RateLimitedException r)
        {
            ctx.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(r.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var error = new JsonObject { ["code"] = code, ["status"] = status, ["message"] = message };
        // A2A's own errors carry a google.rpc.ErrorInfo with their reason, so clients raise the typed error.
        var reason = e switch
        {
            ConflictException => "TASK_NOT_CANCELABLE",
            NotFoundException when taskRoute => "TASK_NOT_FOUND",
            _ => null,
        };
        if (reason is not null)
        {
            error["details"] = new JsonArray(new JsonObject { ["@type"] = "type.googleapis.com/google.rpc.ErrorInfo", ["reason"] = reason, ["domain"] = "a2a-protocol.org" });
        }

        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(new JsonObject { ["error"] = error }.ToJsonString(), ctx.RequestAborted);
    }
}
