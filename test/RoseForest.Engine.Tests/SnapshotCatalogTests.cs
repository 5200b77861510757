using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using RoseForest.Engine.Snapshots;

namespace RoseForest.Engine.Tests;

/// <summary>Issue 11: one snapshot catalogue in the engine, durable copies with checksums computed once.</summary>
public class SnapshotCatalogTests
{
    private static CollectionOptions Options => new() { Dimension = 4, Geometry = Geometry.Euclid, WalSegmentBytes = 4096, CheckpointWalBytes = 8192 };

    [Fact]
    public async Task A_snapshot_is_a_durable_copy_with_its_checksum_stored_and_outlives_later_checkpoints()
    {
        using var tmp = new TempDir();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path, new DatabaseOptions { TimeProvider = time });
        var c = await db.CreateCollectionAsync("c", Options);
        await ChangeWorkload.RandomWritesAsync(c, new Random(1), 60);
        var expectedLsn = c.LastLsn;

        var s = await db.Snapshots.CreateAsync("c");
        Assert.Equal($"c-{expectedLsn}-2026-01-02-03-04-05.snapshot", s.Name);
        Assert.Equal(expectedLsn, s.Lsn);
        var file = Path.Combine(tmp.Path, "snapshots", "c", s.Name);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file))), s.Checksum);
        Assert.Equal(s.Checksum, (await File.ReadAllTextAsync(file + ".checksum")).Trim());

        // Later checkpoints replace the engine's own file; the catalogue's copy stays.
        await ChangeWorkload.RandomWritesAsync(c, new Random(2), 200);
        await c.CheckpointAsync();
        await c.CheckpointAsync();
        Assert.True(File.Exists(file));

        // Listing reads the stored checksum: it does not hash the file again (a damaged copy
        // still lists with the checksum it was made with, and a restore with it is refused).
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[^5] ^= 1;
        await File.WriteAllBytesAsync(file, bytes);
        Assert.Equal(s.Checksum, Assert.Single(await db.Snapshots.ListAsync("c")).Checksum);
        await using (var damaged = File.OpenRead(file))
        {
            await Assert.ThrowsAsync<ValidationException>(() => db.Snapshots.RestoreAsync("copy", damaged, s.Checksum));
        }

        Assert.False(db.CollectionExists("copy"));
    }

    [Fact]
    public void A_snapshot_deleted_between_the_listing_and_its_description_is_left_out()
    {
        using var tmp = new TempDir();
        var kept = Path.Combine(tmp.Path, "c-7-2026-01-02-03-04-05.snapshot");
        File.WriteAllBytes(kept, new byte[42]);
        File.WriteAllText(kept + ".checksum", "ab\n");
        Assert.Equal(42, SnapshotCatalog.TryDescribe(kept)?.Size);

        // Listed, then deleted: first the file (the sidecar still there), then both.
        var half = Path.Combine(tmp.Path, "c-8-2026-01-02-03-04-06.snapshot");
        File.WriteAllText(half + ".checksum", "cd\n");
        Assert.Null(SnapshotCatalog.TryDescribe(half));
        Assert.Null(SnapshotCatalog.TryDescribe(Path.Combine(tmp.Path, "gone.snapshot")));
        Assert.Null(SnapshotCatalog.TryDescribe(Path.Combine(tmp.Path, "no-such-dir", "gone.snapshot")));
    }

    [Fact]
    public async Task Listing_snapshots_while_others_are_deleted_never_fails()
    {
        using var tmp = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var c = await db.CreateCollectionAsync("c", Options);
        await ChangeWorkload.RandomWritesAsync(c, new Random(9), 20);
        var s = await db.Snapshots.CreateAsync("c");
        var folder = Path.Combine(tmp.Path, "snapshots", "c");
        using var stop = new CancellationTokenSource();
        var churn = Task.Run(async () =>
        {
            // Rounds of 50 small catalogue files appearing and being deleted through the catalogue.
            while (!stop.IsCancellationRequested)
            {
                for (var i = 0; i < 50; i++)
                {
                    var name = Path.Combine(folder, $"copy-{i:D2}.snapshot");
                    File.WriteAllBytes(name, new byte[16]);
                    File.WriteAllText(name + ".checksum", "00\n");
                }

                for (var i = 0; i < 50; i++)
                {
                    await db.Snapshots.DeleteAsync("c", $"copy-{i:D2}.snapshot");
                }
            }
        });

        try
        {
            var sawCopies = 0;
            for (var i = 0; i < 3000 || (sawCopies < 100 && i < 200_000); i++)
            {
                var listed = await db.Snapshots.ListAsync("c");
                Assert.Contains(listed, d => d.Name == s.Name);
                sawCopies += listed.Count > 1 ? 1 : 0;
            }

            Assert.True(sawCopies >= 100, $"only {sawCopies} listings overlapped the churn");
        }
        finally
        {
            stop.Cancel();
            await churn;
        }
    }

    [Fact]
    public async Task A_snapshot_restores_into_a_collection_of_any_name_with_the_state_at_its_lsn()
    {
        using var tmp = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var c = await db.CreateCollectionAsync("c", Options);
        await ChangeWorkload.RandomWritesAsync(c, new Random(3), 80);
        var s = await db.Snapshots.CreateAsync("c");
        await db.Snapshots.RestoreFromCatalogAsync("copy", s.Name, s.Checksum);
        await ChangeWorkload.AssertSameAsync(c, db.GetCollection("copy"));

        await Assert.ThrowsAsync<ValidationException>(() => db.Snapshots.RestoreFromCatalogAsync("x", "../../etc/passwd.snapshot"));
        await Assert.ThrowsAsync<ValidationException>(() => db.Snapshots.RestoreFromCatalogAsync("x", "/etc/c/c.snapshot"));
        await Assert.ThrowsAsync<NotFoundException>(() => db.Snapshots.RestoreFromCatalogAsync("x", "nothing.snapshot"));
        await Assert.ThrowsAsync<ValidationException>(() => db.Snapshots.OpenAsync("c", "bad name"));
        await Assert.ThrowsAsync<CollectionNotFoundException>(() => db.Snapshots.CreateAsync("missing"));
        Assert.True(await db.Snapshots.DeleteAsync("c", s.Name));
        Assert.Empty(await db.Snapshots.ListAsync("c"));
        Assert.False(File.Exists(Path.Combine(tmp.Path, "snapshots", "c", s.Name + ".checksum")));
    }

    [Fact]
    public async Task A_background_snapshot_is_tracked_and_its_failure_is_reported_in_the_collection_info()
    {
        using var tmp = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var c = await db.CreateCollectionAsync("c", Options);
        await c.UpsertAsync([new PointStruct(1, [1, 2, 3, 4])]);

        await db.Snapshots.StartCreateAsync("c");
        await db.Catalog.WaitForBackgroundAsync();
        Assert.Single(await db.Snapshots.ListAsync("c"));
        Assert.Null(db.GetCollectionInfo("c").LastSnapshotError);

        // A file where the collection's snapshot folder belongs makes the copy fail.
        var d = await db.CreateCollectionAsync("d", Options);
        await d.UpsertAsync([new PointStruct(1, [1, 2, 3, 4])]);
        await File.WriteAllTextAsync(Path.Combine(tmp.Path, "snapshots", "d"), "in the way");
        await db.Snapshots.StartCreateAsync("d");
        await db.Catalog.WaitForBackgroundAsync();
        Assert.NotNull(db.GetCollectionInfo("d").LastSnapshotError);

        // Once the cause is gone, the next snapshot clears it.
        File.Delete(Path.Combine(tmp.Path, "snapshots", "d"));
        await db.Snapshots.CreateAsync("d");
        Assert.Null(db.GetCollectionInfo("d").LastSnapshotError);
    }
}
