using System.Buffers.Binary;
using RoseForest.Storage.IO;

namespace RoseForest.Storage.Snapshots;

/// <summary>
/// The byte layout of snapshot files (docs/file-formats.md). All integers little-endian.
/// <code>
/// header (32 bytes): "RFSNAP01" | u32 version=1 | u32 reserved=0 | u64 lsn | u32 crc32c(bytes 0..23) | u32 reserved=0
/// section:           u32 tag | u32 reserved=0 | u64 length | payload[length] | u32 crc32c(tag, length, payload)
/// last section:      tag 0x00444E45 ("END"), length 0: a file without it is incomplete
/// </code>
/// </summary>
internal static class SnapshotFormat
{
    public const int HeaderSize = 32;
    public const int SectionHeaderSize = 16;
    public const uint Version = 1;
    public const uint EndTag = 0x00444E45;
    public const string Extension = ".snapshot";

    public static ReadOnlySpan<byte> Magic => "RFSNAP01"u8;

    public static void WriteHeader(Span<byte> header, long lsn)
    {
        header[..HeaderSize].Clear();
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Version);
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], lsn);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], Crc32C.Compute(header[..24]));
    }

    public static long? ReadHeader(ReadOnlySpan<byte> header)
    {
        if (header.Length < HeaderSize || !header[..8].SequenceEqual(Magic) ||
            BinaryPrimitives.ReadUInt32LittleEndian(header[8..]) != Version ||
            BinaryPrimitives.ReadUInt32LittleEndian(header[24..]) != Crc32C.Compute(header[..24]) ||
            BinaryPrimitives.ReadUInt32LittleEndian(header[28..]) != 0)
        {
            return null;
        }

        return BinaryPrimitives.ReadInt64LittleEndian(header[16..]);
    }

    public static void WriteSectionHeader(Span<byte> destination, uint tag, long length)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, tag);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], length);
    }
}
