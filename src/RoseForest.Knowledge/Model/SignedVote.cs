namespace RoseForest.Knowledge.Model;

/// <summary>A vote with the voter's Ed25519 signature over its canonical form, 128 lowercase hex digits.</summary>
/// <param name="Vote">The vote.</param>
/// <param name="Signature">The signature (see <see cref="Signing.KnowledgeSigner.VerifyVote"/>).</param>
public sealed record SignedVote(KnowledgeVote Vote, string Signature);
