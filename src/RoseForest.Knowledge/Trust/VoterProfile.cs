namespace RoseForest.Knowledge.Trust;

/// <summary>
/// What the registry knows of a registered node: its key, and what its standing is computed from.
/// </summary>
/// <param name="NodeId">The node.</param>
/// <param name="PublicKeyHex">Its Ed25519 public key, 64 lowercase hex digits.</param>
/// <param name="RegisteredAt">When it registered.</param>
/// <param name="GoodContributions">g: its own packages currently scored at or above 0.5.</param>
/// <param name="BadContributions">b: its own packages currently scored below 0.5.</param>
public sealed record VoterProfile(string NodeId, string PublicKeyHex, DateTimeOffset RegisteredAt, int GoodContributions = 0, int BadContributions = 0);
