using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RoseForest.Communication.Access;
using RoseForest.Communication.Http.Http;
using RoseForest.Communication.Mailboxes;

namespace RoseForest.Communication.Http.A2a;

/// <summary>Which A2A wire shapes a call speaks: 1.0 (proto JSON, <c>TASK_STATE_*</c>) or 0.3 (<c>kind</c> fields, lower-case states).</summary>
internal enum A2aVersion
{
    V1,
    V03,
}

/// <summary>
/// The A2A operations over the mailbox, shared by both bindings (HTTP+JSON and JSON-RPC). A task is
/// a mailbox message: its id is the message id; SUBMITTED while it waits, WORKING once the
/// recipient received it, COMPLETED once acked, CANCELED once its sender withdrew it, FAILED when it
/// expired unread.
/// </summary>
internal static class A2aTasks
{
    /// <summary>Puts an A2A message (the request's <c>message</c>) into the model's mailbox; the message id is the idempotency key.</summary>
    public static async Task<(Guid Id, JsonObject Message)> SendAsync(CommunicationHub hub, Caller caller, string model, JsonObject request, CancellationToken ct)
    {
        var message = request["message"] as JsonObject ?? throw new ValidationException("message", "is required.");
        var messageId = Read.Text(message, "messageId", required: true)!;
        var parts = message["parts"] as JsonArray is { Count: > 0 } p ? p : throw new ValidationException("message.parts", "needs at least one part.");
        // 1.0 text parts are {"text": …}; 0.3's are {"kind": "text", "text": …}.
        var text = string.Join("\n", parts.OfType<JsonObject>().Select(part => Read.Text(part, "text")).Where(t => !string.IsNullOrEmpty(t)));
        var sent = await hub.SendAsync(caller, model, new OutgoingMessage
        {
            Body = JsonSerializer.SerializeToElement(new JsonObject { ["a2a"] = request.DeepClone() }),
            Text = text.Length > 0 ? text : null,
            IdempotencyKey = "a2a:" + messageId,
        }, ct).ConfigureAwait(false);
        return (sent.Id, message);
    }

    /// <summary>The task id in a request (<c>id</c>): a message id, else the task does not exist.</summary>
    public static Guid TaskId(string? text) => Guid.TryParse(text, out var g) ? g : throw new NotFoundException($"no task '{text}'.");

    public static JsonObject Task(Guid id, MessageStatus status, TimeProvider time, JsonObject? message, A2aVersion version)
    {
        var task = new JsonObject();
        if (version == A2aVersion.V03)
        {
            task["kind"] = "task";
        }

        task["id"] = id.ToString();
        task["contextId"] = ContextOf(id, message);
        task["status"] = Status(status, time, version);
        if (message is not null)
        {
            task["history"] = new JsonArray(message.DeepClone());
        }

        return task;
    }

    /// <summary>A status change as a stream event's payload (1.0 <c>TaskStatusUpdateEvent</c>; 0.3 <c>status-update</c> with <c>final</c>).</summary>
    public static JsonObject StatusUpdate(Guid id, JsonObject? message, MessageStatus status, TimeProvider time, A2aVersion version)
    {
        var update = new JsonObject();
        if (version == A2aVersion.V03)
        {
            update["kind"] = "status-update";
        }

        update["taskId"] = id.ToString();
        update["contextId"] = ContextOf(id, message);
        update["status"] = Status(status, time, version);
        if (version == A2aVersion.V03)
        {
            update["final"] = IsFinal(status);
        }

        return update;
    }

    public static bool IsFinal(MessageStatus status) => status is MessageStatus.Acked or MessageStatus.Canceled or MessageStatus.Expired;

    /// <summary>
    /// Writes a task's life as Server-Sent Events: <paramref name="first"/> (the task), then one
    /// status update each time its state changes, until it is final (or the client goes away). The
    /// state is polled on the hub's clock; a comment line keeps idle connections open.
    /// </summary>
    public static async Task StreamAsync(HttpContext ctx, CommunicationHub hub, Caller caller, string model, Guid id, JsonObject? message, MessageStatus current, JsonNode first, Func<JsonNode, JsonNode> envelope, A2aVersion version)
    {
        ctx.Response.ContentType = "text/event-stream";
        ctx.Response.Headers.CacheControl = "no-cache";
        await WriteEventAsync(ctx, envelope(first));
        var idle = TimeSpan.Zero;
        try
        {
            while (!IsFinal(current))
            {
                await System.Threading.Tasks.Task.Delay(PollInterval, hub.Time, ctx.RequestAborted);
                MessageStatus next;
                try
                {
                    next = hub.MessageStatus(caller, model, id);
                }
                catch (NotFoundException)
                {
                    // Swept after its retention: it ended while nobody watched.
                    next = MessageStatus.Expired;
                }

                if (next != current)
                {
                    current = next;
                    idle = TimeSpan.Zero;
                    var update = StatusUpdate(id, message, current, hub.Time, version);
                    await WriteEventAsync(ctx, envelope(version == A2aVersion.V1 ? new JsonObject { ["statusUpdate"] = update } : update));
                }
                else if ((idle += PollInterval) >= KeepAlive)
                {
                    idle = TimeSpan.Zero;
                    await ctx.Response.WriteAsync(": keep-alive\n\n", ctx.RequestAborted);
                    await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
                }
            }
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // The client went away; the task goes on in the mailbox and can be polled or resubscribed.
        }
    }

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    private static async Task WriteEventAsync(HttpContext ctx, JsonNode data)
    {
        await ctx.Response.WriteAsync($"data: {data.ToJsonString()}\n\n", ctx.RequestAborted);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
    }

    private static string ContextOf(Guid id, JsonObject? message) =>
        message?["contextId"] is JsonValue v && v.TryGetValue<string>(out var c) && c.Length > 0 ? c : id.ToString();

    private static JsonObject Status(MessageStatus status, TimeProvider time, A2aVersion version) => new()
    {
        ["state"] = version == A2aVersion.V1 ? State(status) : LegacyState(status),
        ["timestamp"] = time.GetUtcNow().ToString("O"),
    };

    private static string State(MessageStatus status) => status switch
    {
        MessageStatus.Waiting => "TASK_STATE_SUBMITTED",
        MessageStatus.Delivered => "TASK_STATE_WORKING",
        MessageStatus.Acked => "TASK_STATE_COMPLETED",
        MessageStatus.Canceled => "TASK_STATE_CANCELED",
        _ => "TASK_STATE_FAILED",
    };

    private static string LegacyState(MessageStatus status) => status switch
    {
        MessageStatus.Waiting => "submitted",
        MessageStatus.Delivered => "working",
        MessageStatus.Acked => "completed",
        MessageStatus.Canceled => "canceled",
        _ => "failed",
    };
}
