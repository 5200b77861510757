using System.Buffers.Binary;
using RoseForest.Storage.IO;

namespace RoseForest.Storage.Wal;

/// <summary>
/// The byte layout of WAL segments (docs/file-formats.md). All integers little-endian.
/// <code>
/// segment header (32 bytes, <see cref="FileHeader"/>): "RFWAL001" | u32 version=1 | u32 reserved=0 | u64 firstLsn | u32 crc32c(bytes 0..23) | u32 reserved=0
/// record (16 + n bytes):     u32 n | u32 crc32c(n, lsn, payload) | u64 lsn | payload[n]
/// </code>
/// </summary>
internal static class WalFormat
{
    public const int HeaderSize = FileHeader.Size;
    public const int RecordHeaderSize = 16;
    public const uint Version = 1;
    public const string Extension = ".wal";

    public static ReadOnlySpan<byte> Magic => "RFWAL001"u8;

    public static string SegmentName(long firstLsn) => $"{firstLsn:D20}{Extension}";

    public static bool TryParseSegmentName(string fileName, out long firstLsn)
    {
        firstLsn = 0;
        return fileName.Length == 20 + Extension.Length &&
               fileName.EndsWith(Extension, StringComparison.Ordinal) &&
               long.TryParse(fileName.AsSpan(0, 20), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out firstLsn);
    }

    public static void WriteHeader(Span<byte> header, long firstLsn) => FileHeader.Write(header, Magic, Version, firstLsn);

    /// <summary>Checks a header; returns the first LSN or null when the header is damaged.</summary>
    public static long? ReadHeader(ReadOnlySpan<byte> header) => FileHeader.Read(header, Magic, Version);

    /// <summary>Writes one record (header and payload) into <paramref name="destination"/>.</summary>
    public static void WriteRecord(Span<byte> destination, long lsn, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)payload.Length);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], lsn);
        payload.CopyTo(destination[RecordHeaderSize..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], RecordCrc(destination[..4], destination[8..16], payload));
    }

    public static uint RecordCrc(ReadOnlySpan<byte> length, ReadOnlySpan<byte> lsn, ReadOnlySpan<byte> payload)
    {
        var crc = Crc32C.Append(Crc32C.Start, length);
        crc = Crc32C.Append(crc, lsn);
        return Crc32C.Finish(Crc32C.Append(crc, payload));
    }

    /// <summary>
    /// Tries to read a whole, intact record at <paramref name="offset"/>. Returns its total size, or
    /// 0 when the bytes there are not a complete record with a matching CRC.
    /// </summary>
    public static int TryReadRecord(ReadOnlySpan<byte> file, long offset, int maxRecordBytes, out long lsn, out ReadOnlySpan<byte> payload)
    {
        lsn = 0;
        payload = default;
        if (offset + RecordHeaderSize > file.Length)
        {
            return 0;
        }

        var header = file.Slice((int)offset, RecordHeaderSize);
        var length = BinaryPrimitives.ReadUInt32LittleEndian(header);
        if (length > (uint)maxRecordBytes || offset + RecordHeaderSize + length > file.Length)
        {
            return 0;
        }

        payload = file.Slice((int)offset + RecordHeaderSize, (int)length);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != RecordCrc(header[..4], header[8..16], payload))
        {
            payload = default;
            return 0;
        }

        lsn = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
        return RecordHeaderSize + (int)length;
    }
}
