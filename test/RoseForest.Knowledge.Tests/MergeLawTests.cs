using CsCheck;
using Microsoft.Extensions.Time.Testing;
using RoseForest.Knowledge.Crdt;

namespace RoseForest.Knowledge.Tests;

/// <summary>
/// Merge is commutative, associative and idempotent for each CRDT and for the composite state,
/// checked on states reached by random histories (mutations and partial merges), fixed seeds.
/// </summary>
public sealed class MergeLawTests
{
    private const int Iterations = 400;

    [Fact]
    public void Replica_state_merge_is_commutative_associative_and_idempotent()
    {
        FixedSeed.ForAll(Step.Schedule(1, 30), Iterations, 11, steps =>
        {
            var world = new World(3);
            foreach (var s in steps)
            {
                var a = s.A % 3;
                var b = s.B % 3;
                if (s.Kind < 70)
                {
                    world.Mutate(a, s.Kind, s.Item, s.Item / 2, s.Value);
                }
                else if (s.Kind < 90)
                {
                    world.Replicas[b].Merge(world.Replicas[a].State.Clone());
                }
                else
                {
                    world.AcknowledgeAndCollect(a, b);
                }
            }

            var (x, y, z) = (world.Replicas[0].State, world.Replicas[1].State, world.Replicas[2].State);
            CheckLaws(x, y, z, static (p, q) => p.Merge(q), static p => p.Clone(), static p => p.CanonicalBytes());
        });
    }

    [Fact]
    public void Lww_register_map_merge_is_commutative_associative_and_idempotent()
    {
        FixedSeed.ForAll(Step.Schedule(1, 25), Iterations, 12, steps =>
        {
            var maps = new[] { new LwwRegisterMap(), new LwwRegisterMap(), new LwwRegisterMap() };
            var dots = new Dots();
            foreach (var s in steps)
            {
                var (a, b) = (s.A % 3, s.B % 3);
                var field = s.Item % 2 == 0 ? "a" : "b";
                if (s.Kind < 50)
                {
                    var (dot, stamp) = dots.Next(a);
                    maps[a].Set(field, $"v{s.Value}", dot, stamp);
                }
                else if (s.Kind < 65)
                {
                    maps[a].Remove(field);
                }
                else
                {
                    maps[b].Merge(maps[a].Clone());
                }
            }

            CheckLaws(maps[0], maps[1], maps[2], static (p, q) => p.Merge(q), static p => p.Clone(), static p => p.CanonicalBytes());
        });
    }

    [Fact]
    public void Observed_remove_set_merge_is_commutative_associative_and_idempotent()
    {
        FixedSeed.ForAll(Step.Schedule(1, 25), Iterations, 13, steps =>
        {
            var sets = new[] { new ObservedRemoveSet(), new ObservedRemoveSet(), new ObservedRemoveSet() };
            var dots = new Dots();
            foreach (var s in steps)
            {
                var (a, b) = (s.A % 3, s.B % 3);
                var tag = $"t{s.Item % 3}";
                if (s.Kind < 45)
                {
                    var (dot, stamp) = dots.Next(a);
                    sets[a].Add(tag, dot, stamp);
                }
                else if (s.Kind < 65)
                {
                    sets[a].Remove(tag);
                }
                else
                {
                    sets[b].Merge(sets[a].Clone());
                }
            }

            CheckLaws(sets[0], sets[1], sets[2], static (p, q) => p.Merge(q), static p => p.Clone(), static p => p.CanonicalBytes());
        });
    }

    [Fact]
    public void Vote_map_merge_is_commutative_associative_and_idempotent()
    {
        FixedSeed.ForAll(Step.Schedule(1, 25), Iterations, 14, steps =>
        {
            var maps = new[] { new VoteMap(), new VoteMap(), new VoteMap() };
            var dots = new Dots();
            foreach (var s in steps)
            {
                var (a, b) = (s.A % 3, s.B % 3);
                if (s.Kind < 60)
                {
                    // Voters vote through any replica, with their own clock readings.
                    var voter = s.Item % 3;
                    var (dot, _) = dots.Next(a);
                    var (_, voterStamp) = dots.Next(3 + voter);
                    var vote = new Model.KnowledgeVote("k", voterStamp.Node, s.Value % 2 == 0 ? Model.VoteKind.Upvote : Model.VoteKind.Downvote, 1, null, voterStamp);
                    maps[a].Cast(new Model.SignedVote(vote, World.Signature), dot);
                }
                else
                {
                    maps[b].Merge(maps[a].Clone());
                }
            }

            CheckLaws(maps[0], maps[1], maps[2], static (p, q) => p.Merge(q), static p => p.Clone(), static p => p.CanonicalBytes());
        });
    }

    [Fact]
    public void The_law_check_catches_a_merge_that_is_not_commutative()
    {
        // The check itself must be able to fail: "keep the left side" is idempotent and associative but not commutative.
        var a = new LwwRegisterMap();
        a.Set("f", "1", new Dot("a", 1), new HlcTimestamp(1, 0, "a"));
        var b = new LwwRegisterMap();
        b.Set("f", "2", new Dot("b", 1), new HlcTimestamp(2, 0, "b"));
        Assert.ThrowsAny<Exception>(() => CheckLaws(a, b, b.Clone(), static (_, _) => false, static p => p.Clone(), static p => p.CanonicalBytes()));
    }

    internal static void CheckLaws<T>(T x, T y, T z, Func<T, T, bool> merge, Func<T, T> clone, Func<T, byte[]> bytes)
    {
        T Join(T p, T q)
        {
            var r = clone(p);
            merge(r, clone(q));
            return r;
        }

        Assert.Equal(bytes(Join(x, y)), bytes(Join(y, x)));
        Assert.Equal(bytes(Join(Join(x, y), z)), bytes(Join(x, Join(y, z))));
        Assert.Equal(bytes(x), bytes(Join(x, x)));
        Assert.Equal(bytes(Join(x, y)), bytes(Join(Join(x, y), y)));
    }

    /// <summary>Dots and clock readings for up to six nodes (0-2 replicas, 3-5 voters).</summary>
    private sealed class Dots
    {
        private readonly long[] _seq = new long[6];
        private readonly HybridLogicalClock[] _clocks =
            [.. Enumerable.Range(0, 6).Select(i => new HybridLogicalClock($"n{i}", new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddSeconds(i))))];

        public (Dot Dot, HlcTimestamp Stamp) Next(int node) => (new Dot($"n{node}", ++_seq[node]), _clocks[node].Now());
    }
}
