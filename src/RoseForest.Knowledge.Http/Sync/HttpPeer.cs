using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using RoseForest.Knowledge.Http.Points;
using RoseForest.Knowledge.Sync;

namespace RoseForest.Knowledge.Http.Sync;

/// <summary>Another RoseForest server as one side of a sync job, over its <c>/sync</c> routes.</summary>
internal sealed class HttpPeer : ISyncPeer, IDisposable
{
    private readonly HttpClient _http;

    public HttpPeer(Uri baseAddress, string? apiKey, TimeSpan timeout)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = timeout };
        if (apiKey is not null)
        {
            _http.DefaultRequestHeaders.Add("api-key", apiKey);
        }

        Name = baseAddress.ToString();
    }

    public string Name { get; }

    /// <summary>Asked on every run: the server at this address may have been replaced by another node.</summary>
    public async Task<string> NodeIdAsync(CancellationToken cancellationToken)
    {
        using var doc = await SendAsync(HttpMethod.Get, "sync/node", null, cancellationToken).ConfigureAwait(false);
        return doc.RootElement.GetProperty("node_id").GetString() ?? throw new SyncPeerException($"{Name} gave no node id.");
    }

    public async Task<IReadOnlyDictionary<string, CollectionShape>> CollectionsAsync(CancellationToken cancellationToken)
    {
        using var doc = await SendAsync(HttpMethod.Get, "sync/collections", null, cancellationToken).ConfigureAwait(false);
        var shapes = new SortedDictionary<string, CollectionShape>(StringComparer.Ordinal);
        foreach (var c in doc.RootElement.GetProperty("collections").EnumerateArray())
        {
            shapes[c.GetProperty("name").GetString()!] = SyncJson.ReadShape(c);
        }

        return shapes;
    }

    public async Task<CollectionShape> PrepareAsync(string collection, CollectionShape? create, ConflictStrategy strategy, CancellationToken cancellationToken)
    {
        var body = new StringBuilder("{\"strategy\":\"").Append(StrategyNames.Name(strategy)).Append('"');
        if (create is not null)
        {
            body.Append(",\"create\":").Append(SyncJson.ShapeJson(create));
        }

        using var doc = await SendAsync(HttpMethod.Post, $"sync/collections/{Uri.EscapeDataString(collection)}/prepare", Encoding.UTF8.GetBytes(body.Append('}').ToString()), cancellationToken).ConfigureAwait(false);
        return SyncJson.ReadShape(doc.RootElement);
    }

    public async Task<byte[]> ReadAsync(string? collection, long since, int limit, string? filterJson, string key, CancellationToken cancellationToken)
    {
        var body = string.Create(CultureInfo.InvariantCulture, $"{{\"since\":{since},\"limit\":{limit},\"key\":{JsonSerializer.Serialize(key)}{(filterJson is null ? string.Empty : ",\"filter\":" + filterJson)}}}");
        using var response = await RawAsync(HttpMethod.Post, Scope(collection) + "/changes", Encoding.UTF8.GetBytes(body), cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> CheckpointAsync(string? collection, string source, string key, CancellationToken cancellationToken)
    {
        using var doc = await SendAsync(HttpMethod.Get, $"{Scope(collection)}/checkpoints/{Uri.EscapeDataString(source)}?key={Uri.EscapeDataString(key)}", null, cancellationToken).ConfigureAwait(false);
        return doc.RootElement.GetProperty("checkpoint").GetInt64();
    }

    public async Task<ApplyOutcome> ApplyAsync(string? collection, byte[] batch, CancellationToken cancellationToken)
    {
        using var doc = await SendAsync(HttpMethod.Post, Scope(collection) + "/apply", batch, cancellationToken).ConfigureAwait(false);
        var r = doc.RootElement;
        return new ApplyOutcome(r.GetProperty("applied").GetInt32(), r.GetProperty("checkpoint").GetInt64(), r.GetProperty("conflicts").GetInt32());
    }

    public async Task<IReadOnlyDictionary<string, long>> AcknowledgementVectorAsync(CancellationToken cancellationToken)
    {
        using var doc = await SendAsync(HttpMethod.Get, "sync/knowledge/ack", null, cancellationToken).ConfigureAwait(false);
        return doc.RootElement.GetProperty("vector").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
    }

    public async Task AcknowledgeAsync(string peer, IReadOnlyDictionary<string, long> vector, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["vector"] = vector });
        using var _ = await SendAsync(HttpMethod.Post, $"sync/knowledge/ack/{Uri.EscapeDataString(peer)}", body, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _http.Dispose();

    private static string Scope(string? collection) => collection is null ? "sync/knowledge" : $"sync/collections/{Uri.EscapeDataString(collection)}";

    private async Task<JsonDocument> SendAsync(HttpMethod method, string path, byte[]? body, CancellationToken cancellationToken)
    {
        using var response = await RawAsync(method, path, body, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return JsonDocument.Parse(bytes);
    }

    private async Task<HttpResponseMessage> RawAsync(HttpMethod method, string path, byte[]? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            response.Dispose();
            throw new SyncPeerException($"{Name} answered {(int)response.StatusCode} to {method} /{path.Split('?')[0]}: {Message(text)}");
        }

        return response;
    }

    private static string Message(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.TryGetProperty("message", out var m) ? m.GetString() ?? text : text;
        }
        catch (JsonException)
        {
            return text.Length > 300 ? text[..300] : text;
        }
    }
}

/// <summary>The peer refused a sync call or could not be reached; the message says which and why.</summary>
internal sealed class SyncPeerException(string message) : Exception(message);
