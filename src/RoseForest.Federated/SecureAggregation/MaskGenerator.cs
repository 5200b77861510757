using System.Buffers.Binary;
using System.Security.Cryptography;

namespace RoseForest.Federated.SecureAggregation;

/// <summary>
/// The PRG that expands a 32-byte seed into a mask over Z/2³²: AES-256 in counter mode (the seed
/// is the key; block i encrypts the 128-bit little-endian counter i), read as little-endian uint32.
/// </summary>
internal static class MaskGenerator
{
    public static uint[] Expand(ReadOnlySpan<byte> seed, int length)
    {
        if (seed.Length != 32)
        {
            throw new ArgumentException("A mask seed is 32 bytes.", nameof(seed));
        }

        var blocks = (length + 3) / 4;
        var counters = new byte[blocks * 16];
        for (var b = 0; b < blocks; b++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(counters.AsSpan(b * 16), (ulong)b);
        }

        using var aes = Aes.Create();
        aes.Key = seed.ToArray();
        var stream = aes.EncryptEcb(counters, PaddingMode.None);
        var mask = new uint[length];
        for (var i = 0; i < length; i++)
        {
            mask[i] = BinaryPrimitives.ReadUInt32LittleEndian(stream.AsSpan(i * 4));
        }

        return mask;
    }
}
