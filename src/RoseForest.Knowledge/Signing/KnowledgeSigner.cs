using NSec.Cryptography;
using RoseForest.Knowledge.Model;

namespace RoseForest.Knowledge.Signing;

/// <summary>
/// Signs packages and votes with Ed25519 (RFC 8032) through NSec, a thin .NET layer over
/// libsodium. Ed25519 because its signatures are deterministic (the same key and bytes always give
/// the same signature, so golden vectors and duplicate detection work and no per-signature
/// randomness can leak the key), its keys are 32 bytes and signatures 64, verification is fast,
/// and libsodium is the audited, widely deployed implementation. Keys and signatures travel as
/// lowercase hex: 64 digits for a public key, 128 for a signature.
/// </summary>
public sealed class KnowledgeSigner : IDisposable
{
    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;
    private readonly Key _key;

    private KnowledgeSigner(Key key)
    {
        _key = key;
        PublicKeyHex = Hex.Lower(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary>The public key, 64 lowercase hex digits (what <c>register_node</c> sends).</summary>
    public string PublicKeyHex { get; }

    /// <summary>A signer from a 32-byte Ed25519 private seed (RFC 8032's secret key).</summary>
    public static KnowledgeSigner FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != Algorithm.PrivateKeySize)
        {
            throw new ArgumentException($"an Ed25519 seed is {Algorithm.PrivateKeySize} bytes", nameof(seed));
        }

        return new KnowledgeSigner(Key.Import(Algorithm, seed, KeyBlobFormat.RawPrivateKey));
    }

    /// <summary>A signer with a fresh random key.</summary>
    public static KnowledgeSigner Generate() => new(Key.Create(Algorithm));

    /// <summary>Signs arbitrary bytes; returns the signature as lowercase hex.</summary>
    public string Sign(ReadOnlySpan<byte> data) => Hex.Lower(Algorithm.Sign(_key, data));

    /// <summary>
    /// Fills in missing ids (<see cref="KnowledgeIds.EnsureIds"/>) and returns the package with
    /// <c>trust.signature</c> set to the signature over its canonical form.
    /// </summary>
    public KnowledgePackage SignPackage(KnowledgePackage package)
    {
        var withIds = KnowledgeIds.EnsureIds(package);
        var signature = Sign(KnowledgeCanonicalForm.Package(withIds));
        return withIds with { Trust = (withIds.Trust ?? new KnowledgeTrust()) with { Signature = signature } };
    }

    /// <summary>Signs a vote's canonical form.</summary>
    public SignedVote SignVote(KnowledgeVote vote) => new(vote, Sign(KnowledgeCanonicalForm.Vote(vote)));

    /// <summary>True when <paramref name="signatureHex"/> is a valid signature of the data by the key.</summary>
    public static bool Verify(string publicKeyHex, ReadOnlySpan<byte> data, string signatureHex)
    {
        if (!Hex.IsLowercaseHex(publicKeyHex, Algorithm.PublicKeySize * 2) || !Hex.IsLowercaseHex(signatureHex, Algorithm.SignatureSize * 2))
        {
            return false;
        }

        if (!PublicKey.TryImport(Algorithm, Convert.FromHexString(publicKeyHex), KeyBlobFormat.RawPublicKey, out var publicKey))
        {
            return false;
        }

        return Algorithm.Verify(publicKey!, data, Convert.FromHexString(signatureHex));
    }

    /// <summary>True when the package carries a valid signature by the key over its canonical form.</summary>
    public static bool VerifyPackage(KnowledgePackage package, string publicKeyHex)
        => package.Trust?.Signature is { } signature && Verify(publicKeyHex, KnowledgeCanonicalForm.Package(package), signature);

    /// <summary>True when the vote's signature is valid for the key.</summary>
    public static bool VerifyVote(SignedVote vote, string publicKeyHex)
        => Verify(publicKeyHex, KnowledgeCanonicalForm.Vote(vote.Vote), vote.Signature);

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();
}
