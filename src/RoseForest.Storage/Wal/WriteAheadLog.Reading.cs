using System.Buffers;
using System.Buffers.Binary;

namespace RoseForest.Storage.Wal;

public sealed partial class WriteAheadLog
{
    private ReadHint? _hint;

    /// <summary>
    /// The oldest LSN the log still holds: the first record of its first segment. Records before it
    /// were dropped behind a snapshot.
    /// </summary>
    public long OldestLsn
    {
        get
        {
            lock (_closed)
            {
                return _closed.Count > 0 ? _closed[0].FirstLsn : _current.FirstLsn;
            }
        }
    }

    /// <summary>Bytes of the segments that hold records after <paramref name="lsn"/> (the open one included): the log a checkpoint at that LSN did not cover.</summary>
    public long BytesAfter(long lsn)
    {
        lock (_closed)
        {
            long total = _current.Length;
            foreach (var s in _closed)
            {
                if (s.LastLsn > lsn)
                {
                    total += s.Length;
                }
            }

            return total;
        }
    }

    /// <summary>
    /// Reads records with <paramref name="fromLsn"/> ≤ LSN ≤ <paramref name="throughLsn"/> (which
    /// must not pass <see cref="WrittenLsn"/>), in LSN order, at most <paramref name="maxRecords"/>
    /// of them and about <paramref name="maxBytes"/> bytes (at least one record), calling
    /// <paramref name="visit"/> for each. Safe to call from any thread while the writer appends.
    /// Returns the number of records read; fewer than asked when a segment was dropped meanwhile
    /// (check <see cref="OldestLsn"/>). Sequential readers are served from a remembered position,
    /// so following the log does not rescan a segment.
    /// </summary>
    public int Read(long fromLsn, long throughLsn, int maxRecords, long maxBytes, WalReplay visit)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        throughLsn = Math.Min(throughLsn, WrittenLsn);
        if (fromLsn > throughLsn || maxRecords <= 0)
        {
            return 0;
        }

        var read = 0;
        long bytes = 0;
        foreach (var (path, firstLsn, length) in SegmentsFrom(fromLsn))
        {
            if (fromLsn > throughLsn || read >= maxRecords)
            {
                break;
            }

            // Start where the last read of this segment stopped when that is not past fromLsn.
            var hint = Volatile.Read(ref _hint);
            var (offset, lsnAtOffset) = hint is not null && hint.SegmentFirstLsn == firstLsn && hint.NextLsn <= fromLsn && hint.Offset <= length
                ? (hint.Offset, hint.NextLsn)
                : (WalFormat.HeaderSize, firstLsn);
            if (!ReadSegment(path, offset, length, lsnAtOffset, fromLsn, throughLsn, maxRecords, maxBytes, visit, ref read, ref bytes, out var endLsn, out var endOffset))
            {
                break; // dropped meanwhile: the caller sees OldestLsn move
            }

            Volatile.Write(ref _hint, new ReadHint(firstLsn, endLsn, endOffset));
            fromLsn = Math.Max(fromLsn, endLsn);
        }

        return read;
    }

    /// <summary>The segments that may hold <paramref name="fromLsn"/> or later, with the length readable now.</summary>
    private List<(string Path, long FirstLsn, long Length)> SegmentsFrom(long fromLsn)
    {
        var list = new List<(string, long, long)>();
        lock (_closed)
        {
            foreach (var s in _closed)
            {
                if (s.LastLsn >= fromLsn)
                {
                    list.Add((s.Path, s.FirstLsn, s.Length));
                }
            }

            lock (_handleGate)
            {
                list.Add((_current.Path, _current.FirstLsn, _current.Length));
            }
        }

        return list;
    }

    /// <summary>
    /// Walks one segment from <paramref name="offset"/> (where the record of LSN
    /// <paramref name="lsnAtOffset"/> starts), skipping records before <paramref name="fromLsn"/>
    /// by their length and visiting the rest. Returns false when the file is gone.
    /// </summary>
    private bool ReadSegment(string path, long offset, long length, long lsnAtOffset, long fromLsn, long throughLsn, int maxRecords, long maxBytes, WalReplay visit, ref int read, ref long bytes, out long nextLsn, out long nextOffset)
    {
        nextLsn = lsnAtOffset;
        nextOffset = offset;
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException)
        {
            return false;
        }

        using (handle)
        {
            Span<byte> header = stackalloc byte[WalFormat.RecordHeaderSize];
            var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
            try
            {
                while (offset + WalFormat.RecordHeaderSize <= length && nextLsn <= throughLsn && read < maxRecords && (read == 0 || bytes < maxBytes))
                {
                    if (RandomAccess.Read(handle, header, offset) < WalFormat.RecordHeaderSize)
                    {
                        break;
                    }

                    var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(header);
                    var lsn = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
                    var total = WalFormat.RecordHeaderSize + size;
                    if (offset + total > length || size > _options.MaxRecordBytes)
                    {
                        break;
                    }

                    if (lsn >= fromLsn)
                    {
                        if (buffer.Length < total)
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = ArrayPool<byte>.Shared.Rent(total);
                        }

                        var record = buffer.AsSpan(0, total);
                        if (RandomAccess.Read(handle, record, offset) < total ||
                            WalFormat.TryReadRecord(record, 0, _options.MaxRecordBytes, out var checkedLsn, out var payload) != total || checkedLsn != lsn)
                        {
                            throw new StorageCorruptionException(path, offset, $"record at LSN {lsn} failed its checksum while the change feed read it");
                        }

                        visit(lsn, payload);
                        read++;
                        bytes += total;
                    }

                    offset += total;
                    nextLsn = lsn + 1;
                    nextOffset = offset;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        return true;
    }

    /// <summary>Where the last read stopped: the next record's LSN and offset in a segment.</summary>
    private sealed record ReadHint(long SegmentFirstLsn, long NextLsn, long Offset);
}
