using System.Buffers.Binary;
using RoseForest.Storage.IO;

namespace RoseForest.Storage.Snapshots;

/// <summary>
/// The byte layout of snapshot files (docs/file-formats.md). All integers little-endian.
/// <code>
/// header (32 bytes, <see cref="FileHeader"/>): "RFSNAP01" | u32 version=1 | u32 reserved=0 | u64 lsn | u32 crc32c(bytes 0..23) | u32 reserved=0
/// section:           u32 tag | u32 reserved=0 | u64 length | payload[length] | u32 crc32c(tag, length, payload)
/// last section:      tag 0x00444E45 ("END"), length 0: a file without it is incomplete
/// </code>
/// </summary>
internal static class SnapshotFormat
{
    public const int HeaderSize = FileHeader.Size;
    public const int SectionHeaderSize = 16;
    public const uint Version = 1;
    public const uint EndTag = 0x00444E45;
    public const string Extension = ".snapshot";

    public static ReadOnlySpan<byte> Magic => "RFSNAP01"u8;

    public static void WriteHeader(Span<byte> header, long lsn) => FileHeader.Write(header, Magic, Version, lsn);

    /// <summary>Checks a header; returns the snapshot's LSN or null when the header is damaged.</summary>
    public static long? ReadHeader(ReadOnlySpan<byte> header) => FileHeader.Read(header, Magic, Version);

    public static void WriteSectionHeader(Span<byte> destination, uint tag, long length)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, tag);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], length);
    }
}
