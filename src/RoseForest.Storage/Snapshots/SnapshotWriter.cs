using System.Buffers.Binary;
using RoseForest.Storage.IO;

namespace RoseForest.Storage.Snapshots;

/// <summary>
/// Writes one snapshot file as a sequence of tagged, checksummed sections. The caller decides
/// what the sections hold; the file only becomes visible once <see cref="SnapshotStore.Write"/>
/// has fsynced it and renamed it into place.
/// </summary>
public sealed class SnapshotWriter
{
    /// <summary>Flush to disk every this many bytes, so a snapshot never piles up dirty pages that a WAL fsync would wait behind.</summary>
    private const long SyncEveryBytes = 16L << 20;

    private readonly Stream _stream;
    private long _sinceSync;
    private readonly byte[] _header = new byte[SnapshotFormat.SectionHeaderSize];
    private bool _inSection;
    private uint _tag;
    private long _sectionLength;
    private long _sectionStart;
    private uint _crc;

    internal SnapshotWriter(Stream stream) => _stream = stream;

    /// <summary>Bytes written so far.</summary>
    public long Position => _stream.Position;

    /// <summary>Writes a whole section.</summary>
    public void WriteSection(uint tag, ReadOnlySpan<byte> payload)
    {
        BeginSection(tag);
        Write(payload);
        EndSection();
    }

    /// <summary>Starts a section whose length is not known yet.</summary>
    public void BeginSection(uint tag)
    {
        if (_inSection)
        {
            throw new InvalidOperationException("A section is already open.");
        }

        if (tag == SnapshotFormat.EndTag)
        {
            throw new ArgumentException("The END tag is reserved.", nameof(tag));
        }

        _inSection = true;
        _tag = tag;
        _sectionLength = 0;
        _sectionStart = _stream.Position;
        _crc = Crc32C.Start;
        SnapshotFormat.WriteSectionHeader(_header, tag, 0);
        _stream.Write(_header);
    }

    /// <summary>Appends bytes to the open section.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        if (!_inSection)
        {
            throw new InvalidOperationException("No section is open.");
        }

        _crc = Crc32C.Append(_crc, data);
        _sectionLength += data.Length;
        _stream.Write(data);
        _sinceSync += data.Length;
        if (_sinceSync >= SyncEveryBytes && _stream is FileStream file)
        {
            file.Flush(flushToDisk: true);
            _sinceSync = 0;
        }
    }

    /// <summary>Closes the open section: writes its checksum and patches its length.</summary>
    public void EndSection()
    {
        if (!_inSection)
        {
            throw new InvalidOperationException("No section is open.");
        }

        var end = _stream.Position;
        _stream.Position = _sectionStart;
        SnapshotFormat.WriteSectionHeader(_header, _tag, _sectionLength);
        _stream.Write(_header);
        _stream.Position = end;
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(crc, SectionCrc(_tag, _sectionLength, _crc));
        _stream.Write(crc);
        _inSection = false;
    }

    internal void WriteEnd()
    {
        SnapshotFormat.WriteSectionHeader(_header, SnapshotFormat.EndTag, 0);
        _stream.Write(_header);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(crc, SectionCrc(SnapshotFormat.EndTag, 0, Crc32C.Start));
        _stream.Write(crc);
    }

    /// <summary>The section checksum covers the payload, then the tag and length.</summary>
    internal static uint SectionCrc(uint tag, long length, uint payloadRunningCrc)
    {
        Span<byte> tail = stackalloc byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(tail, tag);
        BinaryPrimitives.WriteInt64LittleEndian(tail[4..], length);
        return Crc32C.Finish(Crc32C.Append(payloadRunningCrc, tail));
    }
}
