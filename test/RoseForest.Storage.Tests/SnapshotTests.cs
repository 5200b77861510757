using RoseForest.Storage.Snapshots;

namespace RoseForest.Storage.Tests;

public class SnapshotTests
{
    [Fact]
    public void Sections_round_trip_and_the_file_appears_atomically()
    {
        using var tmp = new TempDir();
        var store = new SnapshotStore(tmp.Path);
        var big = new byte[3_000_000];
        new Random(1).NextBytes(big);
        var file = store.Write(42, w =>
        {
            w.WriteSection(1, [1, 2, 3]);
            w.BeginSection(2);
            w.Write(big.AsSpan(0, 1000));
            w.Write(big.AsSpan(1000));
            w.EndSection();
        });

        Assert.Equal(42, file.Lsn);
        Assert.Empty(Directory.GetFiles(tmp.Path, "*.tmp"));
        Assert.Equal(42, SnapshotReader.Verify(file.Path));
        using var reader = SnapshotReader.Open(file.Path);
        Assert.True(reader.TryReadSection(out var t1, out var p1));
        Assert.Equal(1u, t1);
        Assert.Equal(new byte[] { 1, 2, 3 }, p1);
        Assert.True(reader.TryReadSection(out var t2, out var p2));
        Assert.Equal(2u, t2);
        Assert.Equal(big, p2);
        Assert.False(reader.TryReadSection(out _, out _));
    }

    [Fact]
    public void Any_flipped_byte_or_truncation_is_detected()
    {
        using var tmp = new TempDir();
        var store = new SnapshotStore(tmp.Path);
        var file = store.Write(7, w =>
        {
            w.WriteSection(1, new byte[500]);
            w.WriteSection(2, new byte[700]);
        });

        var good = File.ReadAllBytes(file.Path);
        var rng = new Random(3);
        for (var trial = 0; trial < 100; trial++)
        {
            var bad = good.ToArray();
            if (trial % 2 == 0)
            {
                bad[rng.Next(bad.Length)] ^= (byte)(1 << rng.Next(8));
            }
            else
            {
                bad = bad.AsSpan(0, rng.Next(bad.Length)).ToArray();
            }

            File.WriteAllBytes(file.Path, bad);
            var e = Assert.Throws<StorageCorruptionException>(() => SnapshotReader.Verify(file.Path));
            Assert.Equal(file.Path, e.FilePath);
        }
    }

    [Fact]
    public void A_failed_write_leaves_no_file_behind()
    {
        using var tmp = new TempDir();
        var store = new SnapshotStore(tmp.Path);
        Assert.Throws<InvalidOperationException>(() => store.Write(3, _ => throw new InvalidOperationException("boom")));
        Assert.Empty(Directory.GetFiles(tmp.Path));
    }

    [Fact]
    public void Older_snapshots_are_deleted_after_a_newer_one_lands()
    {
        using var tmp = new TempDir();
        var store = new SnapshotStore(tmp.Path);
        store.Write(1, w => w.WriteSection(1, [1]));
        store.Write(2, w => w.WriteSection(1, [2]));
        var newest = store.Write(3, w => w.WriteSection(1, [3]));
        store.DeleteOlderThan(newest);
        Assert.Equal([3L], store.List().Select(s => s.Lsn));
    }
}
