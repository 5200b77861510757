using RoseForest.Knowledge.Crdt;
using RoseForest.Knowledge.Model;
using RoseForest.Knowledge.Signing;

namespace RoseForest.Knowledge.Tests;

public sealed class SigningTests
{
    // RFC 8032 section 7.1, TEST 1: secret key, public key, and the signature of the empty message.
    private const string Rfc8032Seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    private const string Rfc8032PublicKey = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    private const string Rfc8032EmptySignature = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

    // Golden vector of this library's canonical form: Samples.Full() signed with the RFC 8032 key.
    // Both values were reproduced outside .NET by encoding the package by hand from the layout in
    // docs/knowledge.md and signing it with Python's `cryptography` Ed25519.
    // If either changes, the canonical form changed: that breaks every signature already issued.
    private const string GoldenVersionId = "ea095c94537e3050";
    private const string GoldenSignature = "ee5b6d03d4b800cfd66453f4ac3ab4d038a6334cfde64566e490ff77c36b58824784448ea7a883e3b1ad70ae6d365e507f81a84e76a56f119c5bbe9b18fefe01";

    private static KnowledgeSigner RfcSigner() => KnowledgeSigner.FromSeed(Convert.FromHexString(Rfc8032Seed));

    [Fact]
    public void The_signer_reproduces_the_rfc_8032_test_vector()
    {
        using var signer = RfcSigner();
        Assert.Equal(Rfc8032PublicKey, signer.PublicKeyHex);
        Assert.Equal(Rfc8032EmptySignature, signer.Sign([]));
        Assert.True(KnowledgeSigner.Verify(Rfc8032PublicKey, [], Rfc8032EmptySignature));
    }

    [Fact]
    public void The_golden_package_signature_is_stable()
    {
        using var signer = RfcSigner();
        var signed = signer.SignPackage(Samples.Full());
        Assert.Equal("kb-0001", signed.KnowledgeId);
        Assert.Equal(GoldenVersionId, signed.VersionId);
        Assert.Equal(GoldenSignature, signed.Trust!.Signature);
        Assert.True(KnowledgeSigner.VerifyPackage(signed, Rfc8032PublicKey));
    }

    [Fact]
    public void A_changed_field_or_another_key_fails_verification()
    {
        using var signer = RfcSigner();
        using var other = KnowledgeSigner.FromSeed(new byte[32]);
        var signed = signer.SignPackage(Samples.Full());
        Assert.False(KnowledgeSigner.VerifyPackage(signed with { Content = signed.Content! with { Text = "Test knowledge content!" } }, signer.PublicKeyHex));
        Assert.False(KnowledgeSigner.VerifyPackage(signed with { Metadata = signed.Metadata! with { Tags = ["waves", "light"] } }, signer.PublicKeyHex));
        Assert.False(KnowledgeSigner.VerifyPackage(signed, other.PublicKeyHex));
        Assert.False(KnowledgeSigner.VerifyPackage(signed with { Trust = null }, signer.PublicKeyHex));
    }

    [Fact]
    public void Trust_score_and_votes_are_outside_the_signature()
    {
        using var signer = RfcSigner();
        var signed = signer.SignPackage(Samples.Full());
        var scored = signed with { Trust = signed.Trust! with { Score = 0.9, Votes = new VoteCounts { Upvotes = 3 } } };
        Assert.True(KnowledgeSigner.VerifyPackage(scored, signer.PublicKeyHex));
    }

    [Fact]
    public void Statement_order_does_not_change_the_canonical_form()
    {
        var a = Samples.Full();
        var b = a with { Confidence = a.Confidence! with { Statements = new Dictionary<string, double> { ["s1"] = 0.25, ["s2"] = 0.5 } } };
        Assert.Equal(KnowledgeCanonicalForm.Package(a), KnowledgeCanonicalForm.Package(b));
    }

    [Fact]
    public void The_vote_canonical_form_is_byte_for_byte_as_documented()
    {
        var vote = new KnowledgeVote("k1", "n1", VoteKind.Downvote, 0.5, null, new HlcTimestamp(1, 2, "n1"));
        var expected =
            "52464b56" + "01" +                   // "RFKV", format 1
            "00000002" + "6b31" +                 // knowledge_id "k1"
            "00000002" + "6e31" +                 // voter "n1"
            "02" +                                // downvote
            "3fe0000000000000" +                  // 0.5 as binary64
            "00" +                                // reason absent
            "0000000000000001" + "00000002" +     // stamp physical 1, logical 2
            "00000002" + "6e31";                  // stamp node "n1"
        Assert.Equal(expected, Convert.ToHexStringLower(KnowledgeCanonicalForm.Vote(vote)));
    }

    [Fact]
    public void A_signed_vote_verifies_only_unchanged_and_with_the_voters_key()
    {
        using var signer = RfcSigner();
        var vote = new KnowledgeVote("k1", "n1", VoteKind.Upvote, 1, "checked", new HlcTimestamp(10, 0, "n1"));
        var signed = signer.SignVote(vote);
        Assert.True(KnowledgeSigner.VerifyVote(signed, signer.PublicKeyHex));
        Assert.False(KnowledgeSigner.VerifyVote(signed with { Vote = vote with { Kind = VoteKind.Downvote } }, signer.PublicKeyHex));
        Assert.False(KnowledgeSigner.VerifyVote(signed with { Vote = vote with { Stamp = new HlcTimestamp(11, 0, "n1") } }, signer.PublicKeyHex));
        Assert.False(KnowledgeSigner.VerifyVote(signed, Rfc8032PublicKey.Replace('d', 'e')));
    }

    [Fact]
    public void Negative_zero_and_zero_encode_alike()
    {
        var a = Samples.Package() with { Confidence = new KnowledgeConfidence { Overall = 0.0 } };
        var b = Samples.Package() with { Confidence = new KnowledgeConfidence { Overall = -0.0 } };
        Assert.Equal(KnowledgeCanonicalForm.Package(a), KnowledgeCanonicalForm.Package(b));
    }
}
