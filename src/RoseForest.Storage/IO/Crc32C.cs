using System.Buffers.Binary;
using System.Numerics;

namespace RoseForest.Storage.IO;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of every WAL record and snapshot section. Uses the CPU's
/// crc32 instruction through <see cref="BitOperations.Crc32C(uint, ulong)"/> (software fallback
/// included), eight bytes at a time.
/// </summary>
public static class Crc32C
{
    /// <summary>The CRC of a buffer.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(Start, data));

    /// <summary>The initial running value.</summary>
    public const uint Start = 0xFFFFFFFF;

    /// <summary>Extends a running value with more bytes.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }

    /// <summary>Turns a running value into the final CRC.</summary>
    public static uint Finish(uint crc) => ~crc;
}
