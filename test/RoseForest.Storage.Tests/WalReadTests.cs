using System.Buffers.Binary;
using RoseForest.Storage.Wal;

namespace RoseForest.Storage.Tests;

/// <summary>Reading the log while it is written: what the change feed is built on.</summary>
public class WalReadTests
{
    private static byte[] Record(long n)
    {
        var bytes = new byte[8 + (int)(n % 50)];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, n);
        return bytes;
    }

    private static List<long> ReadAll(WriteAheadLog wal, long from, long through, int max)
    {
        var seen = new List<long>();
        wal.Read(from, through, max, long.MaxValue, (lsn, payload) =>
        {
            Assert.Equal(lsn, BinaryPrimitives.ReadInt64LittleEndian(payload));
            Assert.Equal(8 + (int)(lsn % 50), payload.Length);
            seen.Add(lsn);
        });
        return seen;
    }

    [Fact]
    public void Records_read_back_in_lsn_order_across_segments_from_any_start_within_the_bounds()
    {
        using var tmp = new TempDir();
        using var wal = WriteAheadLog.Open(tmp.Path, new WalOptions { SegmentBytes = 512 }, 0, false, static (_, _) => { }, out _);
        for (var n = 1; n <= 300; n++)
        {
            wal.Append(Record(n));
            if (n % 7 == 0)
            {
                wal.Commit(fsync: false);
            }
        }

        wal.Commit(fsync: false);
        Assert.True(wal.SegmentCount > 10);

        // Sequential batches (served from the remembered position), then arbitrary starts.
        var all = new List<long>();
        long next = 1;
        while (next <= 300)
        {
            var batch = ReadAll(wal, next, long.MaxValue, 13);
            Assert.NotEmpty(batch);
            all.AddRange(batch);
            next = batch[^1] + 1;
        }

        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), all);
        Assert.Equal(Enumerable.Range(150, 5).Select(i => (long)i), ReadAll(wal, 150, long.MaxValue, 5));
        Assert.Equal(Enumerable.Range(20, 11).Select(i => (long)i), ReadAll(wal, 20, 30, 100));
        Assert.Equal(Enumerable.Range(2, 3).Select(i => (long)i), ReadAll(wal, 2, 4, 100));
        Assert.Empty(ReadAll(wal, 301, long.MaxValue, 10));

        // Staged but not committed records are not visible.
        wal.Append(Record(301));
        Assert.Empty(ReadAll(wal, 301, long.MaxValue, 10));
        wal.Commit(fsync: false);
        Assert.Equal([301L], ReadAll(wal, 301, long.MaxValue, 10));

        // Dropped segments move OldestLsn; what remains still reads.
        wal.Rotate();
        wal.DropThrough(200);
        Assert.True(wal.OldestLsn > 1 && wal.OldestLsn <= 201);
        Assert.Equal(wal.OldestLsn, ReadAll(wal, wal.OldestLsn, long.MaxValue, 1)[0]);
    }
}
