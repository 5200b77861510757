using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;
using RoseForest.Cluster.Catalog;
using RoseForest.Cluster.Control;
using RoseForest.Cluster.Routing;

namespace RoseForest.Cluster.Tests;

/// <summary>The pieces that need no PostgreSQL: routing, merging, tokens, the controller's decisions, node health and the breaker on a fake clock.</summary>
public class UnitTests
{
    private static readonly ClusterOptions Options = new() { ConnectionString = "Host=unused", NodeLease = TimeSpan.FromSeconds(5), ReplaceDeadAfter = TimeSpan.FromSeconds(30), CatchUpLag = 10 };

    [Fact]
    public void Auto_sharding_is_a_fixed_function_of_the_id_and_spreads_evenly()
    {
        // Golden values: where points live must never change between versions.
        Assert.Equal(0xE220A8397B1DCDAFUL, ShardRouting.Hash(PointId.FromNumber(0)));
        Assert.Equal(ShardRouting.Hash(PointId.FromUuid(Guid.Parse("11111111-2222-3333-4444-555555555555"))), ShardRouting.Hash(PointId.FromUuid(Guid.Parse("11111111-2222-3333-4444-555555555555"))));
        var counts = new int[3];
        for (ulong i = 0; i < 30_000; i++)
        {
            counts[ShardRouting.Hash(PointId.FromNumber(i)) % 3]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 9_700, 10_300));
    }

    [Fact]
    public void Top_k_merge_orders_by_score_in_the_geometry_direction_then_by_id_and_applies_the_offset()
    {
        ScoredPoint P(ulong id, double score) => new(PointId.FromNumber(id), 1, score, null, null);
        IReadOnlyList<ScoredPoint>[] shards = [[P(1, 0.9), P(4, 0.5)], [P(2, 0.9), P(3, 0.7)]];
        Assert.Equal([2UL, 3], ResultMerge.TopK(shards, 2, 1, higherIsBetter: true).Select(p => p.Id.Number));
        Assert.Equal([4UL, 3], ResultMerge.TopK(shards, 2, 0, higherIsBetter: false).Select(p => p.Id.Number));
    }

    [Fact]
    public void Scroll_merge_takes_the_first_ids_overall_and_continues_at_the_next_one()
    {
        Contracts.Record R(ulong id) => new(PointId.FromNumber(id), 1, null, null);
        var page = ResultMerge.Scroll([new([R(1), R(5)], PointId.FromNumber(7)), new([R(2), R(3)], PointId.FromNumber(4))], 3);
        Assert.Equal([1UL, 2, 3], page.Points.Select(p => p.Id.Number));
        Assert.Equal(5UL, page.NextOffset!.Value.Number);
        var last = ResultMerge.Scroll([new([R(9)], null), new([], null)], 3);
        Assert.Null(last.NextOffset);
    }

    [Fact]
    public void Consistency_tokens_round_trip_and_merge_per_shard_and_bad_ones_are_refused()
    {
        var token = ConsistencyToken.Parse("3:10,1:5");
        Assert.Equal("1:5,3:10", token.ToString());
        Assert.Equal("1:7,2:1,3:10", token.Merge(ConsistencyToken.Parse("1:7,2:1")).ToString());
        Assert.Throws<ValidationException>(() => ConsistencyToken.Parse("1:x"));
        Assert.Throws<ValidationException>(() => ReadConsistency.Parse("most"));
        Assert.Equal(2, ReadConsistency.Parse("majority").ReplicasFor(3));
        Assert.Equal(3, ReadConsistency.Parse("all").ReplicasFor(3));
        Assert.Equal(2, ReadConsistency.Parse("2").ReplicasFor(3));
    }

    [Fact]
    public void The_hedging_delay_is_the_95th_percentile_of_recent_latencies()
    {
        var tracker = new LatencyTracker();
        Assert.Equal(LatencyTracker.Default, tracker.P95());
        for (var i = 1; i <= 100; i++)
        {
            tracker.Record(TimeSpan.FromMilliseconds(i));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(95), tracker.P95());
    }

    [Fact]
    public void A_node_counts_as_down_once_its_heartbeat_is_older_than_the_lease_even_when_the_catalogue_read_is_old()
    {
        var time = new FakeTimeProvider();
        var node = new NodeInfo(2, new Uri("http://n2/"), TimeSpan.FromSeconds(1));
        var state = new ClusterState("c", [node], [], [], null, time.GetTimestamp());
        Assert.True(NodeHealth.IsUp(node, state, 1, time, TimeSpan.FromSeconds(5)));
        time.Advance(TimeSpan.FromSeconds(4.5)); // the read went stale: 1 s + 4.5 s since
        Assert.False(NodeHealth.IsUp(node, state, 1, time, TimeSpan.FromSeconds(5)));
        Assert.True(NodeHealth.IsUp(node, state, 2, time, TimeSpan.FromSeconds(5))); // a node never judges itself down
    }

    [Fact]
    public async Task A_peer_circuit_opens_after_failures_and_half_opens_after_the_break_duration()
    {
        var time = new FakeTimeProvider();
        var options = new ClusterOptions { ConnectionString = "Host=unused", TimeProvider = time, BreakDuration = TimeSpan.FromSeconds(2) };
        await using var peer = new PeerClient(2, new Uri("http://127.0.0.1:9/"), options);
        for (var i = 0; i < 4; i++)
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => peer.Reads.ExecuteAsync(_ => throw new HttpRequestException("refused")).AsTask());
        }

        Assert.True(peer.IsOpen);
        await Assert.ThrowsAsync<BrokenCircuitException>(() => peer.Reads.ExecuteAsync(_ => ValueTask.CompletedTask).AsTask());
        time.Advance(TimeSpan.FromSeconds(2.1));
        await peer.Reads.ExecuteAsync(_ => ValueTask.CompletedTask); // the half-open probe succeeds
        Assert.Equal(CircuitState.Closed, peer.Breaker.CircuitState);

        // A refused request (400) is the caller's fault, not the node's: it does not count.
        for (var i = 0; i < 6; i++)
        {
            await Assert.ThrowsAsync<ValidationException>(() => peer.Reads.ExecuteAsync(_ => throw new ValidationException("x", "bad")).AsTask());
        }

        Assert.False(peer.IsOpen);
    }

    private static ClusterState State(IReadOnlyList<NodeInfo> nodes, params ShardInfo[] shards)
    {
        var options = new CollectionOptions { Dimension = 2, Geometry = Geometry.Euclid };
        var collection = new CollectionEntry(1, "c", options, shards.Length, 2, 1, ShardingMethod.Auto, shards);
        return new ClusterState("c", nodes, [collection], [], 1, 0);
    }

    private static NodeInfo Up(long id) => new(id, new Uri($"http://n{id}/"), TimeSpan.FromSeconds(1));

    private static NodeInfo Down(long id) => new(id, new Uri($"http://n{id}/"), TimeSpan.FromSeconds(9));

    [Fact]
    public void The_controller_places_new_replicas_on_the_least_loaded_live_nodes()
    {
        var state = State([Up(1), Up(2), Up(3)], new ShardInfo(10, 1, 0, null, 2, 0, 0, []), new ShardInfo(11, 1, 1, null, 2, 0, 0, []));
        var adds = ControllerPlan.Decide(state, Options).OfType<AddReplica>().ToList();
        Assert.Equal(4, adds.Count);
        Assert.Equal(2, adds.Where(a => a.ShardId == 10).Select(a => a.NodeId).Distinct().Count());
        Assert.All(new long[] { 1, 2, 3 }, n => Assert.InRange(adds.Count(a => a.NodeId == n), 1, 2));
    }

    [Fact]
    public void The_controller_marks_dead_revives_promotes_only_fresh_reports_and_replaces_after_the_grace_period()
    {
        var shard = new ShardInfo(10, 1, 0, null, 2, 100, 0,
        [
            new ReplicaInfo(10, 1, ReplicaStatus.Active, 1, 100, TimeSpan.Zero),
            new ReplicaInfo(10, 2, ReplicaStatus.Active, 2, 100, TimeSpan.Zero),
            new ReplicaInfo(10, 3, ReplicaStatus.Partial, 3, 95, TimeSpan.Zero, ReportedInState: false),
        ]);
        var actions = ControllerPlan.Decide(State([Up(1), Down(2), Up(3)], shard), Options);
        Assert.Contains(new MarkDead(10, 2), actions);
        Assert.DoesNotContain(actions, a => a is Promote); // its report predates its state

        var fresh = shard with { Replicas = [shard.Replicas[0], shard.Replicas[1] with { State = ReplicaStatus.Dead }, shard.Replicas[2] with { ReportedInState = true }] };
        actions = ControllerPlan.Decide(State([Up(1), Up(2), Up(3)], fresh), Options);
        Assert.Contains(new Revive(10, 2), actions);
        Assert.Contains(new Promote(10, 3), actions);

        var longDead = fresh with { Replicas = [fresh.Replicas[0], fresh.Replicas[1] with { StateAge = TimeSpan.FromSeconds(31) }] };
        actions = ControllerPlan.Decide(State([Up(1), Down(2), Up(3)], longDead), Options);
        Assert.Contains(new DropReplica(10, 2), actions);
        Assert.Contains(new AddReplica(10, 3), actions);
    }

    [Fact]
    public void The_log_is_truncated_behind_the_slowest_replica_only()
    {
        var shard = new ShardInfo(10, 1, 0, null, 2, 1000, 0,
        [
            new ReplicaInfo(10, 1, ReplicaStatus.Active, 1, 1000, TimeSpan.Zero),
            new ReplicaInfo(10, 2, ReplicaStatus.Dead, 2, 300, TimeSpan.FromSeconds(3)),
        ]);
        Assert.Contains(new Truncate(10, 300), ControllerPlan.Decide(State([Up(1), Down(2)], shard), Options));
        var behind = shard with { Replicas = [shard.Replicas[0], shard.Replicas[1] with { AppliedSeq = 100 }] };
        Assert.DoesNotContain(ControllerPlan.Decide(State([Up(1), Down(2)], behind), Options), a => a is Truncate);
    }

    [Fact]
    public void A_move_adds_the_target_then_drops_the_source_once_the_target_is_active()
    {
        var shard = new ShardInfo(10, 1, 0, null, 1, 5, 0, [new ReplicaInfo(10, 1, ReplicaStatus.Active, 1, 5, TimeSpan.Zero)]);
        var state = new ClusterState("c", [Up(1), Up(2)], [new CollectionEntry(1, "c", new CollectionOptions { Dimension = 2, Geometry = Geometry.Euclid }, 1, 1, 1, ShardingMethod.Auto, [shard])], [new TransferInfo(7, 10, "move", 1, 2)], 1, 0);
        Assert.Contains(new AddReplica(10, 2), ControllerPlan.Decide(state, Options));
        var moved = shard with { Replicas = [shard.Replicas[0], new ReplicaInfo(10, 2, ReplicaStatus.Active, 2, 5, TimeSpan.Zero)] };
        var done = new ClusterState("c", [Up(1), Up(2)], [new CollectionEntry(1, "c", new CollectionOptions { Dimension = 2, Geometry = Geometry.Euclid }, 1, 1, 1, ShardingMethod.Auto, [moved])], [new TransferInfo(7, 10, "move", 1, 2)], 1, 0);
        var actions = ControllerPlan.Decide(done, Options);
        Assert.Contains(new DropReplica(10, 1), actions);
        Assert.Contains(new FinishTransfer(10, 7), actions);
        Assert.DoesNotContain(actions, a => a is AddReplica);
    }
}
