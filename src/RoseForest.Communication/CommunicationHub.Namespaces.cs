using System.Collections.Immutable;
using RoseForest.Communication.Access;
using RoseForest.Communication.Contracts;

namespace RoseForest.Communication;

public sealed partial class CommunicationHub
{
    /// <summary>Creates a namespace (administrator only); the owner, a registered model or none, holds admin on it.</summary>
    public Task<NamespaceRecord> CreateNamespaceAsync(Caller caller, string name, string? owner, Visibility visibility, IsolationPolicy policy = IsolationPolicy.Shared, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsAdmin)
        {
            throw new AccessDeniedException($"{caller} may not create namespaces.");
        }

        NamespaceNames.Validate(name, "name");
        if (owner is not null)
        {
            _ = Model(owner);
        }

        return _registry.CreateNamespaceAsync(name, owner, visibility, policy, cancellationToken);
    }

    /// <summary>A namespace, visible to those who may read it.</summary>
    public NamespaceRecord GetNamespace(Caller caller, string name)
    {
        var ns = _registry.Namespaces.TryGetValue(name, out var n) ? n : throw new NotFoundException($"namespace '{name}' does not exist.");
        Demand(caller, name, Rights.Read);
        return ns;
    }

    /// <summary>Adds rights for a model on a namespace (needs admin on it).</summary>
    public Task<NamespaceRecord> GrantAsync(Caller caller, string ns, string model, Rights rights, CancellationToken cancellationToken = default)
    {
        ExistingNamespace(ns);
        Demand(caller, ns, Rights.Admin);
        _ = Model(model);
        if (rights == Rights.None)
        {
            throw new ValidationException("rights", "name at least one of read, write, admin.");
        }

        return _registry.ChangeNamespaceAsync(ns, n => n with { Grants = n.Grants.SetItem(model, n.GrantsOf(model) | (n.Grants.TryGetValue(model, out var r) ? r : Rights.None) | rights) }, cancellationToken);
    }

    /// <summary>Removes rights of a model on a namespace (needs admin on it). The owner's admin cannot be revoked.</summary>
    public Task<NamespaceRecord> RevokeAsync(Caller caller, string ns, string model, Rights rights, CancellationToken cancellationToken = default)
    {
        ExistingNamespace(ns);
        Demand(caller, ns, Rights.Admin);
        return _registry.ChangeNamespaceAsync(ns, n =>
        {
            var left = (n.Grants.TryGetValue(model, out var r) ? r : Rights.None) & ~rights;
            return n with { Grants = left == Rights.None ? n.Grants.Remove(model) : n.Grants.SetItem(model, left) };
        }, cancellationToken);
    }

    /// <summary>Sets a namespace's visibility, default policy, or its policy toward one other namespace (needs admin on it).</summary>
    public Task<NamespaceRecord> SetPolicyAsync(Caller caller, string ns, Visibility? visibility, IsolationPolicy? policy, IReadOnlyDictionary<string, IsolationPolicy?>? peers, CancellationToken cancellationToken = default)
    {
        ExistingNamespace(ns);
        Demand(caller, ns, Rights.Admin);
        foreach (var peer in peers?.Keys ?? [])
        {
            NamespaceNames.Validate(peer, $"peers.{peer}");
        }

        return _registry.ChangeNamespaceAsync(ns, n =>
        {
            var peerPolicies = n.PeerPolicies;
            foreach (var (peer, p) in peers ?? ImmutableDictionary<string, IsolationPolicy?>.Empty)
            {
                peerPolicies = p is { } value ? peerPolicies.SetItem(peer, value) : peerPolicies.Remove(peer);
            }

            return n with { Visibility = visibility ?? n.Visibility, Policy = policy ?? n.Policy, PeerPolicies = peerPolicies };
        }, cancellationToken);
    }

    /// <summary>
    /// Searches the collection <c>&lt;namespace&gt;__&lt;collection&gt;</c> of each namespace and merges the hits by score;
    /// refused (403, naming the namespace) unless the caller may read every one of them.
    /// </summary>
    public async Task<IReadOnlyList<(string Namespace, ScoredPoint Point)>> QueryCrossNamespaceAsync(Caller caller, IReadOnlyList<string> namespaces, string collection, float[] vector, int limit, CancellationToken cancellationToken = default)
    {
        if (namespaces.Count is 0 or > 64)
        {
            throw new ValidationException("namespaces", "name 1-64 namespaces.");
        }

        foreach (var ns in namespaces)
        {
            NamespaceNames.Validate(ns, "namespaces");
            Demand(caller, ns, Rights.Read);
        }

        ChargeQuery(caller);
        var all = new List<(string, ScoredPoint)>();
        bool? higherIsBetter = null;
        foreach (var ns in namespaces.Distinct())
        {
            var name = ns + NamespaceNames.Separator + collection;
            CollectionOptions.ValidateName(name);
            if (!await _database.CollectionExistsAsync(name, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            var info = await _database.GetCollectionInfoAsync(name, cancellationToken).ConfigureAwait(false);
            var geometry = info.Options?.Geometry ?? Geometry.Cosine;
            if (higherIsBetter is { } h && h != GeometryInfo.HigherIsBetter(geometry))
            {
                throw new ValidationException("collection", $"'{name}' ranks scores the other way from the other namespaces' collections; a merged ranking needs one kind of score.");
            }

            higherIsBetter = GeometryInfo.HigherIsBetter(geometry);
            var hits = await _database.GetCollection(name).SearchAsync(new SearchRequest { Vector = vector, Limit = limit, WithPayload = PayloadSelector.All }, cancellationToken).ConfigureAwait(false);
            all.AddRange(hits.Select(h => (ns, h)));
        }

        var ordered = higherIsBetter != false ? all.OrderByDescending(h => h.Item2.Score) : all.OrderBy(h => h.Item2.Score);
        return [.. ordered.Take(limit)];
    }

    private void ExistingNamespace(string ns)
    {
        if (!_registry.Namespaces.ContainsKey(ns))
        {
            throw new NotFoundException($"namespace '{ns}' does not exist.");
        }
    }
}
