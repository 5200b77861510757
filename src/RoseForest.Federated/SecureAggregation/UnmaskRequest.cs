namespace RoseForest.Federated.SecureAggregation;

/// <summary>Round 3: who sent a masked input (survivors) and who shared keys but did not (dropped).</summary>
public sealed record UnmaskRequest(IReadOnlyList<string> Survivors, IReadOnlyList<string> Dropped);
