using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RoseForest.Communication.Http.Http;
using RoseForest.Communication.Mailboxes;

namespace RoseForest.Communication.Http.Routes;

/// <summary>Mailboxes: send, broadcast, receive (long poll), a Server-Sent Events stream, ack, search, a message's status and its sender's cancel.</summary>
internal static class MailRoutes
{
    public static void Map(IEndpointRouteBuilder app, HubHolder holder)
    {
        app.Json("POST", "/mailboxes/{model}/messages", holder, async (ctx, caller, hub) =>
        {
            var r = await hub.SendAsync(caller, ContractRoutes.Model(ctx), Outgoing(await Answers.BodyAsync(ctx)), ctx.RequestAborted);
            return new JsonObject { ["id"] = r.Id.ToString(), ["duplicate"] = r.Duplicate, ["sequence"] = r.Sequence };
        });
        app.Json("POST", "/mailboxes/broadcast", holder, async (ctx, caller, hub) =>
        {
            var body = await Answers.BodyAsync(ctx);
            var f = body["filter"] as JsonObject ?? [];
            var r = await hub.BroadcastAsync(caller, Outgoing(body), new BroadcastFilter(Read.Text(f, "capability"), Read.Text(f, "namespace"), Read.Text(f, "type")), ctx.RequestAborted);
            return new JsonObject
            {
                ["broadcast_id"] = r.BroadcastId,
                ["sent"] = Read.Array(r.Sent, s => new JsonObject { ["to"] = s.Model, ["id"] = s.Result.Id.ToString(), ["duplicate"] = s.Result.Duplicate }),
                ["skipped"] = Read.Array(r.Skipped, s => new JsonObject { ["model"] = s.Model, ["reason"] = s.Reason }),
            };
        });
        app.Json("POST", "/mailboxes/{model}/receive", holder, async (ctx, caller, hub) =>
        {
            var body = await Answers.BodyAsync(ctx);
            var messages = await hub.ReceiveAsync(caller, ContractRoutes.Model(ctx), Read.Int(body, "max") ?? 10,
                TimeSpan.FromMilliseconds(Read.Int(body, "wait_ms") ?? 0), Read.Int(body, "visibility_ms") is { } v ? TimeSpan.FromMilliseconds(v) : null, ctx.RequestAborted);
            return Read.Array(messages, Describe);
        });
        app.Raw("GET", "/mailboxes/{model}/stream", holder, StreamAsync);
        app.Json("POST", "/mailboxes/{model}/ack", holder, async (ctx, caller, hub) =>
        {
            var body = await Answers.BodyAsync(ctx);
            var ids = Read.Strings(body, "ids", required: true).Select((s, i) => Guid.TryParse(s, out var g) ? g : throw new ValidationException($"ids[{i}]", "must be a message id (a UUID).")).ToList();
            var outcomes = await hub.AckAsync(caller, ContractRoutes.Model(ctx), ids, ctx.RequestAborted);
            var result = new JsonObject();
            foreach (var outcome in Enum.GetValues<AckOutcome>())
            {
                result[Name(outcome)] = Read.Array(outcomes.Where(o => o.Value == outcome), o => o.Key.ToString());
            }

            return result;
        });
        app.Json("POST", "/mailboxes/{model}/search", holder, async (ctx, caller, hub) =>
        {
            var body = await Answers.BodyAsync(ctx);
            var hits = await hub.SearchMessagesAsync(caller, ContractRoutes.Model(ctx), Read.Text(body, "text"), Read.Vector(body, "vector"), Read.Int(body, "limit") ?? 10, ctx.RequestAborted);
            return Read.Array(hits, h =>
            {
                var m = Describe(h.Message);
                m["score"] = h.Score;
                return m;
            });
        });
        app.Json("GET", "/mailboxes/{model}/messages/{id}", holder, (ctx, caller, hub) =>
        {
            var id = MessageId(ctx);
            return Task.FromResult<JsonNode?>(new JsonObject { ["id"] = id.ToString(), ["to"] = ContractRoutes.Model(ctx), ["status"] = Name(hub.MessageStatus(caller, ContractRoutes.Model(ctx), id)) });
        });
        app.Json("DELETE", "/mailboxes/{model}/messages/{id}", holder, async (ctx, caller, hub) =>
        {
            var id = MessageId(ctx);
            var status = await hub.CancelMessageAsync(caller, ContractRoutes.Model(ctx), id, ctx.RequestAborted);
            return new JsonObject { ["id"] = id.ToString(), ["to"] = ContractRoutes.Model(ctx), ["status"] = Name(status) };
        });
        app.Json("GET", "/mailboxes/{model}", holder, (ctx, caller, hub) =>
        {
            var model = ContractRoutes.Model(ctx);
            if (!caller.IsAdmin && caller.ModelId != model)
            {
                throw new AccessDeniedException($"{caller} may not look into the mailbox of model '{model}'.");
            }

            _ = hub.Model(model);
            return Task.FromResult<JsonNode?>(new JsonObject { ["model"] = model, ["pending"] = hub.PendingMessages(model) });
        });
    }

    /// <summary>
    /// Server-Sent Events: each visible message as one <c>message</c> event (data: the message JSON),
    /// leased like a receive; acks go to the ack route. A comment line every wait keeps proxies from
    /// closing the stream.
    /// </summary>
    private static async Task StreamAsync(HttpContext ctx, Communication.Access.Caller caller, CommunicationHub hub)
    {
        var model = ContractRoutes.Model(ctx);
        var visibility = int.TryParse(ctx.Request.Query["visibility_ms"], out var v) ? TimeSpan.FromMilliseconds(v) : (TimeSpan?)null;
        var wait = TimeSpan.FromMilliseconds(int.TryParse(ctx.Request.Query["wait_ms"], out var w) ? Math.Clamp(w, 0, 60_000) : 15_000);
        // The first receive runs before the headers go out, so a refusal is an ordinary error answer.
        var batch = await hub.ReceiveAsync(caller, model, 16, TimeSpan.Zero, visibility, ctx.RequestAborted);
        ctx.Response.ContentType = "text/event-stream";
        ctx.Response.Headers.CacheControl = "no-cache";
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
        try
        {
            while (!ctx.RequestAborted.IsCancellationRequested)
            {
                foreach (var message in batch)
                {
                    await ctx.Response.WriteAsync($"id: {message.Id}\nevent: message\ndata: {Describe(message).ToJsonString()}\n\n", ctx.RequestAborted);
                }

                if (batch.Count == 0)
                {
                    await ctx.Response.WriteAsync(": keep-alive\n\n", ctx.RequestAborted);
                }

                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
                batch = await hub.ReceiveAsync(caller, model, 16, wait, visibility, ctx.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // The client went away; unacked messages come back after their visibility timeout.
        }
    }

    private static OutgoingMessage Outgoing(JsonObject body) => new()
    {
        Body = Read.Element(body, "body"),
        Text = Read.Text(body, "text"),
        Vector = Read.Vector(body, "vector"),
        TimeToLive = Read.Int(body, "ttl_seconds") is { } t ? TimeSpan.FromSeconds(t) : null,
        IdempotencyKey = Read.Text(body, "idempotency_key"),
    };

    private static Guid MessageId(HttpContext ctx) =>
        Guid.TryParse((string?)ctx.Request.RouteValues["id"], out var id) ? id : throw new NotFoundException($"no message '{ctx.Request.RouteValues["id"]}'.");

    public static string Name(MessageStatus status) => status switch
    {
        MessageStatus.Waiting => "waiting",
        MessageStatus.Delivered => "delivered",
        MessageStatus.Acked => "acked",
        MessageStatus.Canceled => "canceled",
        _ => "expired",
    };

    public static string Name(AckOutcome outcome) => outcome switch
    {
        AckOutcome.Acked => "acked",
        AckOutcome.AlreadyAcked => "already_acked",
        AckOutcome.Unknown => "unknown",
        AckOutcome.NotDelivered => "not_delivered",
        AckOutcome.Canceled => "canceled",
        _ => "expired",
    };

    public static JsonObject Describe(MailMessage m) => new()
    {
        ["id"] = m.Id.ToString(),
        ["from"] = m.From,
        ["to"] = m.To,
        ["sequence"] = m.Sequence,
        ["sent_at"] = m.SentAt.ToString("O"),
        ["expires_at"] = m.ExpiresAt.ToString("O"),
        ["deliveries"] = m.Deliveries,
        ["body"] = m.Body is { } b ? JsonNode.Parse(b.GetRawText()) : null,
        ["text"] = m.Text,
        ["idempotency_key"] = m.IdempotencyKey,
        ["broadcast_id"] = m.BroadcastId,
    };
}
