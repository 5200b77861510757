using System.Net.Http.Headers;
using System.Text;
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
/// The mailbox tools: <c>send_message</c>, <c>receive_messages</c>, <c>ack_messages</c>,
/// <c>broadcast</c>, <c>search_messages</c>. Each answers the same JSON as the matching REST route's
/// <c>result</c>, and a refusal is a tool error (<c>isError</c>) with the message. Three ways to
/// run them: on the HTTP MCP server (<c>/mcp</c>) acting as the HTTP request's caller (a model key
/// acts as that model); over an open hub as a fixed caller (the stdio server embedded over a data
/// folder); or forwarded to a running server's REST mailbox routes with a key (the stdio server
/// with <c>--url</c>), where that server decides what the key may do.
/// </summary>
internal static class CommunicationTools
{
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal) { "send_message", "receive_messages", "ack_messages", "broadcast", "search_messages" };

    /// <summary>What a tool does, locally (through the hub) and remotely (the REST route and body it maps to).</summary>
    private sealed record Spec(
        string Name,
        string Description,
        string Schema,
        Func<CommunicationHub, Caller, JsonObject, CancellationToken, Task<JsonNode?>> Local,
        Func<JsonObject, (string Path, JsonObject Body)> Remote);

    private static readonly Spec[] Specs =
    [
        new("send_message", "Send a message to a model's durable mailbox. Returns {id, duplicate, sequence}.",
            """{"type":"object","properties":{"to":{"type":"string"},"body":{},"text":{"type":"string"},"idempotency_key":{"type":"string"},"ttl_seconds":{"type":"integer"}},"required":["to"]}""",
            async (hub, caller, a, ct) =>
            {
                var r = await hub.SendAsync(caller, Read.Text(a, "to", required: true)!, Outgoing(a), ct);
                return new JsonObject { ["id"] = r.Id.ToString(), ["duplicate"] = r.Duplicate, ["sequence"] = r.Sequence };
            },
            a => ($"/mailboxes/{Escape(Read.Text(a, "to", required: true))}/messages", Pick(a, "body", "text", "idempotency_key", "ttl_seconds"))),
        new("receive_messages", "Receive up to max messages from your mailbox, leased for visibility_ms; ack them with ack_messages or they come back.",
            """{"type":"object","properties":{"model":{"type":"string"},"max":{"type":"integer"},"wait_ms":{"type":"integer"},"visibility_ms":{"type":"integer"}},"required":["model"]}""",
            async (hub, caller, a, ct) => Read.Array(await hub.ReceiveAsync(caller, Read.Text(a, "model", required: true)!, Read.Int(a, "max") ?? 10,
                TimeSpan.FromMilliseconds(Read.Int(a, "wait_ms") ?? 0), Read.Int(a, "visibility_ms") is { } v ? TimeSpan.FromMilliseconds(v) : null, ct), MailRoutes.Describe),
            a => ($"/mailboxes/{Escape(Read.Text(a, "model", required: true))}/receive", Pick(a, "max", "wait_ms", "visibility_ms"))),
        new("ack_messages", "Acknowledge received messages: they are durably removed and never delivered again.",
            """{"type":"object","properties":{"model":{"type":"string"},"ids":{"type":"array","items":{"type":"string"}}},"required":["model","ids"]}""",
            async (hub, caller, a, ct) =>
            {
                var ids = Read.Strings(a, "ids", required: true).Select((s, i) => Guid.TryParse(s, out var g) ? g : throw new ValidationException($"ids[{i}]", "must be a message id.")).ToList();
                var outcomes = await hub.AckAsync(caller, Read.Text(a, "model", required: true)!, ids, ct);
                return new JsonObject([.. Enum.GetValues<AckOutcome>().Select(o => KeyValuePair.Create(MailRoutes.Name(o), (JsonNode?)Read.Array(outcomes.Where(x => x.Value == o), x => x.Key.ToString())))]);
            },
            a => ($"/mailboxes/{Escape(Read.Text(a, "model", required: true))}/ack", Pick(a, "ids"))),
        new("broadcast", "Send a message to every model matching capability, namespace and type (needs the broadcast permission).",
            """{"type":"object","properties":{"body":{},"text":{"type":"string"},"idempotency_key":{"type":"string"},"capability":{"type":"string"},"namespace":{"type":"string"},"type":{"type":"string"}}}""",
            async (hub, caller, a, ct) =>
            {
                var r = await hub.BroadcastAsync(caller, Outgoing(a), new BroadcastFilter(Read.Text(a, "capability"), Read.Text(a, "namespace"), Read.Text(a, "type")), ct);
                return new JsonObject
                {
                    ["broadcast_id"] = r.BroadcastId,
                    ["sent"] = Read.Array(r.Sent, s => new JsonObject { ["to"] = s.Model, ["id"] = s.Result.Id.ToString(), ["duplicate"] = s.Result.Duplicate }),
                    ["skipped"] = Read.Array(r.Skipped, s => new JsonObject { ["model"] = s.Model, ["reason"] = s.Reason }),
                };
            },
            a =>
            {
                var body = Pick(a, "body", "text", "idempotency_key");
                body["filter"] = Pick(a, "capability", "namespace", "type");
                return ("/mailboxes/broadcast", body);
            }),
        new("search_messages", "Search your unacknowledged messages by meaning.",
            """{"type":"object","properties":{"model":{"type":"string"},"text":{"type":"string"},"limit":{"type":"integer"}},"required":["model","text"]}""",
            async (hub, caller, a, ct) => Read.Array(await hub.SearchMessagesAsync(caller, Read.Text(a, "model", required: true)!, Read.Text(a, "text", required: true), null, Read.Int(a, "limit") ?? 10, ct), h =>
            {
                var m = MailRoutes.Describe(h.Message);
                m["score"] = h.Score;
                return m;
            }),
            a => ($"/mailboxes/{Escape(Read.Text(a, "model", required: true))}/search", Pick(a, "text", "limit"))),
    ];

    /// <summary>The tools of the HTTP MCP server: the caller is the request's (a model key acts as that model).</summary>
    public static IEnumerable<McpServerTool> Create(HubHolder holder) =>
        Specs.Select(s => (McpServerTool)new HvsTool(s, (request, a, ct) =>
        {
            var http = request.Services?.GetService<IHttpContextAccessor>()?.HttpContext;
            return s.Local(holder.Hub, http is null ? Caller.Admin : Http.Routes.CallerOf(http), a, ct);
        }));

    /// <summary>The tools over an open hub, all acting as <paramref name="caller"/>.</summary>
    public static IEnumerable<McpServerTool> Create(CommunicationHub hub, Caller caller) =>
        Specs.Select(s => (McpServerTool)new HvsTool(s, (_, a, ct) => s.Local(hub, caller, a, ct)));

    /// <summary>The tools forwarded to a server's REST mailbox routes with <paramref name="apiKey"/>.</summary>
    public static IEnumerable<McpServerTool> CreateRemote(HttpClient http, string? apiKey) =>
        Specs.Select(s => (McpServerTool)new HvsTool(s, (_, a, ct) => ForwardAsync(http, apiKey, s.Remote(a), ct)));

    private static async Task<JsonNode?> ForwardAsync(HttpClient http, string? apiKey, (string Path, JsonObject Body) call, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, call.Path.TrimStart('/')) { Content = new StringContent(call.Body.ToJsonString(), Encoding.UTF8, "application/json") };
        if (apiKey is not null)
        {
            request.Headers.Add("api-key", apiKey);
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        JsonNode? parsed = null;
        try
        {
            parsed = text.Length > 0 ? JsonNode.Parse(text) : null;
        }
        catch (JsonException)
        {
            // Not the server's envelope: reported below with the status.
        }

        if (response.IsSuccessStatusCode)
        {
            return parsed?["result"];
        }

        throw new RemoteToolException(parsed?["status"]?["error"]?.GetValue<string>() ?? $"HTTP {(int)response.StatusCode}: {text}");
    }

    private static string Escape(string? text) => Uri.EscapeDataString(text!);

    /// <summary>The named arguments that are present, copied.</summary>
    private static JsonObject Pick(JsonObject a, params string[] names)
    {
        var o = new JsonObject();
        foreach (var name in names)
        {
            if (a[name] is { } value)
            {
                o[name] = value.DeepClone();
            }
        }

        return o;
    }

    private static OutgoingMessage Outgoing(JsonObject a) => new()
    {
        Body = Read.Element(a, "body"),
        Text = Read.Text(a, "text"),
        TimeToLive = Read.Int(a, "ttl_seconds") is { } t ? TimeSpan.FromSeconds(t) : null,
        IdempotencyKey = Read.Text(a, "idempotency_key"),
    };

    /// <summary>A refusal or error answered by the remote server (its message, as the tool error).</summary>
    private sealed class RemoteToolException(string message) : Exception(message);

    private sealed class HvsTool(Spec spec, Func<RequestContext<CallToolRequestParams>, JsonObject, CancellationToken, Task<JsonNode?>> invoke) : McpServerTool
    {
        public override Tool ProtocolTool { get; } = new()
        {
            Name = spec.Name,
            Description = spec.Description,
            InputSchema = JsonElement.Parse(spec.Schema),
            Annotations = new ToolAnnotations { ReadOnlyHint = spec.Name == "search_messages", DestructiveHint = spec.Name == "ack_messages", OpenWorldHint = false },
        };

        public override IReadOnlyList<object> Metadata { get; } = [];

        public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
        {
            var arguments = new JsonObject();
            foreach (var (key, value) in request.Params?.Arguments ?? new Dictionary<string, JsonElement>())
            {
                arguments[key] = JsonNode.Parse(value.GetRawText());
            }

            try
            {
                var result = await invoke(request, arguments, cancellationToken).ConfigureAwait(false);
                return new CallToolResult { Content = [new TextContentBlock { Text = result?.ToJsonString() ?? "null" }] };
            }
            catch (Exception e) when (Answers.IsExpected(e) || e is RemoteToolException or HttpRequestException)
            {
                return new CallToolResult { Content = [new TextContentBlock { Text = e is RemoteToolException or HttpRequestException ? e.Message : Answers.Map(e).Message }], IsError = true };
            }
        }
    }
}
