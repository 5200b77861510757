namespace RoseForest.Federated.SecureAggregation;

/// <summary>Round 1: a client's encrypted shares for every peer, and its commitment SHA-256(b) to its self-mask seed b.</summary>
public sealed record ShareKeysMessage(string ClientId, IReadOnlyList<EncryptedShare> Shares, byte[] SelfMaskCommitment);
