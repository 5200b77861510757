using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using RoseForest.Communication.Access;
using RoseForest.Communication.Contracts;
using RoseForest.Communication.Mailboxes;
using RoseForest.Communication.Spaces;
using RoseForest.Communication.States;

namespace RoseForest.Communication;

public sealed partial class CommunicationHub
{
    /// <summary>Creates a shared space in a namespace (needs admin on it): its geometry (poincare, lorentz, euclid), ambient dimension, curvature, and equal or trust weighting.</summary>
    public Task<SpaceRecord> CreateSpaceAsync(Caller caller, string ns, string name, Geometry geometry, int dimension, double curvature = 1, bool trustWeighted = false, CancellationToken cancellationToken = default)
    {
        ExistingNamespace(ns);
        Demand(caller, ns, Rights.Admin);
        if (!NamespaceNames.IsValid(name))
        {
            throw new ValidationException("name", "a space name follows the namespace rule: 1-24 lower-case letters, digits and '-'.");
        }

        if (geometry is not (Geometry.Poincare or Geometry.Lorentz or Geometry.Euclid))
        {
            throw new ValidationException("geometry", "a shared space is poincare, lorentz or euclid.");
        }

        return _spaces.CreateAsync(ns, name, geometry, dimension, curvature, trustWeighted, cancellationToken);
    }

    /// <summary>A space's definition (needs read on its namespace).</summary>
    public SpaceRecord GetSpace(Caller caller, string ns, string name)
    {
        Demand(caller, ns, Rights.Read);
        return _spaces.Get(ns, name);
    }

    /// <summary>Joins a space with the capabilities the model brings (needs read on its namespace).</summary>
    public Task<SpaceRecord> JoinSpaceAsync(Caller caller, string ns, string name, IReadOnlyList<string> capabilities, CancellationToken cancellationToken = default)
    {
        var model = caller.ModelId ?? throw new ValidationException("caller", "only a model joins a space.");
        Demand(caller, ns, Rights.Read);
        _ = _spaces.Get(ns, name);
        return _spaces.ChangeAsync(ns, name, s => s with { Members = s.Members.SetItem(model, new SpaceMember(capabilities, s.Members.TryGetValue(model, out var m) ? m.Trust : 1)) }, cancellationToken);
    }

    /// <summary>Sets a member's trust weight (needs admin on the namespace).</summary>
    public Task<SpaceRecord> SetTrustAsync(Caller caller, string ns, string name, string model, double trust, CancellationToken cancellationToken = default)
    {
        Demand(caller, ns, Rights.Admin);
        if (!double.IsFinite(trust) || trust < 0)
        {
            throw new ValidationException("trust", "must be a finite number >= 0.");
        }

        return _spaces.ChangeAsync(ns, name, s => s.Members.TryGetValue(model, out var m)
            ? s with { Members = s.Members.SetItem(model, m with { Trust = trust }) }
            : throw new NotFoundException($"model '{model}' has not joined space '{name}'."), cancellationToken);
    }

    /// <summary>Contributes (or replaces, version + 1) the caller's vector under a key; the caller must have joined and may write the namespace.</summary>
    public Task<Contribution> ContributeAsync(Caller caller, string ns, string name, string key, float[] vector, JsonElement? value, CancellationToken cancellationToken = default)
    {
        var model = caller.ModelId ?? throw new ValidationException("caller", "only a model contributes.");
        Demand(caller, ns, Rights.Write);
        var space = _spaces.Get(ns, name);
        if (!space.Members.ContainsKey(model))
        {
            throw new AccessDeniedException($"{caller} has not joined space '{name}'.");
        }

        if (key.Length is 0 or > 200)
        {
            throw new ValidationException("key", "must be 1-200 characters.");
        }

        if (vector.Length != space.Dimension || vector.Any(v => !float.IsFinite(v)))
        {
            throw new ValidationException("vector", $"must hold {space.Dimension} finite coordinates.");
        }

        ChargeVectors(caller, 1);
        return _spaces.ContributeAsync(space, model, key, vector, value, cancellationToken);
    }

    /// <summary>The k contributions nearest a vector (needs read on the namespace).</summary>
    public Task<IReadOnlyList<Contribution>> QuerySharedAsync(Caller caller, string ns, string name, float[] vector, int k, CancellationToken cancellationToken = default)
    {
        Demand(caller, ns, Rights.Read);
        var space = _spaces.Get(ns, name);
        CheckSpaceVector(space, vector, k);
        ChargeQuery(caller);
        return _spaces.QueryAsync(space, vector, k, cancellationToken);
    }

    /// <summary>The weighted Fréchet mean of the contributions nearest a vector (or of all of them), with its dispersion (needs read on the namespace).</summary>
    public Task<ConsensusResult> ConsensusAsync(Caller caller, string ns, string name, float[]? near, int k = 10, CancellationToken cancellationToken = default)
    {
        Demand(caller, ns, Rights.Read);
        var space = _spaces.Get(ns, name);
        if (near is not null)
        {
            CheckSpaceVector(space, near, k);
        }

        ChargeQuery(caller);
        return _spaces.ConsensusAsync(space, near, k, cancellationToken);
    }

    /// <summary>Registers (or replaces) the JSON Schema of a model's state (the model itself or the administrator).</summary>
    public Task<ModelState> RegisterStateAsync(Caller caller, string model, JsonNode? schema, CancellationToken cancellationToken = default)
    {
        DemandSelfOrAdmin(caller, model, "register the state");
        var record = Model(model);
        return _states.RegisterAsync(model, record.Contract.Namespace, Parse(schema, "schema"), cancellationToken);
    }

    /// <summary>Replaces a model's state (validated; version + 1; embedded if it has text) and tells its subscribers through their mailboxes.</summary>
    public async Task<ModelState> UpdateStateAsync(Caller caller, string model, JsonNode? state, CancellationToken cancellationToken = default)
    {
        DemandSelfOrAdmin(caller, model, "update the state");
        var record = Model(model);
        var text = StateRegistry.TextOf(state);
        if (text.Length > 0)
        {
            ChargeVectors(caller, 1);
        }

        var updated = await _states.UpdateAsync(model, state, t => EmbedAsync(t, cancellationToken), cancellationToken).ConfigureAwait(false);
        foreach (var subscriber in updated.Subscribers)
        {
            if (!_registry.Models.TryGetValue(subscriber, out var target))
            {
                continue;
            }

            var note = JsonSerializer.SerializeToElement(new JsonObject { ["type"] = "state_updated", ["model"] = model, ["version"] = updated.Version, ["state"] = updated.State?.DeepClone() });
            await _mail.SendAsync(model, subscriber, target.Contract.Namespace, new OutgoingMessage { Body = note, IdempotencyKey = $"state:{model}:{updated.Version}" }, null, null, cancellationToken).ConfigureAwait(false);
        }

        _ = record;
        return updated;
    }

    /// <summary>A model's state (itself, the administrator, or a model that may read its namespace).</summary>
    public ModelState GetState(Caller caller, string model)
    {
        var record = Model(model);
        if (!caller.IsAdmin && caller.ModelId != model)
        {
            Demand(caller, record.Contract.Namespace, Rights.Read);
        }

        return _states.Get(model) ?? throw new NotFoundException($"model '{model}' has no registered state.");
    }

    /// <summary>Subscribes the caller to a model's state updates (needs read on that model's namespace).</summary>
    public Task<ModelState> SubscribeStateAsync(Caller caller, string model, bool subscribe = true, CancellationToken cancellationToken = default)
    {
        var subscriber = caller.ModelId ?? throw new ValidationException("caller", "only a model subscribes.");
        var record = Model(model);
        Demand(caller, record.Contract.Namespace, Rights.Read);
        return _states.SubscribeAsync(model, subscriber, subscribe, cancellationToken);
    }

    /// <summary>The k states most similar to a given one (by their text's embedding), among the models the caller may read.</summary>
    public async Task<IReadOnlyList<(ModelState State, double Score)>> FindSimilarStatesAsync(Caller caller, JsonNode? state, int k, CancellationToken cancellationToken = default)
    {
        if (k is < 1 or > 100)
        {
            throw new ValidationException("k", "must be between 1 and 100.");
        }

        var text = StateRegistry.TextOf(state);
        if (text.Length == 0)
        {
            throw new ValidationException("state", "has no text to compare (no string values).");
        }

        ChargeQuery(caller);
        var vector = await EmbedAsync(text, cancellationToken).ConfigureAwait(false);
        return await _states.SimilarAsync(vector, k, s => caller.IsAdmin || s.Model == caller.ModelId || May(caller, s.Namespace, Rights.Read), cancellationToken).ConfigureAwait(false);
    }

    private static void CheckSpaceVector(SpaceRecord space, float[] vector, int k)
    {
        if (vector.Length != space.Dimension || vector.Any(v => !float.IsFinite(v)))
        {
            throw new ValidationException("vector", $"must hold {space.Dimension} finite coordinates.");
        }

        if (k is < 1 or > 1000)
        {
            throw new ValidationException("k", "must be between 1 and 1000.");
        }
    }

    internal static ImmutableSortedDictionary<string, T> Empty<T>() => ImmutableSortedDictionary<string, T>.Empty.WithComparers(StringComparer.Ordinal);
}
