using System.Buffers.Binary;

namespace RoseForest.Storage.IO;

/// <summary>
/// The 32-byte header that opens both WAL segments and snapshot files (docs/file-formats.md),
/// little-endian:
/// <code>
/// magic[8] | u32 version | u32 reserved=0 | u64 value | u32 crc32c(bytes 0..23) | u32 reserved=0
/// </code>
/// The value is the segment's first LSN or the snapshot's LSN. <see cref="Wal.WalFormat"/> and
/// <see cref="Snapshots.SnapshotFormat"/> give the magic and version.
/// </summary>
internal static class FileHeader
{
    public const int Size = 32;

    private const int MagicSize = 8;
    private const int ChecksummedBytes = 24;

    public static void Write(Span<byte> header, ReadOnlySpan<byte> magic, uint version, long value)
    {
        header[..Size].Clear();
        magic[..MagicSize].CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], version);
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], value);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], Crc32C.Compute(header[..ChecksummedBytes]));
    }

    /// <summary>Checks a header; returns its value, or null when the header is damaged or of another kind or version.</summary>
    public static long? Read(ReadOnlySpan<byte> header, ReadOnlySpan<byte> magic, uint version)
    {
        if (header.Length < Size || !header[..MagicSize].SequenceEqual(magic) ||
            BinaryPrimitives.ReadUInt32LittleEndian(header[8..]) != version ||
            BinaryPrimitives.ReadUInt32LittleEndian(header[24..]) != Crc32C.Compute(header[..ChecksummedBytes]) ||
            BinaryPrimitives.ReadUInt32LittleEndian(header[28..]) != 0)
        {
            return null;
        }

        return BinaryPrimitives.ReadInt64LittleEndian(header[16..]);
    }
}
