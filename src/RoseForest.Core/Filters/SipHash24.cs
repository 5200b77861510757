using System.Buffers.Binary;
using System.Numerics;

namespace RoseForest.Core.Filters;

/// <summary>SipHash-2-4 (Aumasson and Bernstein), 64-bit output, as the slice condition needs it.</summary>
internal static class SipHash24
{
    public static ulong Hash(ReadOnlySpan<byte> message, ulong key0, ulong key1)
    {
        var v0 = key0 ^ 0x736f6d6570736575UL;
        var v1 = key1 ^ 0x646f72616e646f6dUL;
        var v2 = key0 ^ 0x6c7967656e657261UL;
        var v3 = key1 ^ 0x7465646279746573UL;

        var full = message.Length & ~7;
        for (var i = 0; i < full; i += 8)
        {
            var m = BinaryPrimitives.ReadUInt64LittleEndian(message[i..]);
            v3 ^= m;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            v0 ^= m;
        }

        // The last block: the remaining bytes, little-endian, with the length's low byte on top.
        var last = (ulong)(byte)message.Length << 56;
        for (var i = full; i < message.Length; i++)
        {
            last |= (ulong)message[i] << (8 * (i - full));
        }

        v3 ^= last;
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        v0 ^= last;

        v2 ^= 0xff;
        for (var r = 0; r < 4; r++)
        {
            Round(ref v0, ref v1, ref v2, ref v3);
        }

        return v0 ^ v1 ^ v2 ^ v3;
    }

    private static void Round(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3)
    {
        v0 += v1;
        v1 = BitOperations.RotateLeft(v1, 13);
        v1 ^= v0;
        v0 = BitOperations.RotateLeft(v0, 32);
        v2 += v3;
        v3 = BitOperations.RotateLeft(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = BitOperations.RotateLeft(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = BitOperations.RotateLeft(v1, 17);
        v1 ^= v2;
        v2 = BitOperations.RotateLeft(v2, 32);
    }
}
