using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RoseForest.Communication.Mailboxes;
using RoseForest.Communication.Spaces;

namespace RoseForest.Communication.Client;

/// <summary>
/// The typed .NET client of the communication routes (<c>/models</c>, <c>/mailboxes</c>,
/// <c>/namespaces/{ns}/spaces</c>). The server's refusals come back typed: 400
/// <see cref="ValidationException"/> (with the field), 403 <see cref="AccessDeniedException"/>,
/// 404 <see cref="NotFoundException"/>, 409 <see cref="ConflictException"/>, 413
/// <see cref="PayloadTooLargeException"/>, 429 <see cref="RateLimitedException"/> (with Retry-After).
/// </summary>
public sealed class CommunicationClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _owns;

    /// <summary>A client on its own HttpClient, sending <paramref name="apiKey"/> (the server's or a model's).</summary>
    public CommunicationClient(Uri baseAddress, string? apiKey)
        : this(new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) }, apiKey, owns: true)
    {
    }

    /// <summary>A client on a given HttpClient (its BaseAddress set).</summary>
    public CommunicationClient(HttpClient http, string? apiKey) : this(http, apiKey, owns: false)
    {
    }

    private CommunicationClient(HttpClient http, string? apiKey, bool owns)
    {
        _http = http;
        _owns = owns;
        ApiKey = apiKey;
    }

    /// <summary>The key sent with every request.</summary>
    public string? ApiKey { get; }

    /// <summary>Registers a model (needs the server's key); returns its id and its key, shown only now.</summary>
    public async Task<(string Id, string ApiKey)> RegisterAsync(JsonObject contract, CancellationToken cancellationToken = default)
    {
        var r = await SendAsync(HttpMethod.Post, "/models", contract, cancellationToken).ConfigureAwait(false);
        return (r!["id"]!.GetValue<string>(), r["api_key"]!.GetValue<string>());
    }

    /// <summary>Creates a namespace (needs the server's key).</summary>
    public Task CreateNamespaceAsync(string name, string? owner = null, string visibility = "private", string policy = "shared", CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "/namespaces", new JsonObject { ["name"] = name, ["owner"] = owner, ["visibility"] = visibility, ["policy"] = policy }, cancellationToken);

    /// <summary>Sends a message to a model's mailbox.</summary>
    public async Task<SendResult> SendAsync(string to, OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var r = await SendAsync(HttpMethod.Post, $"/mailboxes/{Uri.EscapeDataString(to)}/messages", Outgoing(message), cancellationToken).ConfigureAwait(false);
        return new SendResult(Guid.Parse(r!["id"]!.GetValue<string>()), r["duplicate"]!.GetValue<bool>(), r["sequence"]!.GetValue<long>());
    }

    /// <summary>Broadcasts to every model matching the filter; returns the recipients' message ids.</summary>
    public async Task<IReadOnlyDictionary<string, Guid>> BroadcastAsync(OutgoingMessage message, BroadcastFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(filter);
        var body = Outgoing(message);
        body["filter"] = new JsonObject { ["capability"] = filter.Capability, ["namespace"] = filter.Namespace, ["type"] = filter.Type };
        var r = await SendAsync(HttpMethod.Post, "/mailboxes/broadcast", body, cancellationToken).ConfigureAwait(false);
        return r!["sent"]!.AsArray().ToDictionary(s => s!["to"]!.GetValue<string>(), s => Guid.Parse(s!["id"]!.GetValue<string>()));
    }

    /// <summary>Receives up to <paramref name="max"/> messages of <paramref name="model"/>, waiting up to <paramref name="wait"/>.</summary>
    public async Task<IReadOnlyList<MailMessage>> ReceiveAsync(string model, int max = 10, TimeSpan? wait = null, TimeSpan? visibility = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["max"] = max, ["wait_ms"] = (int)(wait ?? TimeSpan.Zero).TotalMilliseconds };
        if (visibility is { } v)
        {
            body["visibility_ms"] = (int)v.TotalMilliseconds;
        }

        var r = await SendAsync(HttpMethod.Post, $"/mailboxes/{Uri.EscapeDataString(model)}/receive", body, cancellationToken).ConfigureAwait(false);
        return [.. r!.AsArray().Select(m => Message(m!))];
    }

    /// <summary>Acknowledges messages; returns each id's outcome.</summary>
    public async Task<IReadOnlyDictionary<Guid, AckOutcome>> AckAsync(string model, IEnumerable<Guid> ids, CancellationToken cancellationToken = default)
    {
        var r = await SendAsync(HttpMethod.Post, $"/mailboxes/{Uri.EscapeDataString(model)}/ack", new JsonObject { ["ids"] = new JsonArray([.. ids.Select(i => (JsonNode)i.ToString())]) }, cancellationToken).ConfigureAwait(false);
        var result = new Dictionary<Guid, AckOutcome>();
        foreach (var outcome in Enum.GetValues<AckOutcome>())
        {
            foreach (var id in r![OutcomeName(outcome)]!.AsArray())
            {
                result[Guid.Parse(id!.GetValue<string>())] = outcome;
            }
        }

        return result;
    }

    /// <summary>Searches a model's own messages by text.</summary>
    public async Task<IReadOnlyList<(MailMessage Message, double Score)>> SearchMessagesAsync(string model, string text, int limit = 10, CancellationToken cancellationToken = default)
    {
        var r = await SendAsync(HttpMethod.Post, $"/mailboxes/{Uri.EscapeDataString(model)}/search", new JsonObject { ["text"] = text, ["limit"] = limit }, cancellationToken).ConfigureAwait(false);
        return [.. r!.AsArray().Select(m => (Message(m!), m!["score"]!.GetValue<double>()))];
    }

    /// <summary>Creates a shared space (needs admin on the namespace).</summary>
    public Task CreateSpaceAsync(string ns, string space, string geometry, int dimension, double curvature = 1, string weighting = "equal", CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, $"/namespaces/{ns}/spaces/{space}", new JsonObject { ["geometry"] = geometry, ["dimension"] = dimension, ["curvature"] = curvature, ["weighting"] = weighting }, cancellationToken);

    /// <summary>Joins a shared space.</summary>
    public Task JoinSpaceAsync(string ns, string space, IEnumerable<string> capabilities, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"/namespaces/{ns}/spaces/{space}/join", new JsonObject { ["capabilities"] = new JsonArray([.. capabilities.Select(c => (JsonNode)c)]) }, cancellationToken);

    /// <summary>Contributes a vector (and a value) under a key; returns its version.</summary>
    public async Task<long> ContributeAsync(string ns, string space, string key, float[] vector, JsonNode? value = null, CancellationToken cancellationToken = default)
    {
        var r = await SendAsync(HttpMethod.Post, $"/namespaces/{ns}/spaces/{space}/contributions", new JsonObject { ["key"] = key, ["vector"] = new JsonArray([.. vector.Select(v => (JsonNode)v)]), ["value"] = value?.DeepClone() }, cancellationToken).ConfigureAwait(false);
        return r!["version"]!.GetValue<long>();
    }

    /// <summary>The consensus of a space: of the k contributions nearest <paramref name="near"/>, or of all.</summary>
    public async Task<ConsensusResult> ConsensusAsync(string ns, string space, float[]? near = null, int k = 10, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["k"] = k };
        if (near is not null)
        {
            body["vector"] = new JsonArray([.. near.Select(v => (JsonNode)v)]);
        }

        var r = await SendAsync(HttpMethod.Post, $"/namespaces/{ns}/spaces/{space}/consensus", body, cancellationToken).ConfigureAwait(false);
        return new ConsensusResult([.. r!["mean"]!.AsArray().Select(x => x!.GetValue<double>())], r["dispersion"]!.GetValue<double>(), r["contributions"]!.GetValue<int>(),
            r["contributors"]!.GetValue<int>(), r["converged"]!.GetValue<bool>(), r["weights"]!.AsObject().ToDictionary(w => w.Key, w => w.Value!.GetValue<double>()));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_owns)
        {
            _http.Dispose();
        }
    }

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (ApiKey is not null)
        {
            request.Headers.Add("api-key", ApiKey);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        JsonNode? parsed = null;
        try
        {
            parsed = text.Length > 0 ? JsonNode.Parse(text) : null;
        }
        catch (JsonException)
        {
            // Not our envelope: reported below with the status.
        }

        if (response.IsSuccessStatusCode)
        {
            return parsed?["result"];
        }

        var message = parsed?["status"]?["error"]?.GetValue<string>() ?? $"HTTP {(int)response.StatusCode}: {text}";
        throw response.StatusCode switch
        {
            HttpStatusCode.BadRequest => new ValidationException(parsed?["field"]?.GetValue<string>() ?? "request", message),
            HttpStatusCode.Forbidden => new AccessDeniedException(message),
            HttpStatusCode.NotFound => new NotFoundException(message),
            HttpStatusCode.Conflict => new ConflictException(message),
            HttpStatusCode.RequestEntityTooLarge => new PayloadTooLargeException(message),
            HttpStatusCode.TooManyRequests => new RateLimitedException(message, RetryAfter(response.Headers.RetryAfter)),
            _ => new HttpRequestException(message, null, response.StatusCode),
        };
    }

    private static TimeSpan RetryAfter(RetryConditionHeaderValue? header) => header?.Delta ?? TimeSpan.FromSeconds(1);

    private static JsonObject Outgoing(OutgoingMessage m)
    {
        var body = new JsonObject();
        if (m.Body is { } b)
        {
            body["body"] = JsonNode.Parse(b.GetRawText());
        }

        if (m.Text is not null)
        {
            body["text"] = m.Text;
        }

        if (m.Vector is not null)
        {
            body["vector"] = new JsonArray([.. m.Vector.Select(v => (JsonNode)v)]);
        }

        if (m.TimeToLive is { } ttl)
        {
            body["ttl_seconds"] = (int)ttl.TotalSeconds;
        }

        if (m.IdempotencyKey is not null)
        {
            body["idempotency_key"] = m.IdempotencyKey;
        }

        return body;
    }

    private static MailMessage Message(JsonNode m) => new(
        Guid.Parse(m["id"]!.GetValue<string>()), m["from"]!.GetValue<string>(), m["to"]!.GetValue<string>(), m["sequence"]!.GetValue<long>(),
        DateTimeOffset.Parse(m["sent_at"]!.GetValue<string>(), CultureInfo.InvariantCulture), DateTimeOffset.Parse(m["expires_at"]!.GetValue<string>(), CultureInfo.InvariantCulture),
        m["deliveries"]!.GetValue<int>(), m["body"] is { } b ? JsonSerializer.SerializeToElement(b) : null, m["text"]?.GetValue<string>(),
        m["idempotency_key"]?.GetValue<string>(), m["broadcast_id"]?.GetValue<string>());

    private static string OutcomeName(AckOutcome outcome) => outcome switch
    {
        AckOutcome.Acked => "acked",
        AckOutcome.AlreadyAcked => "already_acked",
        AckOutcome.Unknown => "unknown",
        AckOutcome.NotDelivered => "not_delivered",
        AckOutcome.Canceled => "canceled",
        _ => "expired",
    };
}
