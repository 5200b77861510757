namespace RoseForest.Federated.SecureAggregation;

/// <summary>Round 0: a client's two X25519 public keys: one for the encrypted channel to each peer, one for pairwise masks.</summary>
public sealed record AdvertisedKeys(string ClientId, byte[] ChannelPublicKey, byte[] MaskPublicKey);
