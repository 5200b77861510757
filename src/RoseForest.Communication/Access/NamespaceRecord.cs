using System.Collections.Immutable;

namespace RoseForest.Communication.Access;

/// <summary>A namespace: its owner, visibility, default isolation policy, per-namespace policy overrides and grants. Immutable; a change makes a new one.</summary>
public sealed record NamespaceRecord(
    string Name,
    string? Owner,
    Visibility Visibility,
    IsolationPolicy Policy,
    ImmutableSortedDictionary<string, IsolationPolicy> PeerPolicies,
    ImmutableSortedDictionary<string, Rights> Grants)
{
    /// <summary>The policy toward models whose home is <paramref name="home"/>.</summary>
    public IsolationPolicy PolicyToward(string home) => PeerPolicies.TryGetValue(home, out var p) ? p : Policy;

    /// <summary>The rights granted to a model (the owner holds admin).</summary>
    public Rights GrantsOf(string modelId) => (Grants.TryGetValue(modelId, out var r) ? r : Rights.None) | (Owner == modelId ? Rights.Admin : Rights.None);
}
