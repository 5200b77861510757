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
/// The typed .NET client of the communication routes (<c>/models</c> with states and spines,
/// <c>/mailboxes</c>, <c>/namespaces</c> with grants, policies, the cross-namespace query, rebuilds
/// and spaces). The server's refusals come back typed: 400
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

    /// <summary>Where a message is (for its sender, its recipient or the administrator).</summary>
    public async Task<MessageStatus> MessageStatusAsync(string to, Guid id, CancellationToken cancellationToken = default)
    {
        var r = await SendAsync(HttpMethod.Get, $"/mailboxes/{Uri.EscapeDataString(to)}/messages/{id}", null, cancellationToken).ConfigureAwait(false);
        return Status(r!["status"]!.GetValue<string>());
    }

    /// <summary>
    /// Withdraws a message the caller sent, while it is neither acknowledged nor expired: it is never
    /// delivered again. <see cref="ConflictException"/> when it was acknowledged or expired.
    /// </summary>
    public async Task<MessageStatus> CancelMessageAsync(string to, Guid id, CancellationToken cancellationToken = default)
    {
        var r = await SendAsync(HttpMethod.Delete, $"/mailboxes/{Uri.EscapeDataString(to)}/messages/{id}", null, cancellationToken).ConfigureAwait(false);
        return Status(r!["status"]!.GetValue<string>());
    }

    /// <summary>Adds rights (<c>read</c>, <c>write</c>, <c>admin</c>) of a model on a namespace (needs admin on it); returns the namespace.</summary>
    public Task<JsonNode?> GrantAsync(string ns, string model, IEnumerable<string> rights, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"/namespaces/{Uri.EscapeDataString(ns)}/grants", new JsonObject { ["model"] = model, ["rights"] = Strings(rights) }, cancellationToken);

    /// <summary>Removes rights of a model on a namespace (needs admin on it); returns the namespace.</summary>
    public Task<JsonNode?> RevokeAsync(string ns, string model, IEnumerable<string> rights, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"/namespaces/{Uri.EscapeDataString(ns)}/revoke", new JsonObject { ["model"] = model, ["rights"] = Strings(rights) }, cancellationToken);

    /// <summary>Sets a namespace's visibility, default policy and policies toward other namespaces (a null policy removes one); returns the namespace.</summary>
    public Task<JsonNode?> SetPolicyAsync(string ns, string? visibility = null, string? policy = null, IReadOnlyDictionary<string, string?>? peers = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["visibility"] = visibility, ["policy"] = policy };
        if (peers is not null)
        {
            body["peers"] = new JsonObject([.. peers.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)(p.Value is null ? null : JsonValue.Create(p.Value))))]);
        }

        return SendAsync(HttpMethod.Put, $"/namespaces/{Uri.EscapeDataString(ns)}/policy", body, cancellationToken);
    }

    /// <summary>Searches the collection <c>&lt;namespace&gt;__&lt;collection&gt;</c> of each namespace (the caller must read them all); hits best first.</summary>
    public async Task<IReadOnlyList<(string Namespace, JsonNode Hit)>> QueryCrossNamespaceAsync(IEnumerable<string> namespaces, string collection, float[] vector, int limit = 10, CancellationToken cancellationToken = default)
    {
        var r = await SendAsync(HttpMethod.Post, "/namespaces/query", new JsonObject { ["namespaces"] = Strings(namespaces), ["collection"] = collection, ["vector"] = Vector(vector), ["limit"] = limit }, cancellationToken).ConfigureAwait(false);
        return [.. r!.AsArray().Select(h => (h!["namespace"]!.GetValue<string>(), h!))];
    }

    /// <summary>Embeds documents into <c>&lt;ns&gt;__&lt;collection&gt;</c> with deterministic ids; returns how many were written.</summary>
    public async Task<int> RebuildAsync(string ns, IEnumerable<string> documents, string collection = "documents", CancellationToken cancellationToken = default)
    {
        var r = await SendAsync(HttpMethod.Post, $"/namespaces/{Uri.EscapeDataString(ns)}/rebuild", new JsonObject { ["collection"] = collection, ["documents"] = Strings(documents) }, cancellationToken).ConfigureAwait(false);
        return r!["upserted"]!.GetValue<int>();
    }

    /// <summary>Checks a rebuild: the same documents with the same embedder verify with zero mismatches.</summary>
    public async Task<Spine.RebuildReport> VerifyRebuildAsync(string ns, IEnumerable<string> documents, string collection = "documents", CancellationToken cancellationToken = default)
    {
        var r = await SendAsync(HttpMethod.Post, $"/namespaces/{Uri.EscapeDataString(ns)}/rebuild/verify", new JsonObject { ["collection"] = collection, ["documents"] = Strings(documents) }, cancellationToken).ConfigureAwait(false);
        return new Spine.RebuildReport(r!["total_vectors"]!.GetValue<long>(), r["matched"]!.GetValue<int>(), r["mismatched"]!.GetValue<int>(), r["missing"]!.GetValue<int>(), r["extra"]!.GetValue<int>());
    }

    /// <summary>Registers a model's state schema (JSON Schema); returns the state record.</summary>
    public Task<JsonNode?> RegisterStateAsync(string model, JsonNode schema, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, $"/models/{Uri.EscapeDataString(model)}/state/schema", new JsonObject { ["schema"] = schema.DeepClone() }, cancellationToken);

    /// <summary>Updates a model's state (validated against its schema; version + 1; subscribers notified); returns the state record.</summary>
    public Task<JsonNode?> UpdateStateAsync(string model, JsonNode state, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, $"/models/{Uri.EscapeDataString(model)}/state", new JsonObject { ["state"] = state.DeepClone() }, cancellationToken);

    /// <summary>A model's state record: <c>{model, namespace, version, updated_at, schema, state, subscribers}</c>.</summary>
    public Task<JsonNode?> GetStateAsync(string model, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"/models/{Uri.EscapeDataString(model)}/state", null, cancellationToken);

    /// <summary>Subscribes the caller to a model's state changes (or unsubscribes): updates arrive in its mailbox.</summary>
    public Task<JsonNode?> SubscribeStateAsync(string model, bool subscribe = true, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"/models/{Uri.EscapeDataString(model)}/state/subscribe", new JsonObject { ["subscribe"] = subscribe }, cancellationToken);

    /// <summary>The states most similar to <paramref name="state"/> among those the caller may read, each with <c>score</c>.</summary>
    public async Task<IReadOnlyList<JsonNode>> FindSimilarStatesAsync(JsonNode state, int k = 5, CancellationToken cancellationToken = default)
    {
        var r = await SendAsync(HttpMethod.Post, "/states/similar", new JsonObject { ["state"] = state.DeepClone(), ["k"] = k }, cancellationToken).ConfigureAwait(false);
        return [.. r!.AsArray().Select(s => s!)];
    }

    /// <summary>A model's vector spine as an RFSPINE file.</summary>
    public async Task<byte[]> ExportSpineAsync(string model, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/models/{Uri.EscapeDataString(model)}/spine");
        AddKey(request);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);
        }

        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Restores a spine file (verified first: a damaged file is a <see cref="ValidationException"/>); returns how many contributions it restored.</summary>
    public async Task<int> ImportSpineAsync(byte[] file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/spine") { Content = new ByteArrayContent(file) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        AddKey(request);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);
        }

        return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false))!["result"]!["contributions"]!.GetValue<int>();
    }

    /// <summary>The k contributions of a shared space nearest <paramref name="vector"/>, each with <c>score</c>.</summary>
    public async Task<IReadOnlyList<JsonNode>> QuerySharedAsync(string ns, string space, float[] vector, int k = 10, CancellationToken cancellationToken = default)
    {
        var r = await SendAsync(HttpMethod.Post, $"/namespaces/{Uri.EscapeDataString(ns)}/spaces/{Uri.EscapeDataString(space)}/query", new JsonObject { ["vector"] = Vector(vector), ["k"] = k }, cancellationToken).ConfigureAwait(false);
        return [.. r!.AsArray().Select(h => h!)];
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
        AddKey(request);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, ct).ConfigureAwait(false);
        }

        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        return text.Length > 0 ? JsonNode.Parse(text)?["result"] : null;
    }

    private void AddKey(HttpRequestMessage request)
    {
        if (ApiKey is not null)
        {
            request.Headers.Add("api-key", ApiKey);
        }
    }

    /// <summary>The server's refusal as the typed exception.</summary>
    private static async Task<Exception> ErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        JsonNode? parsed = null;
        try
        {
            parsed = text.Length > 0 ? JsonNode.Parse(text) : null;
        }
        catch (JsonException)
        {
            // Not our envelope: reported with the status.
        }

        var message = parsed?["status"]?["error"]?.GetValue<string>() ?? $"HTTP {(int)response.StatusCode}: {text}";
        return response.StatusCode switch
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

    private static JsonArray Strings(IEnumerable<string> items) => new([.. items.Select(i => (JsonNode)i)]);

    private static JsonArray Vector(float[] vector) => new([.. vector.Select(v => (JsonNode)v)]);

    private static MessageStatus Status(string name) => name switch
    {
        "waiting" => MessageStatus.Waiting,
        "delivered" => MessageStatus.Delivered,
        "acked" => MessageStatus.Acked,
        "canceled" => MessageStatus.Canceled,
        _ => MessageStatus.Expired,
    };

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
