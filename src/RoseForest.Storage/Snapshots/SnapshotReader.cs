using System.Buffers.Binary;
using RoseForest.Storage.IO;

namespace RoseForest.Storage.Snapshots;

/// <summary>
/// Reads a snapshot file section by section, checking every checksum. Any damage throws
/// <see cref="StorageCorruptionException"/> naming the file and offset.
/// </summary>
public sealed class SnapshotReader : IDisposable
{
    private readonly FileStream _stream;
    private readonly byte[] _header = new byte[SnapshotFormat.SectionHeaderSize];
    private bool _ended;

    private SnapshotReader(string path, FileStream stream, long lsn)
    {
        FilePath = path;
        _stream = stream;
        Lsn = lsn;
    }

    /// <summary>The file being read.</summary>
    public string FilePath { get; }

    /// <summary>The LSN the snapshot covers: every record up to it is in the snapshot.</summary>
    public long Lsn { get; }

    /// <summary>Opens a snapshot file and checks its header.</summary>
    public static SnapshotReader Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        try
        {
            Span<byte> header = stackalloc byte[SnapshotFormat.HeaderSize];
            if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length || SnapshotFormat.ReadHeader(header) is not { } lsn)
            {
                throw new StorageCorruptionException(path, 0, "bad snapshot header");
            }

            return new SnapshotReader(path, stream, lsn);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the next section into a new array. Returns false at the END section. Throws on a
    /// damaged or truncated file.
    /// </summary>
    public bool TryReadSection(out uint tag, out byte[] payload)
    {
        payload = [];
        tag = 0;
        if (_ended)
        {
            return false;
        }

        var offset = _stream.Position;
        if (_stream.ReadAtLeast(_header, _header.Length, throwOnEndOfStream: false) < _header.Length)
        {
            throw new StorageCorruptionException(FilePath, offset, "the file ends before its END section (incomplete snapshot)");
        }

        tag = BinaryPrimitives.ReadUInt32LittleEndian(_header);
        if (BinaryPrimitives.ReadUInt32LittleEndian(_header.AsSpan(4)) != 0)
        {
            throw new StorageCorruptionException(FilePath, offset, "reserved bytes of a section header are not zero");
        }

        var length = BinaryPrimitives.ReadInt64LittleEndian(_header.AsSpan(8));
        if (length < 0 || length > Array.MaxLength || offset + SnapshotFormat.SectionHeaderSize + length + 4 > _stream.Length)
        {
            throw new StorageCorruptionException(FilePath, offset, $"section length {length} runs past the end of the file");
        }

        payload = GC.AllocateUninitializedArray<byte>((int)length);
        _stream.ReadExactly(payload);
        Span<byte> crcBytes = stackalloc byte[4];
        _stream.ReadExactly(crcBytes);
        var expected = BinaryPrimitives.ReadUInt32LittleEndian(crcBytes);
        if (SnapshotWriter.SectionCrc(tag, length, Crc32C.Append(Crc32C.Start, payload)) != expected)
        {
            throw new StorageCorruptionException(FilePath, offset, $"checksum mismatch in section 0x{tag:X8}");
        }

        if (tag == SnapshotFormat.EndTag)
        {
            if (_stream.Position != _stream.Length)
            {
                throw new StorageCorruptionException(FilePath, _stream.Position, "bytes follow the END section");
            }

            _ended = true;
            payload = [];
            return false;
        }

        return true;
    }

    /// <summary>Reads the whole file once, checking every checksum and the END section.</summary>
    public static long Verify(string path)
    {
        using var reader = Open(path);
        while (reader.TryReadSection(out _, out _))
        {
        }

        return reader.Lsn;
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
