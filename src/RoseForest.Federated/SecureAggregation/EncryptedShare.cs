namespace RoseForest.Federated.SecureAggregation;

/// <summary>Round 1: one share pair from <paramref name="From"/> to <paramref name="To"/>, encrypted with AES-256-GCM under a key only the two can derive.</summary>
public sealed record EncryptedShare(string From, string To, byte[] Ciphertext);
