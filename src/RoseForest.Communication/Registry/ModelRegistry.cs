using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RoseForest.Communication.Access;
using RoseForest.Communication.Contracts;

namespace RoseForest.Communication.Registry;

/// <summary>
/// Models, their keys and namespaces, kept in the collection <c>_hvs_registry</c> (one point per
/// model and per namespace, ids from <see cref="StableIds"/>, the record in the payload), so they
/// are as durable as any write to the engine. Reads see immutable snapshots; writes are serialized
/// and become visible only after the engine acknowledged them.
/// </summary>
internal sealed class ModelRegistry(IVectorDatabase database, TimeProvider time)
{
    public const string CollectionName = "_hvs_registry";

    private readonly SemaphoreSlim _write = new(1, 1);
    private ImmutableDictionary<string, ModelRecord> _models = ImmutableDictionary<string, ModelRecord>.Empty.WithComparers(StringComparer.Ordinal);
    private ImmutableDictionary<string, NamespaceRecord> _namespaces = ImmutableDictionary<string, NamespaceRecord>.Empty.WithComparers(StringComparer.Ordinal);
    private ImmutableDictionary<string, string> _keys = ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
    private readonly LazyCollection _collection = new(database, CollectionName);

    public IReadOnlyDictionary<string, ModelRecord> Models => _models;

    public IReadOnlyDictionary<string, NamespaceRecord> Namespaces => _namespaces;

    public async Task OpenAsync(CancellationToken ct)
    {
        await foreach (var record in _collection.ScrollIfExistsAsync(ct).ConfigureAwait(false))
        {
            if (record.Payload is not { } payload)
            {
                continue;
            }

            var kind = payload.GetProperty("kind").GetString();
            if (kind == "model")
            {
                var model = ReadModel(payload);
                _models = _models.SetItem(model.Id, model);
                _keys = _keys.SetItem(model.KeyHash, model.Id);
            }
            else if (kind == "namespace")
            {
                var ns = ReadNamespace(payload);
                _namespaces = _namespaces.SetItem(ns.Name, ns);
            }
        }
    }

    /// <summary>The model a presented key belongs to, or null. Keys are compared through their SHA-256.</summary>
    public string? Identify(string presentedKey) => _keys.TryGetValue(HashKey(presentedKey), out var id) ? id : null;

    public async Task<(ModelRecord Model, string ApiKey)> RegisterAsync(ModelContract contract, CancellationToken ct)
    {
        await _write.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_models.ContainsKey(contract.ModelId))
            {
                throw new ConflictException($"model '{contract.ModelId}' is registered already; update its contract with PUT /models/{contract.ModelId}/contract.");
            }

            var key = NewKey();
            var now = time.GetUtcNow();
            var model = new ModelRecord(contract.ModelId, contract, 1, HashKey(key), now, [new ContractVersion(1, now, contract.Document)]);
            if (!_namespaces.ContainsKey(contract.Namespace))
            {
                // A model's home namespace is created with it, owned by it.
                await PutNamespaceAsync(NewNamespace(contract.Namespace, contract.ModelId, Visibility.Private, IsolationPolicy.Shared), ct).ConfigureAwait(false);
            }

            await PutModelAsync(model, ct).ConfigureAwait(false);
            return (model, key);
        }
        finally
        {
            _write.Release();
        }
    }

    public async Task<ModelRecord> UpdateContractAsync(string id, ModelContract contract, bool mayMove, CancellationToken ct)
    {
        await _write.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var current = _models.TryGetValue(id, out var m) ? m : throw new NotFoundException($"model '{id}' is not registered.");
            if (contract.ModelId != id)
            {
                throw new ValidationException("model.id", $"must stay '{id}'.");
            }

            if (contract.Namespace != current.Contract.Namespace && !mayMove)
            {
                throw new AccessDeniedException("only the administrator may move a model to another namespace.");
            }

            if (!_namespaces.ContainsKey(contract.Namespace))
            {
                await PutNamespaceAsync(NewNamespace(contract.Namespace, id, Visibility.Private, IsolationPolicy.Shared), ct).ConfigureAwait(false);
            }

            var version = current.Version + 1;
            var updated = current with { Contract = contract, Version = version, History = current.History.Add(new ContractVersion(version, time.GetUtcNow(), contract.Document)) };
            await PutModelAsync(updated, ct).ConfigureAwait(false);
            return updated;
        }
        finally
        {
            _write.Release();
        }
    }

    public async Task<string> RotateKeyAsync(string id, CancellationToken ct)
    {
        await _write.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var current = _models.TryGetValue(id, out var m) ? m : throw new NotFoundException($"model '{id}' is not registered.");
            var key = NewKey();
            await PutModelAsync(current with { KeyHash = HashKey(key) }, ct).ConfigureAwait(false);
            _keys = _keys.Remove(current.KeyHash);
            return key;
        }
        finally
        {
            _write.Release();
        }
    }

    public async Task<bool> RemoveModelAsync(string id, CancellationToken ct)
    {
        await _write.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (!_models.TryGetValue(id, out var current))
            {
                return false;
            }

            await (await _collection.GetAsync(ct).ConfigureAwait(false)).DeleteAsync(PointSelector.ById(PointId.FromUuid(StableIds.For("model", id))), ct).ConfigureAwait(false);
            _models = _models.Remove(id);
            _keys = _keys.Remove(current.KeyHash);
            return true;
        }
        finally
        {
            _write.Release();
        }
    }

    public async Task<NamespaceRecord> CreateNamespaceAsync(string name, string? owner, Visibility visibility, IsolationPolicy policy, CancellationToken ct)
    {
        await _write.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_namespaces.ContainsKey(name))
            {
                throw new ConflictException($"namespace '{name}' exists already.");
            }

            var ns = NewNamespace(name, owner, visibility, policy);
            await PutNamespaceAsync(ns, ct).ConfigureAwait(false);
            return ns;
        }
        finally
        {
            _write.Release();
        }
    }

    public async Task<NamespaceRecord> ChangeNamespaceAsync(string name, Func<NamespaceRecord, NamespaceRecord> change, CancellationToken ct)
    {
        await _write.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var current = _namespaces.TryGetValue(name, out var n) ? n : throw new NotFoundException($"namespace '{name}' does not exist.");
            var changed = change(current);
            await PutNamespaceAsync(changed, ct).ConfigureAwait(false);
            return changed;
        }
        finally
        {
            _write.Release();
        }
    }

    internal static string HashKey(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string NewKey() => "hvs_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static NamespaceRecord NewNamespace(string name, string? owner, Visibility visibility, IsolationPolicy policy) =>
        new(name, owner, visibility, policy, ImmutableSortedDictionary<string, IsolationPolicy>.Empty.WithComparers(StringComparer.Ordinal), ImmutableSortedDictionary<string, Rights>.Empty.WithComparers(StringComparer.Ordinal));

    private async Task PutModelAsync(ModelRecord model, CancellationToken ct)
    {
        var payload = new JsonObject
        {
            ["kind"] = "model",
            ["id"] = model.Id,
            ["version"] = model.Version,
            ["key_hash"] = model.KeyHash,
            ["registered_at"] = model.RegisteredAt.ToString("O"),
            ["history"] = new JsonArray([.. model.History.Select(h => (JsonNode)new JsonObject { ["version"] = h.Version, ["at"] = h.At.ToString("O"), ["contract"] = h.Contract.DeepClone() })]),
        };
        await Store.PutAsync(await _collection.GetAsync(ct).ConfigureAwait(false), StableIds.For("model", model.Id), payload, ct).ConfigureAwait(false);
        _models = _models.SetItem(model.Id, model);
        _keys = _keys.SetItem(model.KeyHash, model.Id);
    }

    private async Task PutNamespaceAsync(NamespaceRecord ns, CancellationToken ct)
    {
        var payload = new JsonObject
        {
            ["kind"] = "namespace",
            ["name"] = ns.Name,
            ["owner"] = ns.Owner,
            ["visibility"] = AccessNames.Name(ns.Visibility),
            ["policy"] = AccessNames.Name(ns.Policy),
            ["peer_policies"] = new JsonObject([.. ns.PeerPolicies.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)AccessNames.Name(p.Value)))]),
            ["grants"] = new JsonObject([.. ns.Grants.Select(g => KeyValuePair.Create(g.Key, (JsonNode?)new JsonArray([.. AccessNames.Names(g.Value).Select(n => (JsonNode)n)])))]),
        };
        await Store.PutAsync(await _collection.GetAsync(ct).ConfigureAwait(false), StableIds.For("namespace", ns.Name), payload, ct).ConfigureAwait(false);
        _namespaces = _namespaces.SetItem(ns.Name, ns);
    }

    private static ModelRecord ReadModel(JsonElement payload)
    {
        var history = payload.GetProperty("history").EnumerateArray()
            .Select(h => new ContractVersion(h.GetProperty("version").GetInt32(), DateTimeOffset.Parse(h.GetProperty("at").GetString()!, System.Globalization.CultureInfo.InvariantCulture), (JsonObject)JsonNode.Parse(h.GetProperty("contract").GetRawText())!))
            .ToImmutableList();
        var contract = ContractParser.Parse(history[^1].Contract);
        return new ModelRecord(payload.GetProperty("id").GetString()!, contract, payload.GetProperty("version").GetInt32(), payload.GetProperty("key_hash").GetString()!,
            DateTimeOffset.Parse(payload.GetProperty("registered_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture), history);
    }

    private static NamespaceRecord ReadNamespace(JsonElement payload)
    {
        var peers = payload.GetProperty("peer_policies").EnumerateObject().ToImmutableSortedDictionary(p => p.Name, p => AccessNames.ParsePolicy(p.Value.GetString(), "peer_policies"), StringComparer.Ordinal);
        var grants = payload.GetProperty("grants").EnumerateObject().ToImmutableSortedDictionary(
            g => g.Name, g => g.Value.EnumerateArray().Aggregate(Rights.None, (r, e) => r | AccessNames.ParseRight(e.GetString(), "grants")), StringComparer.Ordinal);
        var owner = payload.GetProperty("owner");
        return new NamespaceRecord(payload.GetProperty("name").GetString()!, owner.ValueKind == JsonValueKind.String ? owner.GetString() : null,
            AccessNames.ParseVisibility(payload.GetProperty("visibility").GetString(), "visibility"), AccessNames.ParsePolicy(payload.GetProperty("policy").GetString(), "policy"), peers, grants);
    }
}
