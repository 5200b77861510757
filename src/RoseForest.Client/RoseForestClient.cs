using System.Net;
using System.Text.Json;
using RoseForest.Contracts.Qdrant;

namespace RoseForest.Client;

/// <summary>
/// <see cref="IVectorDatabase"/> over RoseForest's REST API: the same interface as the embedded
/// engine, so code (the CLI's verbs, a follower, a test) runs unchanged against either. Requests
/// and responses go through the contracts' Qdrant JSON format, the same code the server uses.
/// Errors come back typed: 400 → <see cref="ValidationException"/>, 404 →
/// <see cref="NotFoundException"/>, 503 → <see cref="CollectionFaultedException"/>-like
/// <see cref="RemoteException"/> with the status, 410 on the change feed →
/// <see cref="ChangeFeedGapException"/>.
/// </summary>
public sealed partial class RoseForestClient : IVectorDatabase
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>A client for the server at <paramref name="options"/>' address.</summary>
    public RoseForestClient(RoseForestClientOptions options)
        : this(CreateHttp(options), ownsHttp: true)
    {
    }

    /// <summary>A client over an existing <see cref="HttpClient"/> (its BaseAddress is the server).</summary>
    public RoseForestClient(HttpClient http)
        : this(http, ownsHttp: false)
    {
    }

    private RoseForestClient(HttpClient http, bool ownsHttp)
    {
        _http = http;
        _ownsHttp = ownsHttp;
        Snapshots = new RemoteSnapshots(this);
        Changes = new RemoteChangeFeed(this);
    }

    /// <inheritdoc />
    public ISnapshotCatalog Snapshots { get; }

    /// <inheritdoc />
    public IChangeFeed Changes { get; }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListCollectionsAsync(CancellationToken cancellationToken = default) =>
        QdrantJson.ReadCollectionList(await SendAsync(HttpMethod.Get, "collections", null, cancellationToken).ConfigureAwait(false));

    /// <inheritdoc />
    public async Task CreateCollectionAsync(string name, CollectionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        await SendAsync(HttpMethod.Put, Path(name), w => QdrantJson.WriteCreateCollection(w, options), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteCollectionAsync(string name, CancellationToken cancellationToken = default) =>
        (await SendAsync(HttpMethod.Delete, Path(name), null, cancellationToken).ConfigureAwait(false)).GetBoolean();

    /// <inheritdoc />
    public async Task<bool> CollectionExistsAsync(string name, CancellationToken cancellationToken = default) =>
        (await SendAsync(HttpMethod.Get, Path(name) + "/exists", null, cancellationToken).ConfigureAwait(false)).GetProperty("exists").GetBoolean();

    /// <inheritdoc />
    public async Task<CollectionInfo> GetCollectionInfoAsync(string name, CancellationToken cancellationToken = default) =>
        QdrantJson.ReadCollectionInfo(name, await SendAsync(HttpMethod.Get, Path(name), null, cancellationToken).ConfigureAwait(false));

    /// <inheritdoc />
    public async Task<RecoveryResult> RecoverCollectionAsync(string name, bool salvage = false, CancellationToken cancellationToken = default) =>
        QdrantJson.ReadRecovery(await SendAsync(HttpMethod.Post, $"{Path(name)}/recover?salvage={(salvage ? "true" : "false")}", null, cancellationToken).ConfigureAwait(false));

    /// <inheritdoc />
    public IVectorCollection GetCollection(string name) => new RemoteCollection(this, name);

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    internal static string Path(string collection) => "collections/" + Uri.EscapeDataString(collection);

    /// <summary>Sends a request with an optional JSON body and returns the envelope's <c>result</c>; errors become typed exceptions.</summary>
    internal async Task<JsonElement> SendAsync(HttpMethod method, string path, Action<Utf8JsonWriter>? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(QdrantJson.ToUtf8(body));
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        return await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    internal async Task<JsonElement> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        JsonElement envelope;
        try
        {
            envelope = bytes.Length == 0 ? default : JsonElement.Parse(bytes);
        }
        catch (JsonException)
        {
            throw new RemoteException(response.StatusCode, $"{(int)response.StatusCode} {response.ReasonPhrase}: {System.Text.Encoding.UTF8.GetString(bytes)}");
        }

        if (response.IsSuccessStatusCode)
        {
            return envelope.ValueKind == JsonValueKind.Object && envelope.TryGetProperty("result", out var result) ? result.Clone() : envelope.Clone();
        }

        throw Error(response.StatusCode, envelope);
    }

    internal async Task<Stream> GetStreamAsync(string path, CancellationToken cancellationToken)
    {
        var response = await _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        }

        using (response)
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            throw Error(response.StatusCode, bytes.Length == 0 ? default : JsonElement.Parse(bytes));
        }
    }

    /// <summary>The server's error as the exception the engine would have thrown (the message is the server's).</summary>
    private static Exception Error(HttpStatusCode status, JsonElement envelope)
    {
        var message = envelope.ValueKind == JsonValueKind.Object && envelope.TryGetProperty("status", out var s) &&
                      s.ValueKind == JsonValueKind.Object && s.TryGetProperty("error", out var e)
            ? e.GetString() ?? string.Empty
            : $"{(int)status} {status}";
        return status switch
        {
            HttpStatusCode.BadRequest => BadRequest(StripPrefix(message, "Wrong input: ")),
            HttpStatusCode.NotFound => NotFound(StripPrefix(message, "Not found: ")),
            HttpStatusCode.ServiceUnavailable => new RemoteException(status, StripPrefix(message, "Service unavailable: ")),
            HttpStatusCode.Gone => RemoteChangeFeed.Gap(StripPrefix(message, "Gone: ")),
            _ => new RemoteException(status, StripPrefix(message, "Service internal error: ")),
        };
    }

    private static RoseForestException BadRequest(string message) =>
        CollectionExists().Match(message) is { Success: true } m
            ? new CollectionAlreadyExistsException(m.Groups[1].Value)
            : new ValidationException(string.Empty, message);

    [System.Text.RegularExpressions.GeneratedRegex("^Collection `([^`]*)` already exists!$")]
    private static partial System.Text.RegularExpressions.Regex CollectionExists();

    /// <summary>The engine's not-found kinds, recognised by their messages (the wire carries no type).</summary>
    private static NotFoundException NotFound(string message)
    {
        if (CollectionMissing().Match(message) is { Success: true } c)
        {
            return new CollectionNotFoundException(c.Groups[1].Value);
        }

        if (PointMissing().Match(message) is { Success: true } p && PointId.TryParse(p.Groups[1].Value, out var id))
        {
            return new PointNotFoundException(id);
        }

        return new NotFoundException(message);
    }

    [System.Text.RegularExpressions.GeneratedRegex("^Collection `([^`]*)` doesn't exist!$")]
    private static partial System.Text.RegularExpressions.Regex CollectionMissing();

    [System.Text.RegularExpressions.GeneratedRegex("^No point with id (\\S+) found$")]
    private static partial System.Text.RegularExpressions.Regex PointMissing();

    private static string StripPrefix(string message, string prefix) =>
        message.StartsWith(prefix, StringComparison.Ordinal) ? message[prefix.Length..] : message;

    private static HttpClient CreateHttp(RoseForestClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var address = options.BaseAddress.AbsoluteUri.EndsWith('/') ? options.BaseAddress : new Uri(options.BaseAddress.AbsoluteUri + "/");
        var http = new HttpClient { BaseAddress = address, Timeout = options.Timeout };
        if (options.ApiKey is not null)
        {
            http.DefaultRequestHeaders.Add("api-key", options.ApiKey);
        }

        return http;
    }
}
