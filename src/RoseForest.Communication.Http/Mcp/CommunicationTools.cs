using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using RoseForest.Communication.Access;
using RoseForest.Communication.Http.Http;
using RoseForest.Communication.Http.Routes;
using RoseForest.Communication.Mailboxes;

namespace RoseForest.Communication.Http.Mcp;

/// <summary>
/// The mailbox tools on the MCP server (<c>/mcp</c>): <c>send_message</c>, <c>receive_messages</c>,
/// <c>ack_messages</c>, <c>broadcast</c>, <c>search_messages</c>. They act as the caller of the HTTP
/// request (a model key acts as that model), through the same hub operations as the REST routes, and
/// answer the same JSON as those routes' <c>result</c>. A refusal is a tool error (<c>isError</c>)
/// with the message.
/// </summary>
internal static class CommunicationTools
{
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal) { "send_message", "receive_messages", "ack_messages", "broadcast", "search_messages" };

    public static IEnumerable<McpServerTool> Create(HubHolder holder) =>
    [
        new HvsTool(holder, "send_message", "Send a message to a model's durable mailbox. Returns {id, duplicate, sequence}.",
            """{"type":"object","properties":{"to":{"type":"string"},"body":{},"text":{"type":"string"},"idempotency_key":{"type":"string"},"ttl_seconds":{"type":"integer"}},"required":["to"]}""",
            async (hub, caller, a, ct) =>
            {
                var r = await hub.SendAsync(caller, Read.Text(a, "to", required: true)!, Outgoing(a), ct);
                return new JsonObject { ["id"] = r.Id.ToString(), ["duplicate"] = r.Duplicate, ["sequence"] = r.Sequence };
            }),
        new HvsTool(holder, "receive_messages", "Receive up to max messages from your mailbox, leased for visibility_ms; ack them with ack_messages or they come back.",
            """{"type":"object","properties":{"model":{"type":"string"},"max":{"type":"integer"},"wait_ms":{"type":"integer"},"visibility_ms":{"type":"integer"}},"required":["model"]}""",
            async (hub, caller, a, ct) => Read.Array(await hub.ReceiveAsync(caller, Read.Text(a, "model", required: true)!, Read.Int(a, "max") ?? 10,
                TimeSpan.FromMilliseconds(Read.Int(a, "wait_ms") ?? 0), Read.Int(a, "visibility_ms") is { } v ? TimeSpan.FromMilliseconds(v) : null, ct), MailRoutes.Describe)),
        new HvsTool(holder, "ack_messages", "Acknowledge received messages: they are durably removed and never delivered again.",
            """{"type":"object","properties":{"model":{"type":"string"},"ids":{"type":"array","items":{"type":"string"}}},"required":["model","ids"]}""",
            async (hub, caller, a, ct) =>
            {
                var ids = Read.Strings(a, "ids", required: true).Select((s, i) => Guid.TryParse(s, out var g) ? g : throw new ValidationException($"ids[{i}]", "must be a message id.")).ToList();
                var outcomes = await hub.AckAsync(caller, Read.Text(a, "model", required: true)!, ids, ct);
                return new JsonObject([.. Enum.GetValues<AckOutcome>().Select(o => KeyValuePair.Create(MailRoutes.Name(o), (JsonNode?)Read.Array(outcomes.Where(x => x.Value == o), x => x.Key.ToString())))]);
            }),
        new HvsTool(holder, "broadcast", "Send a message to every model matching capability, namespace and type (needs the broadcast permission).",
            """{"type":"object","properties":{"body":{},"text":{"type":"string"},"idempotency_key":{"type":"string"},"capability":{"type":"string"},"namespace":{"type":"string"},"type":{"type":"string"}}}""",
            async (hub, caller, a, ct) =>
            {
                var r = await hub.BroadcastAsync(caller, Outgoing(a), new BroadcastFilter(Read.Text(a, "capability"), Read.Text(a, "namespace"), Read.Text(a, "type")), ct);
                return new JsonObject
                {
                    ["broadcast_id"] = r.BroadcastId,
                    ["sent"] = Read.Array(r.Sent, s => new JsonObject { ["to"] = s.Model, ["id"] = s.Result.Id.ToString() }),
                    ["skipped"] = Read.Array(r.Skipped, s => new JsonObject { ["model"] = s.Model, ["reason"] = s.Reason }),
                };
            }),
        new HvsTool(holder, "search_messages", "Search your unacknowledged messages by meaning.",
            """{"type":"object","properties":{"model":{"type":"string"},"text":{"type":"string"},"limit":{"type":"integer"}},"required":["model","text"]}""",
            async (hub, caller, a, ct) => Read.Array(await hub.SearchMessagesAsync(caller, Read.Text(a, "model", required: true)!, Read.Text(a, "text", required: true), null, Read.Int(a, "limit") ?? 10, ct), h =>
            {
                var m = MailRoutes.Describe(h.Message);
                m["score"] = h.Score;
                return m;
            })),
    ];

    private static OutgoingMessage Outgoing(JsonObject a) => new()
    {
        Body = Read.Element(a, "body"),
        Text = Read.Text(a, "text"),
        TimeToLive = Read.Int(a, "ttl_seconds") is { } t ? TimeSpan.FromSeconds(t) : null,
        IdempotencyKey = Read.Text(a, "idempotency_key"),
    };

    private sealed class HvsTool(HubHolder holder, string name, string description, string schema, Func<CommunicationHub, Caller, JsonObject, CancellationToken, Task<JsonNode?>> invoke) : McpServerTool
    {
        public override Tool ProtocolTool { get; } = new()
        {
            Name = name,
            Description = description,
            InputSchema = JsonElement.Parse(schema),
            Annotations = new ToolAnnotations { ReadOnlyHint = name == "search_messages", DestructiveHint = name == "ack_messages", OpenWorldHint = false },
        };

        public override IReadOnlyList<object> Metadata { get; } = [];

        public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
        {
            var http = request.Services?.GetService<IHttpContextAccessor>()?.HttpContext;
            var caller = http is null ? Caller.Admin : Http.Routes.CallerOf(http);
            var arguments = new JsonObject();
            foreach (var (key, value) in request.Params?.Arguments ?? new Dictionary<string, JsonElement>())
            {
                arguments[key] = JsonNode.Parse(value.GetRawText());
            }

            try
            {
                var result = await invoke(holder.Hub, caller, arguments, cancellationToken).ConfigureAwait(false);
                return new CallToolResult { Content = [new TextContentBlock { Text = result?.ToJsonString() ?? "null" }] };
            }
            catch (Exception e) when (Answers.IsExpected(e))
            {
                return new CallToolResult { Content = [new TextContentBlock { Text = Answers.Map(e).Message }], IsError = true };
            }
        }
    }
}
