using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using RoseForest.Communication.Limits;
using RoseForest.Hyperbolic.Manifolds;

namespace RoseForest.Communication.Spaces;

/// <summary>A shared space's definition and members.</summary>
public sealed record SpaceRecord(string Namespace, string Name, Geometry Geometry, int Dimension, double Curvature, bool TrustWeighted, ImmutableSortedDictionary<string, SpaceMember> Members)
{
    /// <summary>The collection holding its contributions.</summary>
    public string Collection => SpaceService.CollectionFor(Namespace, Name);
}

/// <summary>A member of a space: its declared capabilities and its trust weight (1 unless set).</summary>
public sealed record SpaceMember(IReadOnlyList<string> Capabilities, double Trust);

/// <summary>A contribution: who made it, under which key, its version, vector and value.</summary>
public sealed record Contribution(string Key, string Model, long Version, DateTimeOffset At, float[] Vector, JsonElement? Value, double? Score = null);

/// <summary>The consensus of a space: the weighted Fréchet mean, the contributions it used and their dispersion.</summary>
/// <param name="Mean">The weighted Fréchet mean in the space's geometry.</param>
/// <param name="Dispersion">The weighted Fréchet variance Σ wᵢ d(mean, xᵢ)² / Σ wᵢ.</param>
/// <param name="Contributions">How many contributions were averaged.</param>
/// <param name="Contributors">How many distinct models they came from.</param>
/// <param name="Converged">Whether the mean's iteration converged.</param>
/// <param name="Weights">The weight each contributor's contributions received in total.</param>
public sealed record ConsensusResult(double[] Mean, double Dispersion, int Contributions, int Contributors, bool Converged, IReadOnlyDictionary<string, double> Weights);

/// <summary>
/// Shared vector spaces: one collection per space (<c>_hvs_space__&lt;namespace&gt;__&lt;space&gt;</c>) in
/// the space's geometry, one point per (model, key) contribution; definitions and members in
/// <c>_hvs_spaces</c>.
/// </summary>
internal sealed class SpaceService(IVectorDatabase database, CommunicationOptions options, StorageLedger ledger)
{
    public const string DefinitionsCollection = "_hvs_spaces";
    private readonly ConcurrentDictionary<(string, string), SpaceRecord> _spaces = new();
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly LazyCollection _definitions = new(database, DefinitionsCollection);

    public static string CollectionFor(string ns, string space) => $"_hvs_space__{ns}__{space}";

    public IEnumerable<SpaceRecord> All => _spaces.Values;

    public async Task OpenAsync(CancellationToken ct)
    {
        await foreach (var record in _definitions.ScrollIfExistsAsync(ct).ConfigureAwait(false))
        {
            if (record.Payload is { } p)
            {
                var space = Read(p);
                _spaces[(space.Namespace, space.Name)] = space;
                var collection = database.GetCollection(space.Collection);
                await foreach (var c in Store.ScrollAllAsync(collection, ct).ConfigureAwait(false))
                {
                    if (c.Payload is { } cp)
                    {
                        ledger.Add(cp.GetProperty("model").GetString()!, cp.GetProperty("bytes").GetInt64());
                    }
                }
            }
        }
    }

    public SpaceRecord Get(string ns, string name) => _spaces.TryGetValue((ns, name), out var s) ? s : throw new NotFoundException($"space '{name}' does not exist in namespace '{ns}'.");

    public async Task<SpaceRecord> CreateAsync(string ns, string name, Geometry geometry, int dimension, double curvature, bool trustWeighted, CancellationToken ct)
    {
        await _write.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_spaces.ContainsKey((ns, name)))
            {
                throw new ConflictException($"space '{name}' exists already in namespace '{ns}'.");
            }

            var space = new SpaceRecord(ns, name, geometry, dimension, curvature, trustWeighted, ImmutableSortedDictionary<string, SpaceMember>.Empty.WithComparers(StringComparer.Ordinal));
            var collectionOptions = new CollectionOptions { Dimension = dimension, Geometry = geometry, Curvature = curvature, Durability = options.Durability };
            collectionOptions.Validate();
            await Store.OpenAsync(database, space.Collection, ct, collectionOptions).ConfigureAwait(false);
            await PutAsync(space, ct).ConfigureAwait(false);
            return space;
        }
        finally
        {
            _write.Release();
        }
    }

    public async Task<SpaceRecord> ChangeAsync(string ns, string name, Func<SpaceRecord, SpaceRecord> change, CancellationToken ct)
    {
        await _write.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var changed = change(Get(ns, name));
            await PutAsync(changed, ct).ConfigureAwait(false);
            return changed;
        }
        finally
        {
            _write.Release();
        }
    }

    public async Task<Contribution> ContributeAsync(SpaceRecord space, string model, string key, float[] vector, JsonElement? value, CancellationToken ct)
    {
        var collection = database.GetCollection(space.Collection);
        var id = PointId.FromUuid(StableIds.For("contribution", space.Namespace, space.Name, model, key));
        var previous = await collection.GetAsync([id], PayloadSelector.All, VectorSelector.None, ct).ConfigureAwait(false);
        long version = 1;
        long oldBytes = 0;
        JsonArray history = [];
        if (previous.Count == 1 && previous[0].Payload is { } old)
        {
            version = old.GetProperty("version").GetInt64() + 1;
            oldBytes = old.GetProperty("bytes").GetInt64();
            history = (JsonArray)JsonNode.Parse(old.GetProperty("history").GetRawText())!;
            history.Add(new JsonObject { ["version"] = version - 1, ["at"] = old.GetProperty("at").GetString(), ["value"] = JsonNode.Parse(old.GetProperty("value").GetRawText()) });
            while (history.Count > 16)
            {
                history.RemoveAt(0);
            }
        }

        var at = options.TimeProvider.GetUtcNow();
        var valueText = value?.GetRawText() ?? "null";
        long bytes = (vector.Length * sizeof(float)) + valueText.Length;
        ledger.Reserve(model, bytes - oldBytes);
        try
        {
            var payload = new JsonObject
            {
                ["key"] = key,
                ["model"] = model,
                ["version"] = version,
                ["at"] = at.ToString("O"),
                ["value"] = JsonNode.Parse(valueText),
                ["bytes"] = bytes,
                ["history"] = history,
            };
            await collection.UpsertAsync([new PointStruct(id, vector, Store.ToElement(payload))], cancellationToken: ct).ConfigureAwait(false);
        }
        catch
        {
            ledger.Add(model, oldBytes - bytes);
            throw;
        }

        return new Contribution(key, model, version, at, vector, value);
    }

    public async Task<IReadOnlyList<Contribution>> QueryAsync(SpaceRecord space, float[] vector, int k, CancellationToken ct)
    {
        var hits = await database.GetCollection(space.Collection).SearchAsync(new SearchRequest { Vector = vector, Limit = k, WithPayload = PayloadSelector.All, WithVector = VectorSelector.All, Exact = true }, ct).ConfigureAwait(false);
        return [.. hits.Select(h => ToContribution(h.Payload!.Value, h.Vector!, h.Score))];
    }

    public async Task<ConsensusResult> ConsensusAsync(SpaceRecord space, float[]? near, int k, CancellationToken ct)
    {
        List<Contribution> used = [];
        if (near is not null)
        {
            used.AddRange(await QueryAsync(space, near, k, ct).ConfigureAwait(false));
        }
        else
        {
            await foreach (var r in Store.ScrollAllAsync(database.GetCollection(space.Collection), ct, withVectors: true).ConfigureAwait(false))
            {
                used.Add(ToContribution(r.Payload!.Value, r.Vector!, null));
            }
        }

        if (used.Count == 0)
        {
            throw new NotFoundException($"space '{space.Name}' has no contributions{(near is null ? "" : " near the query")}.");
        }

        // Each contributor's total weight is its trust (or 1), split evenly over its contributions,
        // so a model cannot outweigh the others by contributing more.
        var perModel = used.GroupBy(c => c.Model).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var totals = perModel.ToDictionary(p => p.Key, p => space.TrustWeighted && space.Members.TryGetValue(p.Key, out var m) ? m.Trust : 1.0, StringComparer.Ordinal);
        var weights = used.Select(c => totals[c.Model] / perModel[c.Model]).ToArray();
        var manifold = Manifold(space);
        var points = used.Select(c => c.Vector.Select(v => (double)v).ToArray()).ToList();
        var mean = FrechetMean.Compute(manifold, points, weights);
        double spread = 0, total = 0;
        for (var i = 0; i < points.Count; i++)
        {
            var d = manifold.Distance(mean.Mean, points[i]);
            spread += weights[i] * d * d;
            total += weights[i];
        }

        return new ConsensusResult(mean.Mean, spread / total, used.Count, perModel.Count, mean.Converged, totals);
    }

    public static IManifold Manifold(SpaceRecord space) => space.Geometry switch
    {
        Geometry.Poincare => new PoincareBall(space.Curvature),
        Geometry.Lorentz => new LorentzModel(space.Curvature),
        _ => new EuclideanSpace(),
    };

    private static Contribution ToContribution(JsonElement p, float[] vector, double? score) =>
        new(p.GetProperty("key").GetString()!, p.GetProperty("model").GetString()!, p.GetProperty("version").GetInt64(),
            DateTimeOffset.Parse(p.GetProperty("at").GetString()!, System.Globalization.CultureInfo.InvariantCulture), vector,
            p.GetProperty("value").ValueKind == JsonValueKind.Null ? null : p.GetProperty("value").Clone(), score);

    private async Task PutAsync(SpaceRecord space, CancellationToken ct)
    {
        var payload = new JsonObject
        {
            ["ns"] = space.Namespace,
            ["name"] = space.Name,
            ["geometry"] = GeometryInfo.Name(space.Geometry),
            ["dimension"] = space.Dimension,
            ["curvature"] = space.Curvature,
            ["weighting"] = space.TrustWeighted ? "trust" : "equal",
            ["members"] = new JsonObject([.. space.Members.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)new JsonObject
            {
                ["capabilities"] = new JsonArray([.. m.Value.Capabilities.Select(c => (JsonNode)c)]),
                ["trust"] = m.Value.Trust,
            }))]),
        };
        await Store.PutAsync(await _definitions.GetAsync(ct).ConfigureAwait(false), StableIds.For("space", space.Namespace, space.Name), payload, ct).ConfigureAwait(false);
        _spaces[(space.Namespace, space.Name)] = space;
    }

    private static SpaceRecord Read(JsonElement p) => new(
        p.GetProperty("ns").GetString()!, p.GetProperty("name").GetString()!, GeometryInfo.Parse(p.GetProperty("geometry").GetString()),
        p.GetProperty("dimension").GetInt32(), p.GetProperty("curvature").GetDouble(), p.GetProperty("weighting").GetString() == "trust",
        p.GetProperty("members").EnumerateObject().ToImmutableSortedDictionary(m => m.Name, m => new SpaceMember(
            [.. m.Value.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()!)], m.Value.GetProperty("trust").GetDouble()), StringComparer.Ordinal));
}
