using System.Text;
using NSec.Cryptography;

namespace RoseForest.Federated.SecureAggregation;

/// <summary>X25519 key handling and the derivations from a key agreement (HKDF-SHA256).</summary>
internal static class PairwiseKeys
{
    public static readonly KeyAgreementAlgorithm Agreement = KeyAgreementAlgorithm.X25519;

    public static Key NewKey() => Key.Create(Agreement, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });

    public static Key ImportPrivate(ReadOnlySpan<byte> raw) => Key.Import(Agreement, raw, KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });

    public static byte[] PublicBytes(Key key) => key.PublicKey.Export(KeyBlobFormat.RawPublicKey);

    public static byte[] PrivateBytes(Key key) => key.Export(KeyBlobFormat.RawPrivateKey);

    /// <summary>The pairwise mask seed of two clients: symmetric, so both derive the same 32 bytes.</summary>
    public static byte[] MaskSeed(Key own, byte[] peerPublic, string a, string b)
    {
        var (lo, hi) = string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);
        return Derive(own, peerPublic, $"roseforest/secagg/mask\0{lo}\0{hi}");
    }

    /// <summary>The AES-256-GCM key for shares sent from one client to another (one key per direction).</summary>
    public static byte[] ChannelKey(Key own, byte[] peerPublic, string from, string to) =>
        Derive(own, peerPublic, $"roseforest/secagg/channel\0{from}\0{to}");

    private static byte[] Derive(Key own, byte[] peerPublic, string info)
    {
        var peer = PublicKey.Import(Agreement, peerPublic, KeyBlobFormat.RawPublicKey);
        using var secret = Agreement.Agree(own, peer) ?? throw new SecureAggregationException("Key agreement failed (a low-order public key).");
        return KeyDerivationAlgorithm.HkdfSha256.DeriveBytes(secret, [], Encoding.UTF8.GetBytes(info), 32);
    }
}
