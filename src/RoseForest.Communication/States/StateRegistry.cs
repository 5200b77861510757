using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace RoseForest.Communication.States;

/// <summary>A model's registered state: its JSON Schema, current state and version, and its subscribers.</summary>
public sealed record ModelState(string Model, string Namespace, JsonObject Schema, JsonNode? State, long Version, DateTimeOffset? UpdatedAt, IReadOnlyList<string> Subscribers);

/// <summary>
/// The state registry: one point per model in <c>_hvs_states</c> (id from the model id), the state's
/// text (its string values, in document order) embedded as the named vector <c>state</c> so similar
/// states can be found; states are validated against the model's JSON Schema (JsonSchema.Net).
/// </summary>
internal sealed class StateRegistry(IVectorDatabase database, CommunicationOptions options)
{
    public const string CollectionName = "_hvs_states";
    public const string VectorName = "state";
    private readonly ConcurrentDictionary<string, ModelState> _states = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _write = new(1, 1);
    private LazyCollection? _collection;

    public async Task OpenAsync(Func<Task<int>> dimension, CancellationToken ct)
    {
        _collection = new LazyCollection(database, CollectionName, async () => new CollectionOptions
        {
            NamedVectors = new Dictionary<string, VectorParams> { [VectorName] = new() { Size = await dimension().ConfigureAwait(false), Distance = Geometry.Cosine } },
            Durability = options.Durability,
        });
        await foreach (var r in _collection.ScrollIfExistsAsync(ct).ConfigureAwait(false))
        {
            if (r.Payload is { } p)
            {
                var state = Read(p);
                _states[state.Model] = state;
            }
        }
    }

    public ModelState? Get(string model) => _states.GetValueOrDefault(model);

    public static JsonSchema ParseSchema(JsonObject schema)
    {
        try
        {
            return JsonSchema.FromText(schema.ToJsonString());
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or RefResolutionException)
        {
            throw new ValidationException("schema", $"not a usable JSON Schema: {e.Message}");
        }
    }

    public async Task<ModelState> RegisterAsync(string model, string ns, JsonObject schema, CancellationToken ct)
    {
        _ = ParseSchema(schema);
        await _write.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var current = Get(model);
            var state = new ModelState(model, ns, schema, current?.State, current?.Version ?? 0, current?.UpdatedAt, current?.Subscribers ?? []);
            if (state.State is { } s)
            {
                Validate(schema, s);
            }

            await PutAsync(state, null, ct).ConfigureAwait(false);
            return state;
        }
        finally
        {
            _write.Release();
        }
    }

    public async Task<ModelState> UpdateAsync(string model, JsonNode? newState, Func<string, Task<float[]>> embed, CancellationToken ct)
    {
        await _write.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var current = Get(model) ?? throw new NotFoundException($"model '{model}' has no registered state schema; register one first.");
            Validate(current.Schema, newState);
            var text = TextOf(newState);
            var vector = text.Length > 0 ? await embed(text).ConfigureAwait(false) : null;
            var updated = current with { State = newState?.DeepClone(), Version = current.Version + 1, UpdatedAt = options.TimeProvider.GetUtcNow() };
            await PutAsync(updated, vector, ct).ConfigureAwait(false);
            return updated;
        }
        finally
        {
            _write.Release();
        }
    }

    public async Task<ModelState> SubscribeAsync(string model, string subscriber, bool subscribe, CancellationToken ct)
    {
        await _write.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var current = Get(model) ?? throw new NotFoundException($"model '{model}' has no registered state.");
            var subscribers = current.Subscribers.Where(s => s != subscriber).ToList();
            if (subscribe)
            {
                subscribers.Add(subscriber);
                subscribers.Sort(StringComparer.Ordinal);
            }

            var updated = current with { Subscribers = subscribers };
            await PutAsync(updated, null, ct, keepVector: true).ConfigureAwait(false);
            return updated;
        }
        finally
        {
            _write.Release();
        }
    }

    public async Task<IReadOnlyList<(ModelState State, double Score)>> SimilarAsync(float[] vector, int k, Func<ModelState, bool> visible, CancellationToken ct)
    {
        var hits = await (await _collection!.GetAsync(ct).ConfigureAwait(false)).SearchAsync(new SearchRequest { Vector = vector, Using = VectorName, Limit = Math.Min(1000, k * 4), Exact = true }, ct).ConfigureAwait(false);
        var result = new List<(ModelState, double)>();
        foreach (var hit in hits)
        {
            var model = _states.Values.FirstOrDefault(s => PointId.FromUuid(StableIds.For("state", s.Model)) == hit.Id);
            if (model is not null && visible(model))
            {
                result.Add((model, hit.Score));
                if (result.Count == k)
                {
                    break;
                }
            }
        }

        return result;
    }

    /// <summary>The state's text: its string values in document order, joined by newlines.</summary>
    public static string TextOf(JsonNode? node)
    {
        var builder = new StringBuilder();
        void Walk(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    foreach (var (_, v) in o)
                    {
                        Walk(v);
                    }

                    break;
                case JsonArray a:
                    foreach (var v in a)
                    {
                        Walk(v);
                    }

                    break;
                case JsonValue v when v.TryGetValue<string>(out var s) && s.Length > 0:
                    builder.Append(builder.Length > 0 ? "\n" : string.Empty).Append(s);
                    break;
            }
        }

        Walk(node);
        return builder.ToString();
    }

    private static void Validate(JsonObject schema, JsonNode? state)
    {
        var result = ParseSchema(schema).Evaluate(state, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            var first = result.Details.FirstOrDefault(d => d.HasErrors);
            var where = first?.InstanceLocation.ToString() is { Length: > 0 } loc ? loc : "/";
            var why = first?.Errors is { Count: > 0 } errors ? string.Join("; ", errors.Values) : "does not match the schema";
            throw new ValidationException("state" + (where == "/" ? string.Empty : where.Replace('/', '.')), why);
        }
    }

    private async Task PutAsync(ModelState state, float[]? vector, CancellationToken ct, bool keepVector = false)
    {
        var id = PointId.FromUuid(StableIds.For("state", state.Model));
        var payload = new JsonObject
        {
            ["model"] = state.Model,
            ["ns"] = state.Namespace,
            ["schema"] = state.Schema.DeepClone(),
            ["state"] = state.State?.DeepClone(),
            ["version"] = state.Version,
            ["updated_at"] = state.UpdatedAt?.ToString("O"),
            ["subscribers"] = new JsonArray([.. state.Subscribers.Select(s => (JsonNode)s)]),
        };
        if (keepVector)
        {
            await (await _collection!.GetAsync(ct).ConfigureAwait(false)).OverwritePayloadAsync(PointSelector.ById(id), Store.ToElement(payload), ct).ConfigureAwait(false);
        }
        else
        {
            var vectors = vector is null ? new Dictionary<string, VectorData>() : new Dictionary<string, VectorData> { [VectorName] = new DenseVector(vector) };
            await (await _collection!.GetAsync(ct).ConfigureAwait(false)).UpsertAsync([new PointStruct(id, null, Store.ToElement(payload)) { Vectors = vectors }], cancellationToken: ct).ConfigureAwait(false);
        }

        _states[state.Model] = state;
    }

    private static ModelState Read(JsonElement p) => new(
        p.GetProperty("model").GetString()!, p.GetProperty("ns").GetString()!, (JsonObject)JsonNode.Parse(p.GetProperty("schema").GetRawText())!,
        JsonNode.Parse(p.GetProperty("state").GetRawText()), p.GetProperty("version").GetInt64(),
        p.GetProperty("updated_at").ValueKind == JsonValueKind.String ? DateTimeOffset.Parse(p.GetProperty("updated_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture) : null,
        [.. p.GetProperty("subscribers").EnumerateArray().Select(s => s.GetString()!)]);
}
