using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using RoseForest.Storage.IO;

namespace RoseForest.Storage.Wal;

/// <summary>
/// A segmented write-ahead log of opaque records, each with a length, an LSN and a CRC32C.
/// One writer appends (the owning collection's writer loop); <see cref="Sync"/> may run
/// concurrently from a flush timer. Records are staged with <see cref="Append"/>, pushed to the
/// OS in one write by <see cref="Commit"/>, and made durable by fsync (in Commit or Sync).
/// Opening runs recovery: see <c>Open</c>.
/// </summary>
public sealed partial class WriteAheadLog : IDisposable
{
    private readonly string _directory;
    private readonly WalOptions _options;
    private readonly object _handleGate = new();
    private readonly List<ClosedSegment> _closed;
    private OpenSegment _current;
    private byte[] _pending = new byte[64 * 1024];
    private int _pendingLength;
    private long _lastLsn;
    private long _writtenLsn;
    private long _durableLsn;
    private bool _broken;
    private bool _disposed;

    private WriteAheadLog(string directory, WalOptions options, List<ClosedSegment> closed, OpenSegment current, long lastLsn)
    {
        _directory = directory;
        _options = options;
        _closed = closed;
        _current = current;
        _lastLsn = lastLsn;
        _writtenLsn = lastLsn;
        _durableLsn = lastLsn;
    }

    /// <summary>The LSN of the last record staged or written.</summary>
    public long LastLsn => _lastLsn;

    /// <summary>The LSN of the last record handed to the OS.</summary>
    public long WrittenLsn => Volatile.Read(ref _writtenLsn);

    /// <summary>The LSN of the last record known to be on disk (fsynced).</summary>
    public long DurableLsn => Volatile.Read(ref _durableLsn);

    /// <summary>Bytes in all segments, including the open one.</summary>
    public long TotalBytes
    {
        get
        {
            lock (_closed)
            {
                long total = _current.Length;
                foreach (var s in _closed)
                {
                    total += s.Length;
                }

                return total;
            }
        }
    }

    /// <summary>The number of segment files.</summary>
    public int SegmentCount
    {
        get
        {
            lock (_closed)
            {
                return _closed.Count + 1;
            }
        }
    }

    /// <summary>Stages a record and returns its LSN. Nothing reaches the file until <see cref="Commit"/>.</summary>
    public long Append(ReadOnlySpan<byte> payload)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_broken)
        {
            throw new IOException("The write-ahead log failed earlier and could not be rolled back; reopen the collection.");
        }

        if (payload.Length > _options.MaxRecordBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(payload), $"A WAL record of {payload.Length} bytes exceeds the limit of {_options.MaxRecordBytes} bytes.");
        }

        var size = WalFormat.RecordHeaderSize + payload.Length;
        if (_pendingLength + size > _pending.Length)
        {
            Array.Resize(ref _pending, Math.Max(_pending.Length * 2, _pendingLength + size));
        }

        var lsn = ++_lastLsn;
        WalFormat.WriteRecord(_pending.AsSpan(_pendingLength, size), lsn, payload);
        _pendingLength += size;
        return lsn;
    }

    /// <summary>
    /// Writes the staged records to the open segment in one call and, when <paramref name="fsync"/>
    /// is set, flushes them to disk. On failure the segment is cut back to where it was, the
    /// staged records are forgotten, and the exception propagates.
    /// </summary>
    public void Commit(bool fsync)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_pendingLength == 0)
        {
            if (fsync)
            {
                Sync();
            }

            return;
        }

        var segment = _current;
        var start = segment.Length;
        try
        {
            RandomAccess.Write(segment.Handle, _pending.AsSpan(0, _pendingLength), start);
            segment.Length = start + _pendingLength;
            Volatile.Write(ref _writtenLsn, _lastLsn);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            RollBack(segment, start);
            throw;
        }
        finally
        {
            _pendingLength = 0;
        }

        if (fsync)
        {
            Sync();
        }

        if (segment.Length >= _options.SegmentBytes)
        {
            Rotate();
        }
    }

    /// <summary>Drops staged records that were never committed (their LSNs are reused).</summary>
    public void DiscardPending()
    {
        _pendingLength = 0;
        _lastLsn = _writtenLsn;
    }

    private void RollBack(OpenSegment segment, long length)
    {
        _lastLsn = _writtenLsn;
        try
        {
            RandomAccess.SetLength(segment.Handle, length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _broken = true;
        }
    }

    /// <summary>Makes every written record durable (fsync). Safe to call from another thread.</summary>
    public void Sync()
    {
        var target = Volatile.Read(ref _writtenLsn);
        if (target <= Volatile.Read(ref _durableLsn))
        {
            return;
        }

        OpenSegment segment;
        lock (_handleGate)
        {
            segment = _current;
        }

        try
        {
            RandomAccess.FlushToDisk(segment.Handle);
        }
        catch (ObjectDisposedException)
        {
            // The segment was rotated (which fsyncs it) or the log closed meanwhile.
            return;
        }

        // Advance monotonically: a concurrent Sync may have covered more already.
        long seen;
        do
        {
            seen = Volatile.Read(ref _durableLsn);
            if (seen >= target)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _durableLsn, target, seen) != seen);
    }

    /// <summary>
    /// Closes the open segment (fsynced) and starts a new one for the next LSN. A segment that
    /// holds no record yet is kept as it is.
    /// </summary>
    public void Rotate()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Debug.Assert(_pendingLength == 0, "Rotate with staged records");
        var old = _current;
        if (old.Length == WalFormat.HeaderSize)
        {
            return;
        }

        RandomAccess.FlushToDisk(old.Handle);
        AdvanceDurable(_writtenLsn);
        var next = CreateSegment(_directory, _lastLsn + 1);
        lock (_handleGate)
        {
            _current = next;
        }

        old.Handle.Dispose();
        lock (_closed)
        {
            _closed.Add(new ClosedSegment(old.Path, old.FirstLsn, _lastLsn, old.Length));
        }
    }

    /// <summary>
    /// Deletes closed segments whose records all have LSN ≤ <paramref name="lsn"/> (a snapshot
    /// covers them). The open segment is never deleted. Returns how many were deleted. Safe to
    /// call from another thread than the writer's (a background snapshot).
    /// </summary>
    public int DropThrough(long lsn)
    {
        var dropped = 0;
        while (true)
        {
            ClosedSegment first;
            lock (_closed)
            {
                if (_closed.Count == 0 || _closed[0].LastLsn > lsn)
                {
                    break;
                }

                first = _closed[0];
                _closed.RemoveAt(0);
            }

            File.Delete(first.Path);
            dropped++;
        }

        if (dropped > 0)
        {
            DurableFile.SyncDirectory(_directory);
        }

        return dropped;
    }

    private void AdvanceDurable(long lsn)
    {
        long seen;
        do
        {
            seen = Volatile.Read(ref _durableLsn);
            if (seen >= lsn)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _durableLsn, lsn, seen) != seen);
    }

    private static OpenSegment CreateSegment(string directory, long firstLsn)
    {
        var path = Path.Combine(directory, WalFormat.SegmentName(firstLsn));
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        Span<byte> header = stackalloc byte[WalFormat.HeaderSize];
        WalFormat.WriteHeader(header, firstLsn);
        RandomAccess.Write(handle, header, 0);
        RandomAccess.FlushToDisk(handle);
        DurableFile.SyncDirectory(directory);
        return new OpenSegment(path, firstLsn, handle, WalFormat.HeaderSize);
    }

    /// <summary>Commits nothing further; fsyncs what was written and closes the open segment.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_broken)
            {
                RandomAccess.FlushToDisk(_current.Handle);
                AdvanceDurable(_writtenLsn);
            }
        }
        finally
        {
            lock (_handleGate)
            {
                _current.Handle.Dispose();
            }
        }
    }

    private sealed class OpenSegment(string path, long firstLsn, SafeFileHandle handle, long length)
    {
        public string Path { get; } = path;

        public long FirstLsn { get; } = firstLsn;

        public SafeFileHandle Handle { get; } = handle;

        public long Length { get; set; } = length;
    }

    private sealed record ClosedSegment(string Path, long FirstLsn, long LastLsn, long Length);
}
