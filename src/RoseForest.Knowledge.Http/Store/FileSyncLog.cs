using System.Buffers.Binary;
using RoseForest.Storage;
using RoseForest.Storage.IO;
using RoseForest.Storage.Wal;

namespace RoseForest.Knowledge.Http.Store;

/// <summary>
/// A sync log in a folder: <c>state.snapshot</c> (magic "RFSS", version 1, the last LSN it covers,
/// the CRC32C of the body, the body) written atomically, and a write-ahead log (RoseForest.Storage's
/// segmented WAL, CRC32C per record, torn tails cut on open) in <c>wal/</c>. Every append is
/// fsynced before it returns.
/// </summary>
internal sealed class FileSyncLog : ISyncLog
{
    private const int HeaderSize = 4 + 1 + 8 + 4;
    private readonly string _snapshotPath;
    private readonly WriteAheadLog _wal;
    private List<byte[]> _loaded;
    private byte[]? _snapshot;

    private FileSyncLog(string snapshotPath, WriteAheadLog wal, byte[]? snapshot, List<byte[]> loaded, long bytes)
    {
        _snapshotPath = snapshotPath;
        _wal = wal;
        _snapshot = snapshot;
        _loaded = loaded;
        BytesSinceSnapshot = bytes;
    }

    public byte[]? LoadedSnapshot => _snapshot;

    public IReadOnlyList<byte[]> LoadedRecords => _loaded;

    public long BytesSinceSnapshot { get; private set; }

    /// <summary>Opens (or creates) the log in <paramref name="directory"/>, reading what it holds.</summary>
    public static FileSyncLog Open(string directory)
    {
        Directory.CreateDirectory(directory);
        var snapshotPath = Path.Combine(directory, "state.snapshot");
        byte[]? snapshot = null;
        long snapshotLsn = 0;
        if (File.Exists(snapshotPath))
        {
            var bytes = File.ReadAllBytes(snapshotPath);
            if (bytes.Length < HeaderSize || !bytes.AsSpan(0, 4).SequenceEqual("RFSS"u8) || bytes[4] != 1)
            {
                throw new StorageCorruptionException(snapshotPath, 0, "not a RoseForest sync snapshot");
            }

            snapshotLsn = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(5));
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(13));
            snapshot = bytes[HeaderSize..];
            if (Crc32C.Compute(snapshot) != crc)
            {
                throw new StorageCorruptionException(snapshotPath, HeaderSize, "the snapshot's checksum does not match");
            }
        }

        var records = new List<byte[]>();
        long total = 0;
        var wal = WriteAheadLog.Open(Path.Combine(directory, "wal"), new WalOptions { SegmentBytes = 8L << 20 }, snapshotLsn, salvage: false, (_, payload) =>
        {
            records.Add(payload.ToArray());
            total += payload.Length;
        }, out _);
        return new FileSyncLog(snapshotPath, wal, snapshot, records, total);
    }

    public void Append(ReadOnlySpan<byte> record)
    {
        _wal.Append(record);
        _wal.Commit(fsync: true);
        BytesSinceSnapshot += record.Length;
    }

    public void Snapshot(ReadOnlySpan<byte> snapshot)
    {
        var lsn = _wal.LastLsn;
        var file = new byte[HeaderSize + snapshot.Length];
        "RFSS"u8.CopyTo(file);
        file[4] = 1;
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(5), lsn);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(13), Crc32C.Compute(snapshot));
        snapshot.CopyTo(file.AsSpan(HeaderSize));
        DurableFile.WriteAllBytesAtomic(_snapshotPath, file);
        _wal.Rotate();
        _wal.DropThrough(lsn);
        BytesSinceSnapshot = 0;
    }

    public void ReleaseLoaded()
    {
        _snapshot = null;
        _loaded = [];
    }

    public void Dispose() => _wal.Dispose();
}
