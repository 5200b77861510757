using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace RoseForest.Engine.Tests;

/// <summary>
/// Issue 11's change feed: a follower that applies the feed to its own collection ends
/// identical to the source, across checkpoints (its pin holds the log) and reopenings; a
/// follower too far behind is told to resync and can, from a snapshot.
/// </summary>
public class ChangeFeedTests
{
    private static CollectionOptions Options => new()
    {
        Dimension = 4,
        Geometry = Geometry.Euclid,
        WalSegmentBytes = 4096,
        CheckpointWalBytes = 8192,
    };

    [Fact]
    public async Task A_follower_rebuilds_an_identical_collection_across_checkpoints_and_reopens()
    {
        using var source = new TempDir();
        await using var follower = RoseForestDatabase.CreateInMemory();
        var replica = await follower.CreateCollectionAsync("c", Options);
        long next = 1;
        var rng = new Random(7);
        for (var round = 0; round < 3; round++)
        {
            await using (var db = await RoseForestDatabase.OpenAsync(source.Path))
            {
                var c = db.TryGetCollection("c", out var existing) ? existing : await db.CreateCollectionAsync("c", Options);
                await c.RegisterFollowerAsync("replica", next);
                await ChangeWorkload.RandomWritesAsync(c, rng, 150);
                await c.CheckpointAsync(); // drops the log the pin does not hold

                // Follow to the end, in small batches.
                while (true)
                {
                    var batch = await c.ReadChangesAsync(next, maxRecords: 17);
                    if (batch.Records.Count == 0)
                    {
                        break;
                    }

                    foreach (var change in batch.Records)
                    {
                        Assert.Equal(next, change.Lsn);
                        await change.Operation.ApplyAsync(replica);
                        next = change.Lsn + 1;
                    }

                    Assert.Equal(next, batch.NextLsn);
                    await c.RegisterFollowerAsync("replica", next);
                }

                Assert.Equal(c.LastLsn + 1, next);
                await ChangeWorkload.AssertSameAsync(c, replica);
            }
        }
    }

    [Fact]
    public async Task Without_a_pin_a_checkpoint_drops_the_log_and_the_follower_is_told_to_resync_from_a_snapshot()
    {
        using var tmp = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var c = await db.CreateCollectionAsync("c", Options);
        await ChangeWorkload.RandomWritesAsync(c, new Random(3), 120);
        await c.CheckpointAsync();

        var gap = await Assert.ThrowsAsync<ChangeFeedGapException>(() => c.ReadChangesAsync(1));
        Assert.Equal(1, gap.RequestedLsn);
        Assert.True(gap.OldestAvailableLsn > 1);

        // Resync: a snapshot, then the feed after its LSN.
        var snapshot = await db.Snapshots.CreateAsync("c");
        await ChangeWorkload.RandomWritesAsync(c, new Random(4), 30);
        await using var follower = await RoseForestDatabase.OpenAsync(Path.Combine(tmp.Path, "follower"));
        await using (var stream = await db.Snapshots.OpenAsync("c", snapshot.Name))
        {
            await follower.Snapshots.RestoreAsync("c", stream, snapshot.Checksum);
        }

        var replica = follower.GetCollection("c");
        var batch = await c.ReadChangesAsync(snapshot.Lsn + 1, maxRecords: 1000);
        foreach (var change in batch.Records)
        {
            await change.Operation.ApplyAsync(replica);
        }

        await ChangeWorkload.AssertSameAsync(c, replica);
    }

    [Fact]
    public async Task A_pin_holds_the_log_only_up_to_the_cap_then_the_follower_must_resync()
    {
        using var tmp = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path, new DatabaseOptions { MaxRetainedWalBytes = 16 * 1024 });
        var c = await db.CreateCollectionAsync("c", Options);
        await c.RegisterFollowerAsync("slow", 1);
        await ChangeWorkload.RandomWritesAsync(c, new Random(5), 40);
        await c.CheckpointAsync();
        Assert.Single((await c.ReadChangesAsync(1, maxRecords: 1)).Records); // still held

        await ChangeWorkload.RandomWritesAsync(c, new Random(6), 400);
        await c.CheckpointAsync();
        await Assert.ThrowsAsync<ChangeFeedGapException>(() => c.ReadChangesAsync(1));
    }

    [Fact]
    public async Task A_reader_at_the_end_waits_on_the_clock_for_the_next_write()
    {
        var time = new FakeTimeProvider();
        using var tmp = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path, new DatabaseOptions { TimeProvider = time });
        var c = await db.CreateCollectionAsync("c", Options);
        await c.UpsertAsync([new PointStruct(1, [1, 2, 3, 4])]);

        // Nothing after LSN 1: the read waits; a write wakes it.
        var waiting = c.ReadChangesAsync(2, wait: TimeSpan.FromSeconds(30));
        Assert.False(waiting.IsCompleted);
        await c.UpsertAsync([new PointStruct(2, [1, 2, 3, 4])]);
        var batch = await waiting;
        Assert.Equal(2, Assert.Single(batch.Records).Lsn);

        // With no write, it answers empty when the fake clock passes the wait.
        var idle = c.ReadChangesAsync(3, wait: TimeSpan.FromSeconds(30));
        Assert.False(idle.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(31));
        var empty = await idle;
        Assert.Empty(empty.Records);
        Assert.Equal(3, empty.NextLsn);
    }

    [Fact]
    public async Task Follower_pins_survive_a_restart()
    {
        using var tmp = new TempDir();
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var c = await db.CreateCollectionAsync("c", Options);
            await c.RegisterFollowerAsync("kept", 1);
            await ChangeWorkload.RandomWritesAsync(c, new Random(8), 60);
        }

        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var c = db.GetCollection("c");
            await c.CheckpointAsync();
            Assert.Equal(1, (await c.ReadChangesAsync(1, maxRecords: 1)).Records[0].Lsn);
            Assert.True(await c.RemoveFollowerAsync("kept"));
            await ChangeWorkload.RandomWritesAsync(c, new Random(9), 10);
            await c.CheckpointAsync();
            await Assert.ThrowsAsync<ChangeFeedGapException>(() => c.ReadChangesAsync(1));
            await Assert.ThrowsAsync<ValidationException>(() => c.RegisterFollowerAsync("bad name!", 1));
        }
    }
}
