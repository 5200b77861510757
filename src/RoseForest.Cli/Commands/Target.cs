using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Engine;
using RoseForest.Server.Endpoints;

namespace RoseForest.Cli.Commands;

/// <summary>What a CLI verb acts on: an embedded database folder, or a running server over HTTP.</summary>
internal interface ITarget : IAsyncDisposable
{
    Task<IReadOnlyList<string>> ListAsync(CancellationToken ct);

    Task CreateAsync(string name, JsonElement qdrantConfig, CancellationToken ct);

    Task<bool> DeleteAsync(string name, CancellationToken ct);

    Task<JsonElement> InfoAsync(string name, CancellationToken ct);

    Task<bool> ExistsAsync(string name, CancellationToken ct);

    Task UpsertAsync(string name, IReadOnlyList<PointStruct> points, CancellationToken ct);

    Task<JsonElement> SearchAsync(string name, float[] vector, int limit, JsonElement? filter, bool withPayload, CancellationToken ct);

    Task<JsonElement> CreateSnapshotAsync(string name, CancellationToken ct);

    Task<JsonElement> ListSnapshotsAsync(string name, CancellationToken ct);

    Task RestoreSnapshotAsync(string name, string location, CancellationToken ct);

    /// <summary>Reopens a faulted collection from its folder (nothing deleted); returns what recovery found.</summary>
    Task<JsonElement> RecoverAsync(string name, bool salvage, CancellationToken ct);

    public static async Task<ITarget> OpenAsync(string? url, string? apiKey, string data, CancellationToken ct) =>
        url is not null ? new HttpTarget(url, apiKey) : new EmbeddedTarget(await RoseForestDatabase.OpenAsync(data, cancellationToken: ct));
}

/// <summary>The embedded database in a folder (which no server may have open at the same time).</summary>
internal sealed class EmbeddedTarget(RoseForestDatabase db) : ITarget
{
    public Task<IReadOnlyList<string>> ListAsync(CancellationToken ct) => Task.FromResult(db.ListCollections());

    public async Task CreateAsync(string name, JsonElement qdrantConfig, CancellationToken ct) =>
        await db.CreateCollectionAsync(name, CollectionEndpoints.ParseCreate(qdrantConfig), ct);

    public Task<bool> DeleteAsync(string name, CancellationToken ct) => db.DeleteCollectionAsync(name, ct);

    public Task<bool> ExistsAsync(string name, CancellationToken ct) => Task.FromResult(db.TryGetCollection(name, out _));

    public Task<JsonElement> InfoAsync(string name, CancellationToken ct)
    {
        var c = db.GetCollection(name);
        var info = c.GetInfo();
        return Task.FromResult(JsonSerializer.SerializeToElement(new
        {
            name = info.Name,
            points_count = info.PointsCount,
            indexed_vectors_count = c.IndexedPoints,
            dimension = info.Dimension,
            geometry = GeometryInfo.Name(info.Geometry),
            curvature = info.Curvature,
            durability = info.Durability.ToString().ToLowerInvariant(),
            hnsw = c.Options.Hnsw is { } h ? new { m = h.M, ef_construct = h.EfConstruct } : null,
            quantization = c.Options.Quantization is not null ? "int8" : null,
            last_lsn = info.LastLsn,
            bytes_on_disk = info.BytesOnDisk,
            bytes_in_memory = info.BytesInMemory,
        }));
    }

    public async Task UpsertAsync(string name, IReadOnlyList<PointStruct> points, CancellationToken ct) =>
        await db.GetCollection(name).UpsertAsync(points, cancellationToken: ct);

    public async Task<JsonElement> SearchAsync(string name, float[] vector, int limit, JsonElement? filter, bool withPayload, CancellationToken ct)
    {
        var hits = await db.GetCollection(name).SearchAsync(new SearchRequest
        {
            Vector = vector,
            Limit = limit,
            Filter = filter is { } f ? Filter.FromJson(f) : null,
            WithPayload = withPayload,
        }, ct);
        return JsonSerializer.SerializeToElement(hits.Select(h => new { id = h.Id.ToString(), score = h.Score, payload = h.Payload }));
    }

    public async Task<JsonElement> CreateSnapshotAsync(string name, CancellationToken ct)
    {
        var s = await db.GetCollection(name).CreateSnapshotAsync(ct);
        return JsonSerializer.SerializeToElement(new { name = s.Name, path = s.Path, lsn = s.Lsn, size = s.Bytes });
    }

    public Task<JsonElement> ListSnapshotsAsync(string name, CancellationToken ct)
    {
        db.GetCollection(name);
        var folder = Path.Combine(db.DataPath!, "collections", name, "checkpoints");
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.snapshot").Order(StringComparer.Ordinal) : Enumerable.Empty<string>();
        return Task.FromResult(JsonSerializer.SerializeToElement(files.Select(f => new { name = Path.GetFileName(f), path = f, size = new FileInfo(f).Length })));
    }

    public async Task RestoreSnapshotAsync(string name, string location, CancellationToken ct) =>
        await db.RestoreCollectionAsync(name, location, ct);

    public async Task<JsonElement> RecoverAsync(string name, bool salvage, CancellationToken ct)
    {
        var c = await db.RecoverCollectionAsync(name, salvage, ct);
        return JsonSerializer.SerializeToElement(new
        {
            status = "green",
            points_count = c.GetInfo().PointsCount,
            records_replayed = c.Recovery?.Wal.RecordsReplayed ?? 0,
            records_quarantined = c.Recovery?.Quarantined.Count ?? 0,
        });
    }

    public ValueTask DisposeAsync() => db.DisposeAsync();
}

/// <summary>A running server, through its REST API.</summary>
internal sealed class HttpTarget : ITarget
{
    private readonly HttpClient _http;

    public HttpTarget(string url, string? apiKey)
    {
        _http = new HttpClient { BaseAddress = new Uri(url.EndsWith('/') ? url : url + "/"), Timeout = TimeSpan.FromMinutes(10) };
        if (apiKey is not null)
        {
            _http.DefaultRequestHeaders.Add("api-key", apiKey);
        }
    }

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken ct) =>
        [.. (await SendAsync(HttpMethod.Get, "collections", null, ct)).GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    public async Task CreateAsync(string name, JsonElement qdrantConfig, CancellationToken ct) =>
        await SendAsync(HttpMethod.Put, $"collections/{name}", qdrantConfig, ct);

    public async Task<bool> DeleteAsync(string name, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Delete, $"collections/{name}", null, ct)).GetBoolean();

    public async Task<bool> ExistsAsync(string name, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Get, $"collections/{name}/exists", null, ct)).GetProperty("exists").GetBoolean();

    public Task<JsonElement> InfoAsync(string name, CancellationToken ct) => SendAsync(HttpMethod.Get, $"collections/{name}", null, ct);

    public async Task UpsertAsync(string name, IReadOnlyList<PointStruct> points, CancellationToken ct)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteStartArray("points");
            foreach (var p in points)
            {
                w.WriteStartObject();
                w.WritePropertyName("id");
                p.Id.WriteTo(w);
                w.WriteStartArray("vector");
                foreach (var x in p.Vector)
                {
                    w.WriteNumberValue(x);
                }

                w.WriteEndArray();
                if (p.Payload is { } payload)
                {
                    w.WritePropertyName("payload");
                    payload.WriteTo(w);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        await SendAsync(HttpMethod.Put, $"collections/{name}/points?wait=true", JsonElement.Parse(stream.ToArray()), ct);
    }

    public async Task<JsonElement> SearchAsync(string name, float[] vector, int limit, JsonElement? filter, bool withPayload, CancellationToken ct)
    {
        var body = JsonSerializer.SerializeToElement(new { query = vector, limit, filter, with_payload = withPayload });
        return (await SendAsync(HttpMethod.Post, $"collections/{name}/points/query", body, ct)).GetProperty("points");
    }

    public Task<JsonElement> CreateSnapshotAsync(string name, CancellationToken ct) => SendAsync(HttpMethod.Post, $"collections/{name}/snapshots", JsonElement.Parse("{}"), ct);

    public Task<JsonElement> ListSnapshotsAsync(string name, CancellationToken ct) => SendAsync(HttpMethod.Get, $"collections/{name}/snapshots", null, ct);

    public async Task RestoreSnapshotAsync(string name, string location, CancellationToken ct) =>
        await SendAsync(HttpMethod.Put, $"collections/{name}/snapshots/recover", JsonSerializer.SerializeToElement(new { location }), ct);

    public Task<JsonElement> RecoverAsync(string name, bool salvage, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"collections/{name}/recover?salvage={(salvage ? "true" : "false")}", null, ct);

    /// <summary>Sends a request and returns "result"; a server error becomes one clear exception.</summary>
    private async Task<JsonElement> SendAsync(HttpMethod method, string path, JsonElement? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is { } b)
        {
            request.Content = new StringContent(b.GetRawText(), Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        JsonElement json;
        try
        {
            json = JsonElement.Parse(text);
        }
        catch (JsonException)
        {
            throw new CliException($"the server answered {(int)response.StatusCode} with a body that is not JSON: {text[..Math.Min(200, text.Length)]}");
        }

        if (!response.IsSuccessStatusCode)
        {
            var message = json.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Object && s.TryGetProperty("error", out var e) ? e.GetString() : text;
            throw new CliException($"the server answered {(int)response.StatusCode}: {message}");
        }

        return json.GetProperty("result");
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A failure the CLI reports as one line.</summary>
internal sealed class CliException(string message) : Exception(message);
