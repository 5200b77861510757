namespace RoseForest.Federated.SecureAggregation;

/// <summary>Round 3: a surviving client's shares: of each survivor's self-mask seed, and of each dropped client's mask private key.</summary>
public sealed record UnmaskResponse(string ClientId, IReadOnlyDictionary<string, ShamirShare> SelfMaskShares, IReadOnlyDictionary<string, ShamirShare> MaskKeyShares);
