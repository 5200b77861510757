using Microsoft.Extensions.Time.Testing;
using RoseForest.Knowledge.Crdt;
using RoseForest.Knowledge.Model;

namespace RoseForest.Knowledge.Tests;

public sealed class CrdtSemanticsTests
{
    private static (Replica A, Replica B, FakeTimeProvider TimeA, FakeTimeProvider TimeB) Pair()
    {
        var ta = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddSeconds(1000));
        var tb = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddSeconds(1000));
        return (new Replica("a", ta), new Replica("b", tb), ta, tb);
    }

    [Fact]
    public void A_later_write_wins_a_field_and_concurrent_writes_resolve_by_stamp_alike_everywhere()
    {
        var (a, b, ta, tb) = Pair();
        a.WriteField("r", "f", "from-a");
        tb.Advance(TimeSpan.FromMilliseconds(5));
        b.WriteField("r", "f", "from-b");
        var aCopy = a.State.Clone();
        a.Merge(b.State.Clone());
        b.Merge(aCopy);
        Assert.True(a.State.TryGetField("r", "f", out var va));
        Assert.True(b.State.TryGetField("r", "f", out var vb));
        Assert.Equal("from-b", va);
        Assert.Equal(va, vb);
        Assert.Equal(2, a.State.FieldVersions("r", "f").Count);

        ta.Advance(TimeSpan.FromMilliseconds(1));
        a.WriteField("r", "f", "settled");
        b.Merge(a.State.Clone());
        Assert.Single(b.State.FieldVersions("r", "f"));
        Assert.True(b.State.TryGetField("r", "f", out var settled));
        Assert.Equal("settled", settled);
    }

    [Fact]
    public void A_delete_beats_the_writes_it_observed()
    {
        var (a, b, _, _) = Pair();
        b.Merge(a.WriteField("r", "f", "1"));
        b.Merge(a.AddTag("r", "t"));
        b.Delete("r");
        a.Merge(b.State.Clone());
        Assert.False(a.State.IsAlive("r"));
        Assert.True(a.State.IsDeleted("r"));
        Assert.False(a.State.TryGetField("r", "f", out _));
    }

    [Fact]
    public void A_write_concurrent_with_a_delete_resurrects_the_record_with_only_that_write()
    {
        var (a, b, _, _) = Pair();
        b.Merge(a.WriteFields("r", new Dictionary<string, string> { ["f"] = "1", ["g"] = "1" }));
        var concurrent = a.WriteField("r", "f", "2"); // b has not seen this when it deletes
        var delete = b.Delete("r");
        a.Merge(delete);
        b.Merge(concurrent);
        foreach (var r in new[] { a, b })
        {
            Assert.True(r.State.IsAlive("r"));
            Assert.True(r.State.TryGetField("r", "f", out var f));
            Assert.Equal("2", f);
            Assert.False(r.State.TryGetField("r", "g", out _));
        }

        Assert.Equal(a.State.ContentHash(), b.State.ContentHash());
    }

    [Fact]
    public void A_write_after_a_delete_survives_it()
    {
        var (a, b, _, _) = Pair();
        b.Merge(a.WriteField("r", "f", "1"));
        a.Merge(b.Delete("r"));
        var rewrite = a.WriteField("r", "f", "again");
        b.Merge(rewrite);
        Assert.True(b.State.TryGetField("r", "f", out var v));
        Assert.Equal("again", v);
    }

    [Fact]
    public void A_tag_added_concurrently_with_its_removal_survives()
    {
        var (a, b, _, _) = Pair();
        b.Merge(a.AddTag("r", "t"));
        var remove = b.RemoveTag("r", "t");
        var add = a.AddTag("r", "t");
        a.Merge(remove);
        b.Merge(add);
        Assert.Equal(["t"], a.State.Tags("r"));
        Assert.Equal(["t"], b.State.Tags("r"));
        b.Merge(b.RemoveTag("r", "t"));
        a.Merge(b.State.Clone());
        Assert.Empty(a.State.Tags("r"));
    }

    [Fact]
    public void A_voter_has_one_vote_the_latest_by_its_own_clock()
    {
        var (a, b, _, tb) = Pair();
        var voter = new HybridLogicalClock("v", new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddSeconds(1)));
        var first = new SignedVote(new KnowledgeVote("r", "v", VoteKind.Upvote, 1, null, voter.Now()), World.Signature);
        var second = new SignedVote(new KnowledgeVote("r", "v", VoteKind.Downvote, 1, null, voter.Now()), World.Signature);
        b.Merge(a.CastVote("r", second));
        tb.Advance(TimeSpan.FromDays(1)); // b's physical clock is far ahead; the voter's clock decides
        var stale = b.CastVote("r", first);
        Assert.True(stale.IsEmpty);
        Assert.Equal(VoteKind.Downvote, Assert.Single(b.State.Votes("r")).Vote.Kind);

        // The same voter's two votes arriving at different replicas concurrently: both readers pick the later.
        var (c, d, _, _) = Pair();
        var dc = c.CastVote("r", first);
        var dd = d.CastVote("r", second);
        c.Merge(dd);
        d.Merge(dc);
        Assert.Equal(VoteKind.Downvote, Assert.Single(c.State.Votes("r")).Vote.Kind);
        Assert.Equal(c.State.ContentHash(), d.State.ContentHash());
    }

    [Fact]
    public void Delete_markers_are_collected_only_after_every_known_peer_acknowledged_them()
    {
        var (a, b, _, _) = Pair();
        var c = new Replica("c", new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddSeconds(1000)));
        foreach (var r in new[] { a, b, c })
        {
            r.AddPeer("a");
            r.AddPeer("b");
            r.AddPeer("c");
        }

        var write = a.WriteField("r", "f", "1");
        b.Merge(write);
        var delete = a.Delete("r");
        b.Merge(delete);
        a.Acknowledge("b", b.AcknowledgementVector);
        Assert.Equal(0, a.CollectGarbage()); // c has not acknowledged
        Assert.True(a.State.IsDeleted("r"));

        c.Merge(write);
        c.Merge(delete);
        a.Acknowledge("c", c.AcknowledgementVector);
        Assert.Equal(1, a.CollectGarbage());
        Assert.Empty(a.State.Tombstones);
        Assert.False(a.State.IsDeleted("r"));

        // Late duplicates of the write and of the delete revive nothing after collection.
        a.Merge(write);
        a.Merge(delete);
        Assert.False(a.State.IsAlive("r"));
        Assert.Empty(a.State.Tombstones);

        // A peer still holding the marker drops it when it merges the collected state.
        b.Merge(a.State.Clone());
        Assert.Empty(b.State.Tombstones);
    }

    [Fact]
    public void Two_concurrent_versions_merge_to_the_same_state_in_either_order()
    {
        // The seed draft (src/knowledge/crdt/mod.rs) merged concurrent versions asymmetrically: A kept
        // its own vectors unless B's confidence was higher, and averaged confidence into A only, so
        // A.merge(B) != B.merge(A). Here both orders give the same bytes and the same reading.
        var (a, b, _, tb) = Pair();
        a.WriteFields("k", new Dictionary<string, string> { ["confidence"] = "0.9", ["vector"] = "[1,0]" });
        a.AddTag("k", "x");
        tb.Advance(TimeSpan.FromMilliseconds(3));
        b.WriteFields("k", new Dictionary<string, string> { ["confidence"] = "0.4", ["vector"] = "[0,1]" });
        b.AddTag("k", "y");

        var ab = a.State.Clone();
        ab.Merge(b.State.Clone());
        var ba = b.State.Clone();
        ba.Merge(a.State.Clone());
        Assert.Equal(ab.CanonicalBytes(), ba.CanonicalBytes());
        Assert.True(ab.TryGetField("k", "vector", out var vector));
        Assert.Equal("[0,1]", vector);
        Assert.Equal(["x", "y"], ab.Tags("k"));
    }

    [Fact]
    public void Standalone_lww_map_set_and_remove_return_deltas_that_rebuild_the_state()
    {
        var map = new LwwRegisterMap();
        var replica = new LwwRegisterMap();
        replica.Merge(map.Set("f", "1", new Dot("a", 1), new HlcTimestamp(1, 0, "a")));
        replica.Merge(map.Set("f", "2", new Dot("a", 2), new HlcTimestamp(2, 0, "a")));
        replica.Merge(map.Set("g", "3", new Dot("a", 3), new HlcTimestamp(3, 0, "a")));
        replica.Merge(map.Remove("g"));
        Assert.Equal(map.CanonicalBytes(), replica.CanonicalBytes());
        Assert.True(replica.TryGet("f", out var f));
        Assert.Equal("2", f);
        Assert.Equal(["f"], replica.Fields);
        Assert.Equal(3, replica.Context.ContiguousMax("a"));
    }
}
