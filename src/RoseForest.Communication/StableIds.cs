using System.Security.Cryptography;
using System.Text;

namespace RoseForest.Communication;

/// <summary>
/// Deterministic point ids: the first 16 bytes of SHA-256 over the parts (joined by a 0 byte),
/// as a version-8 UUID. The same parts give the same id in every process and on every machine
/// (unlike a salted string hash).
/// </summary>
public static class StableIds
{
    /// <summary>The id of the given parts.</summary>
    public static Guid For(params string[] parts)
    {
        var text = string.Join('\0', parts);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        var bytes = hash[..16].ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8 (custom)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>The lower-case hex SHA-256 of a text.</summary>
    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
