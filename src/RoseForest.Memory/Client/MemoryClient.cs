using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using RoseForest.Contracts.Qdrant;

namespace RoseForest.Memory;

/// <summary>
/// <see cref="IMemoryStore"/> over RoseForest's <c>/memories</c> REST routes: the same interface as
/// the embedded <see cref="MemoryStore"/>, so an MCP server started with <c>--url</c> (or any
/// program) runs unchanged against either. Errors come back typed: 400 →
/// <see cref="ValidationException"/>, 404 → <see cref="NotFoundException"/>, 401/403 →
/// <see cref="UnauthorizedAccessException"/>, anything else → <see cref="HttpRequestException"/>.
/// </summary>
public sealed class MemoryClient : IMemoryStore
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>A client for the server at <paramref name="baseAddress"/>, sending <paramref name="apiKey"/> as a bearer token when given.</summary>
    public MemoryClient(Uri baseAddress, string? apiKey = null)
        : this(new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) }, ownsHttp: true)
    {
        if (apiKey is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
    }

    /// <summary>A client over an existing <see cref="HttpClient"/> whose BaseAddress is the server (not disposed with the client).</summary>
    public MemoryClient(HttpClient http)
        : this(http, ownsHttp: false)
    {
    }

    private MemoryClient(HttpClient http, bool ownsHttp)
    {
        _http = http;
        _ownsHttp = ownsHttp;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MemoryEvent>> AddAsync(AddMemoryRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await SendAsync(HttpMethod.Post, "memories", w => MemoryJson.WriteAdd(w, request), cancellationToken).ConfigureAwait(false);
        return [.. result.GetProperty("results").EnumerateArray().Select(MemoryJson.ReadEvent)];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MemoryHit>> SearchAsync(SearchMemoryRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await SendAsync(HttpMethod.Post, "memories/search", w => MemoryJson.WriteSearch(w, request), cancellationToken).ConfigureAwait(false);
        return [.. result.GetProperty("results").EnumerateArray().Select(MemoryJson.ReadHit)];
    }

    /// <inheritdoc />
    public async Task<MemoryRecord> GetAsync(Guid id, MemoryScope? within = null, CancellationToken cancellationToken = default) =>
        MemoryJson.ReadRecord(await SendAsync(HttpMethod.Get, $"memories/{id}{Query(within)}", null, cancellationToken).ConfigureAwait(false));

    /// <inheritdoc />
    public async Task<MemoryPage> ListAsync(ListMemoryRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = Query(request.Scope, ("limit", request.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("cursor", request.Cursor), ("kind", request.Kind?.ToName()), ("include_expired", request.IncludeExpired ? "true" : null));
        var result = await SendAsync(HttpMethod.Get, "memories" + query, null, cancellationToken).ConfigureAwait(false);
        return new MemoryPage([.. result.GetProperty("results").EnumerateArray().Select(MemoryJson.ReadRecord)], JsonFields.Get(result, "next_cursor")?.GetString());
    }

    /// <inheritdoc />
    public async Task<MemoryRecord> UpdateAsync(UpdateMemoryRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return MemoryJson.ReadRecord(await SendAsync(HttpMethod.Put, $"memories/{request.Id}", w => MemoryJson.WriteUpdate(w, request), cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public async Task DeleteAsync(Guid id, MemoryScope? within = null, CancellationToken cancellationToken = default) =>
        await SendAsync(HttpMethod.Delete, $"memories/{id}{Query(within)}", null, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<int> DeleteAllAsync(MemoryScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var result = await SendAsync(HttpMethod.Delete, "memories" + Query(scope), null, cancellationToken).ConfigureAwait(false);
        return result.GetProperty("deleted").GetInt32();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MemoryVersion>> HistoryAsync(Guid id, MemoryScope? within = null, CancellationToken cancellationToken = default)
    {
        var result = await SendAsync(HttpMethod.Get, $"memories/{id}/history{Query(within)}", null, cancellationToken).ConfigureAwait(false);
        return [.. result.GetProperty("results").EnumerateArray().Select(MemoryJson.ReadVersion)];
    }

    /// <inheritdoc />
    public async Task<ConsolidationReport> ConsolidateAsync(MemoryScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var result = await SendAsync(HttpMethod.Post, "memories/consolidate", w =>
        {
            w.WriteStartObject();
            MemoryJson.WriteScope(w, scope);
            w.WriteEndObject();
        }, cancellationToken).ConfigureAwait(false);
        return MemoryJson.ReadReport(result);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private static string Query(MemoryScope? scope, params (string Name, string? Value)[] extra)
    {
        var parts = new List<string>();
        if (scope is not null)
        {
            var values = scope.Values;
            for (var i = 0; i < 4; i++)
            {
                if (values[i] is { } v)
                {
                    parts.Add($"{MemoryScope.Keys[i]}={Uri.EscapeDataString(v)}");
                }
            }
        }

        parts.AddRange(extra.Where(e => e.Value is not null).Select(e => $"{e.Name}={Uri.EscapeDataString(e.Value!)}"));
        return parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, Action<Utf8JsonWriter>? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(MemoryJson.ToJson(body), System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        JsonElement document;
        try
        {
            document = JsonElement.Parse(bytes);
        }
        catch (JsonException)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} from {method} /{path}: the body is not JSON.", null, response.StatusCode);
        }

        if (response.IsSuccessStatusCode)
        {
            return document.GetProperty("result");
        }

        var message = document.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object && status.TryGetProperty("error", out var error)
            ? error.GetString() ?? response.ReasonPhrase ?? string.Empty
            : response.ReasonPhrase ?? string.Empty;
        throw response.StatusCode switch
        {
            HttpStatusCode.BadRequest => new ValidationException(string.Empty, message),
            HttpStatusCode.NotFound => new NotFoundException(message),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new UnauthorizedAccessException(message),
            _ => new HttpRequestException($"{(int)response.StatusCode} from {method} /{path}: {message}", null, response.StatusCode),
        };
    }
}
