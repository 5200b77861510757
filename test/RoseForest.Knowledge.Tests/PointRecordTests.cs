using System.Text.Json;
using RoseForest.Knowledge.Crdt;
using RoseForest.Knowledge.Model;
using RoseForest.Knowledge.Points;
using RoseForest.Knowledge.Sync;

namespace RoseForest.Knowledge.Tests;

/// <summary>
/// The point CRDT: per-field multi-value registers with a per-point version vector. Join laws on
/// random histories, convergence under loss, duplication and reordering, the strategies' readings,
/// and the wire form.
/// </summary>
public sealed class PointRecordTests
{
    private static readonly string[] Nodes = ["a", "b", "c", "d", "e"];

    private static readonly ConflictStrategy[] Strategies =
        [ConflictStrategy.Crdt, ConflictStrategy.LastWriteWins, ConflictStrategy.HighestVersion, ConflictStrategy.Merge, ConflictStrategy.GeometricMean];

    [Fact]
    public void Join_is_commutative_associative_and_idempotent_on_random_histories()
    {
        for (var seed = 0; seed < 500; seed++)
        {
            var random = new Random(seed);
            var replicas = History(random, 3, 25);
            var (x, y, z) = (replicas[0], replicas[1], replicas[2]);

            Assert.Equal(Bytes(Joined(x, y)), Bytes(Joined(y, x)));
            Assert.Equal(Bytes(Joined(Joined(x, y), z)), Bytes(Joined(x, Joined(y, z))));
            Assert.Equal(Bytes(x), Bytes(Joined(x, x)));
            var once = Joined(x, y);
            Assert.False(once.Clone().Join(y), $"seed {seed}: joining the same copy twice changed the record");
        }
    }

    [Fact]
    public void Replicas_converge_under_loss_duplication_and_reordering_in_2000_schedules()
    {
        for (var seed = 0; seed < 2000; seed++)
        {
            var random = new Random(10_000 + seed);
            var n = random.Next(3, 6);
            var replicas = Enumerable.Range(0, n).Select(_ => new PointRecord()).ToArray();
            var clocks = Enumerable.Range(0, n).Select(i => new HybridLogicalClock(Nodes[i], new SettableTime(DateTimeOffset.UnixEpoch.AddSeconds(random.Next(100))))).ToArray();
            var inFlight = new List<(int To, PointRecord Copy)>();
            var steps = random.Next(5, 40);
            for (var s = 0; s < steps; s++)
            {
                var a = random.Next(n);
                var roll = random.Next(100);
                if (roll < 50)
                {
                    Mutate(replicas[a], Nodes[a], clocks[a], random);
                    for (var to = 0; to < n; to++)
                    {
                        var copies = to == a ? 0 : random.Next(10) switch { < 3 => 0, < 5 => 2, _ => 1 };
                        for (var c = 0; c < copies; c++)
                        {
                            inFlight.Add((to, replicas[a].Clone()));
                        }
                    }
                }
                else if (inFlight.Count > 0)
                {
                    var index = random.Next(inFlight.Count);
                    var (to, copy) = inFlight[index];
                    inFlight.RemoveAt(index);
                    Deliver(replicas[to], clocks[to], copy);
                }
            }

            // Delivery stops; one anti-entropy round (each sends its whole record to each) repairs loss.
            for (var from = 0; from < n; from++)
            {
                for (var to = 0; to < n; to++)
                {
                    Deliver(replicas[to], clocks[to], replicas[from].Clone());
                }
            }

            var expected = Bytes(replicas[0]);
            for (var i = 1; i < n; i++)
            {
                Assert.True(expected.AsSpan().SequenceEqual(Bytes(replicas[i])), $"seed {seed}: replica {i} differs");
            }

            foreach (var strategy in Strategies)
            {
                var first = Describe(PointResolver.Resolve(replicas[0], strategy, EuclideanGeometry.Instance));
                Assert.All(replicas, r => Assert.Equal(first, Describe(PointResolver.Resolve(r, strategy, EuclideanGeometry.Instance))));
            }
        }
    }

    [Fact]
    public void Concurrent_writes_survive_side_by_side_and_each_strategy_reads_them_its_way()
    {
        var (a, b) = (new PointRecord(), new PointRecord());
        a.Write("a", new HlcTimestamp(10, 0, "a"), [new(PointFields.Vector, PointValue.Of([0f, 0f]))]);
        b.Join(a);
        a.Write("a", new HlcTimestamp(20, 0, "a"), [new(PointFields.Vector, PointValue.Of([2f, 0f]))]); // version 2
        b.Write("b", new HlcTimestamp(30, 0, "b"), [new(PointFields.Vector, PointValue.Of([0f, 4f]))]); // version 2
        b.Write("b", new HlcTimestamp(31, 0, "b"), [new(PointFields.Vector, PointValue.Of([0f, 6f]))]); // version 3
        a.Join(b);
        Assert.True(a.HasConflicts);

        Assert.Equal([0f, 6f], PointResolver.Resolve(a, ConflictStrategy.Crdt, EuclideanGeometry.Instance).Vector!);
        Assert.Equal([0f, 6f], PointResolver.Resolve(a, ConflictStrategy.HighestVersion, EuclideanGeometry.Instance).Vector!);
        Assert.Equal([1f, 3f], PointResolver.Resolve(a, ConflictStrategy.Merge, EuclideanGeometry.Instance).Vector!);
        Assert.Equal([1f, 3f], PointResolver.Resolve(a, ConflictStrategy.GeometricMean, EuclideanGeometry.Instance).Vector!);

        // A later local write observes both and settles the conflict.
        a.Write("a", new HlcTimestamp(40, 0, "a"), [new(PointFields.Vector, PointValue.Of([5f, 5f]))]);
        Assert.False(a.HasConflicts);
        Assert.Equal(4, a.Entries.Single().Version);
    }

    [Fact]
    public void A_delete_beats_only_what_it_saw_under_crdt_and_everything_older_under_last_write_wins()
    {
        var (a, b) = (new PointRecord(), new PointRecord());
        a.Write("a", new HlcTimestamp(10, 0, "a"), [new(PointFields.Vector, PointValue.Of([1f])), new(PointFields.Payload("k"), PointValue.OfJson("1"))]);
        b.Join(a);
        b.Write("b", new HlcTimestamp(20, 0, "b"), [new(PointFields.Payload("k"), PointValue.OfJson("2"))]); // concurrent with the delete
        a.Delete("a", new HlcTimestamp(30, 0, "a"));
        a.Join(b);

        // crdt: the payload write survives, but the vector was deleted, so the point is gone.
        Assert.False(PointResolver.Resolve(a, ConflictStrategy.Crdt, EuclideanGeometry.Instance).Alive);

        // A vector write concurrent with a delete survives it under crdt, not under last_write_wins.
        var (c, d) = (new PointRecord(), new PointRecord());
        c.Write("c", new HlcTimestamp(10, 0, "c"), [new(PointFields.Vector, PointValue.Of([1f]))]);
        d.Join(c);
        d.Write("d", new HlcTimestamp(20, 0, "d"), [new(PointFields.Vector, PointValue.Of([2f]))]);
        c.Delete("c", new HlcTimestamp(30, 0, "c"));
        c.Join(d);
        Assert.Equal([2f], PointResolver.Resolve(c, ConflictStrategy.Crdt, EuclideanGeometry.Instance).Vector!);
        Assert.False(PointResolver.Resolve(c, ConflictStrategy.LastWriteWins, EuclideanGeometry.Instance).Alive);

        // A write that saw the delete brings the point back everywhere.
        c.Write("c", new HlcTimestamp(40, 0, "c"), [new(PointFields.Vector, PointValue.Of([3f]))]);
        Assert.True(PointResolver.Resolve(c, ConflictStrategy.LastWriteWins, EuclideanGeometry.Instance).Alive);
        Assert.DoesNotContain(c.Entries, e => e.Field == PointFields.Deleted);
    }

    [Fact]
    public void Concurrent_edits_of_different_payload_keys_both_survive()
    {
        var (a, b) = (new PointRecord(), new PointRecord());
        a.Write("a", new HlcTimestamp(1, 0, "a"), [new(PointFields.Vector, PointValue.Of([1f]))]);
        b.Join(a);
        a.Write("a", new HlcTimestamp(2, 0, "a"), [new(PointFields.Payload("x"), PointValue.OfJson("\"ax\""))]);
        b.Write("b", new HlcTimestamp(3, 0, "b"), [new(PointFields.Payload("y"), PointValue.OfJson("[1,2]"))]);
        a.Join(b);
        var view = PointResolver.Resolve(a, ConflictStrategy.Crdt, EuclideanGeometry.Instance);
        Assert.Equal(["x", "y"], view.Payload.Select(p => p.Key));
        Assert.Equal("[1,2]", view.Payload[1].Value);
        Assert.False(a.HasConflicts);
    }

    [Fact]
    public void The_wire_form_round_trips_and_bad_copies_are_refused_naming_the_field()
    {
        var random = new Random(7);
        var record = History(random, 2, 20)[0];
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            PointRecordCodec.Write(w, record);
        }

        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        var back = PointRecordCodec.Read(doc.RootElement, 2);
        Assert.Equal(Bytes(record), Bytes(back));

        Assert.Throws<KnowledgeValidationException>(() => PointRecordCodec.Read(doc.RootElement, 3)); // dimension
        string[] bad =
        [
            """{"ctx":{"a":1},"e":[{"o":"a","s":2,"f":"vector","t":[1,0],"n":1,"v":"AACAPwAAAEA="}]}""", // dot outside the context
            """{"ctx":{"a":1},"e":[{"o":"a","s":1,"f":"vector","t":[1,0],"n":1}]}""", // vector field with no vector
            """{"ctx":{"a":1},"e":[{"o":"a","s":1,"f":"colour","t":[1,0],"n":1,"j":1}]}""", // unknown field
            """{"ctx":{"a":1},"e":[{"o":"a","s":1,"f":"vector","t":[1,0],"n":1,"v":"AADAfwAAAEA="}]}""", // NaN
            """{"ctx":{"a":2},"e":[{"o":"a","s":1,"f":"deleted","t":[1,0],"n":1},{"o":"a","s":1,"f":"deleted","t":[1,0],"n":1}]}""", // repeated dot
            """{"e":[]}""",
        ];
        foreach (var json in bad)
        {
            using var d = JsonDocument.Parse(json);
            var error = Assert.Throws<KnowledgeValidationException>(() => PointRecordCodec.Read(d.RootElement, 2));
            Assert.StartsWith("record", error.Field, StringComparison.Ordinal);
        }
    }

    private static PointRecord[] History(Random random, int count, int steps)
    {
        var replicas = Enumerable.Range(0, count).Select(_ => new PointRecord()).ToArray();
        var clocks = Enumerable.Range(0, count).Select(i => new HybridLogicalClock(Nodes[i], new SettableTime(DateTimeOffset.UnixEpoch.AddSeconds(random.Next(50))))).ToArray();
        for (var s = 0; s < steps; s++)
        {
            var a = random.Next(count);
            if (random.Next(100) < 65)
            {
                Mutate(replicas[a], Nodes[a], clocks[a], random);
            }
            else
            {
                var to = random.Next(count);
                Deliver(replicas[to], clocks[to], replicas[a].Clone());
            }
        }

        return replicas;
    }

    private static void Mutate(PointRecord record, string node, HybridLogicalClock clock, Random random)
    {
        var stamp = clock.Now();
        switch (random.Next(10))
        {
            case < 4:
                record.Write(node, stamp, [new(PointFields.Vector, PointValue.Of([random.Next(-5, 5), random.Next(-5, 5)]))]);
                break;
            case < 7:
                record.Write(node, stamp, [new(PointFields.Payload("k" + random.Next(3)), random.Next(4) == 0 ? null : PointValue.OfJson(random.Next(9).ToString(System.Globalization.CultureInfo.InvariantCulture)))]);
                break;
            case < 9:
                record.Delete(node, stamp);
                break;
            default:
                record.Write(node, stamp, [new(PointFields.Vector, PointValue.Of([1f, 1f])), new(PointFields.Payload("k0"), PointValue.OfJson("true"))]);
                break;
        }
    }

    private static void Deliver(PointRecord to, HybridLogicalClock clock, PointRecord copy)
    {
        if (copy.MaxStamp is { } max && max > clock.Current)
        {
            clock.Receive(max);
        }

        to.Join(copy);
    }

    private static PointRecord Joined(PointRecord x, PointRecord y)
    {
        var copy = x.Clone();
        copy.Join(y);
        return copy;
    }

    private static byte[] Bytes(PointRecord r) => PointRecordCodec.Canonical("p", r);

    private static string Describe(PointView v)
        => v.Alive ? $"{string.Join(",", v.Vector!)}|{string.Join(",", v.Payload.Select(p => $"{p.Key}={p.Value}"))}" : "gone";
}
