using Microsoft.Extensions.Time.Testing;
using RoseForest.Knowledge.Crdt;
using RoseForest.Knowledge.Sync;

namespace RoseForest.Knowledge.Tests;

public sealed class ReplicationJobTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);

    private (ReplicaEndpoint A, ReplicaEndpoint B) Peers(int writesEach)
    {
        var a = new Replica("a", _time);
        var b = new Replica("b", _time);
        for (var i = 0; i < writesEach; i++)
        {
            a.WriteField($"ra{i % 7}", "f", $"a{i}");
            b.WriteField($"rb{i % 5}", "f", $"b{i}");
            if (i % 4 == 0)
            {
                a.AddTag($"ra{i % 7}", "t");
                b.Delete($"rb{(i + 1) % 5}");
            }
        }

        return (new ReplicaEndpoint(a), new ReplicaEndpoint(b));
    }

    [Fact]
    public async Task A_run_pulls_and_pushes_until_both_replicas_agree()
    {
        var (a, b) = Peers(40);
        var bFeed = b.Replica.Changes.LastSequence;
        var job = new ReplicationJob(a, b, new ReplicationOptions { BatchSize = 8 }, _time);
        Assert.Equal(ReplicationPhase.Completed, await job.RunAsync());
        Assert.Equal(a.Replica.State.ContentHash(), b.Replica.State.ContentHash());
        Assert.Equal(1, job.State.SyncVersion);
        Assert.Empty(job.State.PendingChanges);
        Assert.Equal(Start.ToUnixTimeMilliseconds() / 1000.0, job.State.LastSyncTime);
        // b's feed grew during the push (a's changes merged there); those are pulled, as no-ops, next run.
        Assert.Equal(bFeed, await a.GetCheckpointAsync("b", default));
        Assert.Equal(a.Replica.Changes.LastSequence, await b.GetCheckpointAsync("a", default));
    }

    [Fact]
    public async Task An_interrupted_run_keeps_its_checkpoints_and_the_next_run_resumes_there()
    {
        var (a, b) = Peers(40);
        var bFeed = b.Replica.Changes.LastSequence;
        var faultyB = new FaultyEndpoint(b, failOnApply: 3); // the third batch pushed to b is lost with the connection
        var job = new ReplicationJob(a, faultyB, new ReplicationOptions { BatchSize = 8 }, _time);

        Assert.Equal(ReplicationPhase.Failed, await job.RunAsync());
        Assert.IsType<IOException>(job.LastError);
        var pushedBeforeFailure = await b.GetCheckpointAsync("a", default);
        Assert.Equal(16, pushedBeforeFailure);
        Assert.NotEmpty(job.State.PendingChanges);
        Assert.Equal(bFeed, await a.GetCheckpointAsync("b", default)); // the pull had completed

        var bFeedBefore = b.Replica.Changes.LastSequence;
        Assert.Equal(ReplicationPhase.Completed, await job.RunAsync());
        Assert.Equal(a.Replica.State.ContentHash(), b.Replica.State.ContentHash());
        Assert.Empty(job.State.PendingChanges);

        // The resumed run started at the checkpoint: nothing before it was applied twice.
        Assert.Equal(a.Replica.Changes.LastSequence, await b.GetCheckpointAsync("a", default));
        Assert.True(b.Replica.Changes.LastSequence > bFeedBefore);
    }

    [Fact]
    public async Task A_repeated_batch_changes_nothing()
    {
        var (a, b) = Peers(10);
        var batch = await a.ReadChangesAsync(0, 100, default);
        var first = await b.ApplyAsync(batch, default);
        var hash = b.Replica.State.ContentHash();
        var feed = b.Replica.Changes.LastSequence;

        var second = await b.ApplyAsync(batch, default);
        Assert.Equal(batch.Changes.Count, first.Applied);
        Assert.Equal(0, second.Applied);
        Assert.Equal(first.Checkpoint, second.Checkpoint);
        Assert.Equal(hash, b.Replica.State.ContentHash());
        Assert.Equal(feed, b.Replica.Changes.LastSequence);

        // Even merged again behind the checkpoint's back, the deltas are idempotent.
        Assert.False(b.Replica.Merge(batch.Joined()));
        Assert.Equal(hash, b.Replica.State.ContentHash());
    }

    [Fact]
    public async Task A_batch_that_skips_past_the_checkpoint_is_refused()
    {
        var (a, b) = Peers(10);
        var later = await a.ReadChangesAsync(3, 100, default);
        await Assert.ThrowsAsync<ArgumentException>(() => b.ApplyAsync(later, default));
        Assert.Equal(0, await b.GetCheckpointAsync("a", default));
    }

    [Fact]
    public async Task Changes_travel_on_through_a_middle_replica_and_echoes_do_not_grow_feeds()
    {
        var a = new ReplicaEndpoint(new Replica("a", _time));
        var b = new ReplicaEndpoint(new Replica("b", _time));
        var c = new ReplicaEndpoint(new Replica("c", _time));
        a.Replica.WriteField("r", "f", "from-a");
        var ab = new ReplicationJob(a, b, new ReplicationOptions(), _time);
        var bc = new ReplicationJob(b, c, new ReplicationOptions(), _time);
        await ab.RunAsync();
        await bc.RunAsync();
        Assert.True(c.Replica.State.TryGetField("r", "f", out var v));
        Assert.Equal("from-a", v);

        var feeds = (a.Replica.Changes.LastSequence, b.Replica.Changes.LastSequence, c.Replica.Changes.LastSequence);
        await ab.RunAsync();
        await bc.RunAsync();
        Assert.Equal(feeds, (a.Replica.Changes.LastSequence, b.Replica.Changes.LastSequence, c.Replica.Changes.LastSequence));
        Assert.Equal(2, ab.State.SyncVersion);
    }

    [Fact]
    public async Task A_run_exchanges_acknowledgements_so_delete_markers_can_be_collected()
    {
        var a = new ReplicaEndpoint(new Replica("a", _time));
        var b = new ReplicaEndpoint(new Replica("b", _time));
        a.Replica.AddPeer("b");
        b.Replica.AddPeer("a");
        a.Replica.WriteField("r", "f", "1");
        a.Replica.Delete("r");
        var job = new ReplicationJob(a, b, new ReplicationOptions(), _time);
        await job.RunAsync();
        Assert.Equal(1, a.Replica.CollectGarbage());
        Assert.Equal(1, b.Replica.CollectGarbage());
        Assert.Empty(a.Replica.State.Tombstones);
    }

    [Fact]
    public async Task Concurrent_writes_met_during_a_pull_are_counted_as_conflicts()
    {
        var a = new ReplicaEndpoint(new Replica("a", _time));
        var b = new ReplicaEndpoint(new Replica("b", _time));
        a.Replica.WriteField("r", "f", "1");
        b.Replica.WriteField("r", "f", "2");
        var job = new ReplicationJob(a, b, new ReplicationOptions(), _time);
        await job.RunAsync();
        Assert.Equal(1, job.State.ConflictCount);
    }
}
