using System.Text;
using RoseForest.Storage.Wal;

namespace RoseForest.Storage.Tests;

public class WalTests
{
    private static readonly WalOptions Small = new() { SegmentBytes = 4096 };

    private static byte[] Record(long i) => Encoding.UTF8.GetBytes($"record-{i}-" + new string((char)('a' + (i % 26)), (int)(i % 97)));

    private static WriteAheadLog Write(string dir, int count, WalOptions? options = null, bool commitEach = true)
    {
        var wal = WriteAheadLog.Open(dir, options ?? Small, 0, false, (_, _) => { }, out _);
        for (var i = 1; i <= count; i++)
        {
            Assert.Equal(i, wal.Append(Record(i)));
            if (commitEach || i == count)
            {
                wal.Commit(fsync: i % 10 == 0);
            }
        }

        return wal;
    }

    private static List<(long Lsn, byte[] Payload)> Replay(string dir, out WalRecoveryReport report, long after = 0, bool salvage = false, WalOptions? options = null)
    {
        var seen = new List<(long, byte[])>();
        using var wal = WriteAheadLog.Open(dir, options ?? Small, after, salvage, (lsn, p) => seen.Add((lsn, p.ToArray())), out report);
        return seen;
    }

    [Fact]
    public void Records_come_back_in_order_across_segments()
    {
        using var tmp = new TempDir();
        using (var wal = Write(tmp.Path, 500))
        {
            Assert.True(wal.SegmentCount > 3, "the test should span several segments");
        }

        var records = Replay(tmp.Path, out var report);
        Assert.True(report.IsClean);
        Assert.Equal(500, records.Count);
        for (var i = 0; i < 500; i++)
        {
            Assert.Equal(i + 1, records[i].Lsn);
            Assert.Equal(Record(i + 1), records[i].Payload);
        }
    }

    [Fact]
    public void Replay_skips_records_the_snapshot_covers_and_appends_continue_the_lsns()
    {
        using var tmp = new TempDir();
        Write(tmp.Path, 100).Dispose();
        var records = Replay(tmp.Path, out _, after: 60);
        Assert.Equal(Enumerable.Range(61, 40).Select(i => (long)i), records.Select(r => r.Lsn));
        using (var wal = WriteAheadLog.Open(tmp.Path, Small, 60, false, (_, _) => { }, out _))
        {
            Assert.Equal(101, wal.Append(Record(101)));
            wal.Commit(true);
        }

        Assert.Equal(101, Replay(tmp.Path, out _).Count);
    }

    [Fact]
    public void Dropping_covered_segments_keeps_the_rest_replayable()
    {
        using var tmp = new TempDir();
        using (var wal = Write(tmp.Path, 300))
        {
            wal.Rotate();
            var dropped = wal.DropThrough(300);
            Assert.True(dropped > 0);
            Assert.Equal(301, wal.Append(Record(301)));
            wal.Commit(true);
        }

        var records = Replay(tmp.Path, out var report, after: 300);
        Assert.True(report.IsClean);
        Assert.Equal([301L], records.Select(r => r.Lsn));
    }

    [Fact]
    public void A_tail_truncated_at_any_offset_keeps_every_complete_record()
    {
        var rng = new Random(21);
        using var source = new TempDir();
        Write(source.Path, 40, new WalOptions { SegmentBytes = 1 << 20 }).Dispose();
        var segment = Directory.GetFiles(source.Path, "*.wal").Single();
        var full = File.ReadAllBytes(segment);
        var ends = RecordEnds(full);

        for (var trial = 0; trial < 60; trial++)
        {
            using var tmp = new TempDir();
            var cut = rng.Next(WalFormat.HeaderSize, full.Length);
            File.WriteAllBytes(Path.Combine(tmp.Path, Path.GetFileName(segment)), full.AsSpan(0, cut).ToArray());
            var complete = ends.Count(e => e <= cut);

            var records = Replay(tmp.Path, out var report, options: new WalOptions { SegmentBytes = 1 << 20 });
            Assert.Equal(complete, records.Count);
            var tornBytes = cut - (complete == 0 ? WalFormat.HeaderSize : ends[complete - 1]);
            if (tornBytes == 0)
            {
                Assert.True(report.IsClean);
            }
            else
            {
                var torn = Assert.Single(report.TornTails);
                Assert.Equal(tornBytes, torn.Bytes);
            }

            // The log was cut back to the last complete record and takes appends again.
            using var wal = WriteAheadLog.Open(tmp.Path, Small, 0, false, (_, _) => { }, out _);
            Assert.Equal(complete + 1, wal.Append([1, 2, 3]));
            wal.Commit(true);
        }
    }

    [Fact]
    public void A_flipped_byte_in_the_last_record_drops_only_that_record()
    {
        var rng = new Random(22);
        using var source = new TempDir();
        Write(source.Path, 30, new WalOptions { SegmentBytes = 1 << 20 }).Dispose();
        var segment = Directory.GetFiles(source.Path, "*.wal").Single();
        var full = File.ReadAllBytes(segment);
        var ends = RecordEnds(full);
        var lastStart = ends[^2];

        for (var trial = 0; trial < 40; trial++)
        {
            using var tmp = new TempDir();
            var damaged = full.ToArray();
            var at = rng.Next(lastStart, full.Length);
            damaged[at] ^= (byte)(1 << rng.Next(8));
            File.WriteAllBytes(Path.Combine(tmp.Path, Path.GetFileName(segment)), damaged);

            var records = Replay(tmp.Path, out var report);
            Assert.Equal(29, records.Count);
            var torn = Assert.Single(report.TornTails);
            Assert.Equal(lastStart, torn.Offset);
        }
    }

    [Fact]
    public void Damage_before_the_tail_refuses_to_open_naming_file_and_offset()
    {
        using var tmp = new TempDir();
        Write(tmp.Path, 30, new WalOptions { SegmentBytes = 1 << 20 }).Dispose();
        var segment = Directory.GetFiles(tmp.Path, "*.wal").Single();
        var bytes = File.ReadAllBytes(segment);
        var ends = RecordEnds(bytes);
        var victim = ends[9]; // start of record 11
        bytes[victim + 20] ^= 0xFF;
        File.WriteAllBytes(segment, bytes);

        var e = Assert.Throws<StorageCorruptionException>(() => Replay(tmp.Path, out _, options: new WalOptions { SegmentBytes = 1 << 20 }));
        Assert.Equal(segment, e.FilePath);
        Assert.Equal(victim, e.Offset);
        Assert.Contains(Path.GetFileName(segment), e.Message, StringComparison.Ordinal);

        // Nothing was changed by the refusal.
        Assert.Equal(bytes, File.ReadAllBytes(segment));
    }

    [Fact]
    public void Salvage_keeps_the_good_prefix_and_moves_the_rest_aside()
    {
        using var tmp = new TempDir();
        Write(tmp.Path, 200).Dispose();
        var segments = Directory.GetFiles(tmp.Path, "*.wal").Order(StringComparer.Ordinal).ToArray();
        Assert.True(segments.Length >= 3);
        var middle = segments[1];
        var bytes = File.ReadAllBytes(middle);
        var ends = RecordEnds(bytes);
        bytes[ends[2] + 18] ^= 0x01;
        File.WriteAllBytes(middle, bytes);
        var before = segments.Sum(s => new FileInfo(s).Length);

        Assert.Throws<StorageCorruptionException>(() => Replay(tmp.Path, out _));
        var records = Replay(tmp.Path, out var report, salvage: true);

        Assert.NotEmpty(records);
        Assert.Equal(Enumerable.Range(1, records.Count).Select(i => (long)i), records.Select(r => r.Lsn));
        Assert.NotEmpty(report.Salvaged);
        Assert.All(report.Salvaged, d => Assert.True(File.Exists(d.MovedTo)));

        // Nothing was deleted: the kept prefix plus the moved bytes add up to what was there.
        var after = Directory.GetFiles(tmp.Path).Sum(f => new FileInfo(f).Length);
        Assert.True(after >= before, $"{after} < {before}");

        // And the salvaged log takes new writes after its last good record.
        using var wal = WriteAheadLog.Open(tmp.Path, Small, 0, false, (_, _) => { }, out var clean);
        Assert.True(clean.IsClean);
        Assert.Equal(records.Count + 1, wal.Append([9]));
    }

    [Fact]
    public void A_failed_commit_leaves_the_log_as_it_was()
    {
        using var tmp = new TempDir();
        using var wal = Write(tmp.Path, 5);
        wal.Append(Record(6));
        wal.DiscardPending();
        Assert.Equal(5, wal.LastLsn);
        Assert.Equal(6, wal.Append(Record(6)));
        wal.Commit(true);
        wal.Dispose();
        Assert.Equal(6, Replay(tmp.Path, out _).Count);
    }

    [Fact]
    public void Sync_advances_the_durable_lsn()
    {
        using var tmp = new TempDir();
        using var wal = WriteAheadLog.Open(tmp.Path, Small, 0, false, (_, _) => { }, out _);
        wal.Append([1]);
        wal.Commit(fsync: false);
        Assert.Equal(1, wal.WrittenLsn);
        Assert.Equal(0, wal.DurableLsn);
        wal.Sync();
        Assert.Equal(1, wal.DurableLsn);
    }

    /// <summary>The end offset of each intact record in a segment file.</summary>
    private static List<int> RecordEnds(byte[] file)
    {
        var ends = new List<int>();
        long offset = WalFormat.HeaderSize;
        while (true)
        {
            var size = WalFormat.TryReadRecord(file, offset, 1 << 20, out _, out _);
            if (size == 0)
            {
                return ends;
            }

            offset += size;
            ends.Add((int)offset);
        }
    }
}
