using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RoseForest.Federated.Coordination;
using RoseForest.Federated.Model;
using RoseForest.Federated.SecureAggregation;
using RoseForest.Federated.Wire;

namespace RoseForest.Federated.Client;

/// <summary>
/// The federated coordinator's HTTP protocol (docs/federated.md, "HTTP protocol") over an
/// <see cref="HttpClient"/> whose base address is the server. Tensors travel as JSON, or as
/// RFT1 frames when <c>binary</c> is asked for (large models).
/// </summary>
public sealed partial class FederatedHttpClient
{
    private readonly HttpClient _http;
    private readonly string? _apiKey;

    /// <summary>Creates the client; <paramref name="apiKey"/> is sent as the <c>api-key</c> header when given.</summary>
    public FederatedHttpClient(HttpClient http, string? apiKey = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _apiKey = apiKey;
    }

    /// <summary>
    /// POST /fl/tasks: creates a task from <paramref name="spec"/> (the creation request's members
    /// but <c>tensors</c>: rounds, strategy, privacy, …) and the initial model. Returns the task summary.
    /// </summary>
    public async Task<JsonElement> CreateTaskAsync(JsonObject spec, ModelParameters model, bool binary = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(model);
        void Members(Utf8JsonWriter w)
        {
            foreach (var (key, value) in spec)
            {
                w.WritePropertyName(key);
                if (value is null)
                {
                    w.WriteNullValue();
                }
                else
                {
                    value.WriteTo(w);
                }
            }
        }

        using var content = binary ? Frame(TensorWire.EncodeFrame(Members, model)) : Json(w =>
        {
            Members(w);
            TensorWire.WriteTensors(w, model);
        });
        return await SendAsync(HttpMethod.Post, "fl/tasks", content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GET /fl/tasks/{id}: the task's summary (status, round, current selection, ε, spec).</summary>
    public Task<JsonElement> GetTaskAsync(string taskId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"fl/tasks/{Escape(taskId)}", null, cancellationToken);

    /// <summary>GET /fl/tasks: every task's summary.</summary>
    public Task<JsonElement> ListTasksAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "fl/tasks", null, cancellationToken);

    /// <summary>GET /fl/tasks/{id}/history: the fit rounds and the evaluation rounds.</summary>
    public async Task<(IReadOnlyList<RoundRecord> Rounds, IReadOnlyList<EvaluationSummary> Evaluations)> GetHistoryAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var result = await SendAsync(HttpMethod.Get, $"fl/tasks/{Escape(taskId)}/history", null, cancellationToken).ConfigureAwait(false);
        var rounds = result.GetProperty("rounds").EnumerateArray().Select(r => new RoundRecord(
            r.GetProperty("round").GetInt32(),
            r.GetProperty("attempts").GetInt32(),
            [.. r.GetProperty("participants").EnumerateArray().Select(p => p.GetString()!)],
            r.GetProperty("loss").GetDouble(),
            r.GetProperty("accuracy").GetDouble(),
            r.GetProperty("sample_count").GetInt64(),
            r.GetProperty("epsilon").ValueKind == JsonValueKind.Null ? null : r.GetProperty("epsilon").GetDouble())).ToList();
        var evaluations = result.GetProperty("evaluations").EnumerateArray().Select(e => new EvaluationSummary(
            e.GetProperty("round").GetInt32(),
            [.. e.GetProperty("participants").EnumerateArray().Select(p => p.GetString()!)],
            e.GetProperty("loss").ValueKind == JsonValueKind.Null ? null : e.GetProperty("loss").GetDouble(),
            e.GetProperty("accuracy").ValueKind == JsonValueKind.Null ? null : e.GetProperty("accuracy").GetDouble(),
            e.GetProperty("sample_count").GetInt64())).ToList();
        return (rounds, evaluations);
    }

    /// <summary>GET /fl/tasks/{id}/model: the current global model.</summary>
    public async Task<ModelParameters> GetModelAsync(string taskId, bool binary = false, CancellationToken cancellationToken = default)
    {
        var (body, payload) = await SendForTensorsAsync($"fl/tasks/{Escape(taskId)}/model", binary, cancellationToken).ConfigureAwait(false);
        return TensorWire.ReadTensors(body.GetProperty("tensors"), "tensors", payload);
    }

    /// <summary>POST /fl/tasks/{id}/join: makes the client available for selection.</summary>
    public async Task<JsonElement> JoinAsync(string taskId, string clientId, CancellationToken cancellationToken = default)
    {
        using var content = Json(w => w.WriteString("client_id", clientId));
        return await SendAsync(HttpMethod.Post, $"fl/tasks/{Escape(taskId)}/join", content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GET /fl/tasks/{id}/round?client_id=: what the client should do now.</summary>
    public async Task<RoundInstruction> GetRoundAsync(string taskId, string clientId, bool binary = false, CancellationToken cancellationToken = default)
    {
        var (body, payload) = await SendForTensorsAsync($"fl/tasks/{Escape(taskId)}/round?client_id={Escape(clientId)}", binary, cancellationToken).ConfigureAwait(false);
        var config = new Dictionary<string, double>(StringComparer.Ordinal);
        if (body.TryGetProperty("config", out var c))
        {
            foreach (var p in c.EnumerateObject())
            {
                config[p.Name] = p.Value.GetDouble();
            }
        }

        SecureAggregationSettings? secure = null;
        if (body.TryGetProperty("secure_aggregation", out var s))
        {
            secure = new SecureAggregationSettings(s.GetProperty("threshold").GetInt32(), s.GetProperty("clip_range").GetSingle(), s.GetProperty("scale_bits").GetInt32(), s.GetProperty("max_samples").GetInt32());
        }

        return new RoundInstruction(
            body.GetProperty("action").GetString()!,
            body.GetProperty("round").GetInt32(),
            body.GetProperty("attempt").GetInt32(),
            body.TryGetProperty("deadline", out var d) ? d.GetDateTimeOffset() : null,
            config,
            body.TryGetProperty("tensors", out var t) ? TensorWire.ReadTensors(t, "tensors", payload) : null,
            secure,
            body.TryGetProperty("reason", out var r) ? r.GetString() : null);
    }

    /// <summary>POST /fl/tasks/{id}/updates: a plain update, as JSON or as a frame.</summary>
    public async Task<SubmitResult> SubmitUpdateAsync(string taskId, ClientUpdate update, bool binary = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        using var content = binary ? Frame(UpdateWire.ToFrame(update)) : Json(w => UpdateWire.WriteMembers(w, update));
        var result = await SendAsync(HttpMethod.Post, $"fl/tasks/{Escape(taskId)}/updates", content, cancellationToken).ConfigureAwait(false);
        return new SubmitResult(result.GetProperty("round_closed").GetBoolean(), result.GetProperty("hash").GetString()!);
    }

    /// <summary>POST /fl/tasks/{id}/evaluations: the client's evaluation of an evaluation round's model; returns whether it closed that round.</summary>
    public async Task<bool> SubmitEvaluationAsync(string taskId, string clientId, int round, EvaluateResult evaluation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        using var content = Json(w =>
        {
            w.WriteString("client_id", clientId);
            w.WriteNumber("round", round);
            w.WriteNumber("loss", evaluation.Loss);
            w.WriteNumber("accuracy", evaluation.Accuracy);
            w.WriteNumber("sample_count", evaluation.SampleCount);
        });
        var result = await SendAsync(HttpMethod.Post, $"fl/tasks/{Escape(taskId)}/evaluations", content, cancellationToken).ConfigureAwait(false);
        return result.GetProperty("round_closed").GetBoolean();
    }

    private static string Escape(string value) => Uri.EscapeDataString(value);

    private static ByteArrayContent Frame(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(TensorWire.FrameContentType);
        return content;
    }

    private static ByteArrayContent Json(Action<Utf8JsonWriter> members)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            members(w);
            w.WriteEndObject();
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content, bool acceptFrame = false)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (_apiKey is not null)
        {
            request.Headers.Add("api-key", _apiKey);
        }

        if (acceptFrame)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(TensorWire.FrameContentType));
        }

        return request;
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = Request(method, path, content);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return Result(response, bytes);
    }

    private async Task<(JsonElement Body, ReadOnlyMemory<byte>? Payload)> SendForTensorsAsync(string path, bool binary, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, path, null, binary);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType == TensorWire.FrameContentType)
        {
            var (header, payload) = TensorWire.DecodeFrame(bytes);
            return (header, payload);
        }

        return (Result(response, bytes), null);
    }

    private static JsonElement Result(HttpResponseMessage response, byte[] bytes)
    {
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            root = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new FederatedRequestException((int)response.StatusCode, "unreadable", Encoding.UTF8.GetString(bytes.AsSpan(0, Math.Min(bytes.Length, 500))));
        }

        if (response.IsSuccessStatusCode && root.TryGetProperty("result", out var result))
        {
            return result;
        }

        var status = root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;
        throw new FederatedRequestException(
            (int)response.StatusCode,
            status.ValueKind == JsonValueKind.Object && status.TryGetProperty("code", out var code) ? code.GetString() ?? "error" : "error",
            status.ValueKind == JsonValueKind.Object && status.TryGetProperty("error", out var error) ? error.GetString() ?? string.Empty : response.ReasonPhrase ?? string.Empty);
    }
}

/// <summary>A finished evaluation round as the history reports it.</summary>
public sealed record EvaluationSummary(int Round, IReadOnlyList<string> Participants, double? Loss, double? Accuracy, long Samples);
