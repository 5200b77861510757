using System.Text.Json;
using RoseForest.Knowledge.Crdt;
using RoseForest.Knowledge.Model;

namespace RoseForest.Knowledge.Tests;

/// <summary>The wire form of knowledge states and deltas: exact round trips, and refusal of what a peer could get wrong.</summary>
public sealed class ReplicaStateJsonTests
{
    [Fact]
    public void States_and_deltas_from_random_histories_round_trip_exactly()
    {
        FixedSeed.ForAll(Step.Schedule(1, 30), 300, 77, steps =>
        {
            var world = new World(3);
            var deltas = new List<ReplicaState>();
            foreach (var s in steps)
            {
                if (s.Kind < 70)
                {
                    deltas.Add(world.Mutate(s.A % 3, s.Kind, s.Item, s.Item / 2, s.Value));
                }
                else
                {
                    world.Replicas[s.B % 3].Merge(world.Replicas[s.A % 3].State.Clone());
                }
            }

            foreach (var state in deltas.Concat(world.Replicas.Select(r => r.State)))
            {
                var back = ReplicaState.FromJsonBytes(state.ToJsonBytes());
                Assert.Equal(state.CanonicalBytes(), back.CanonicalBytes());
            }
        });
    }

    [Theory]
    [InlineData("""{"records":[],"tombstones":[{"o":"n","s":1,"k":"r","t":[1,0,"n"]}],"context":{"vector":{},"cloud":[]}}""", "tombstones[0]")]
    [InlineData("""{"records":[{"id":"r","fields":[{"o":"n","s":1,"k":"f","v":"x","t":[1,0,"m"]}],"tags":[],"votes":[]}],"tombstones":[],"context":{"vector":{"n":1},"cloud":[]}}""", "records[0].fields[0].t")]
    [InlineData("""{"records":[{"id":"r","fields":[],"tags":[],"votes":[{"o":"n","s":1,"k":"v","t":[1,0,"w"],"vote":"upvote","confidence":0.5,"sig":""}]}],"tombstones":[],"context":{"vector":{"n":1},"cloud":[]}}""", "records[0].votes[0].stamp")]
    [InlineData("""{"records":[],"tombstones":[],"context":{"vector":{"n":-1},"cloud":[]}}""", "context.vector.n")]
    [InlineData("""{"records":[],"tombstones":[],"context":{"vector":{},"cloud":[["n",0]]}}""", "context.cloud[0]")]
    [InlineData("""{"records":[],"tombstones":[]}""", "$.context")]
    public void Malformed_states_are_refused_naming_the_field(string json, string field)
    {
        var error = Assert.Throws<KnowledgeValidationException>(() => ReplicaState.FromJsonBytes(System.Text.Encoding.UTF8.GetBytes(json)));
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void A_released_feed_prefix_cannot_be_read_and_numbering_continues()
    {
        var replica = new Replica("n", TimeProvider.System);
        replica.WriteField("r", "f", "1");
        replica.WriteField("r", "f", "2");
        replica.Changes.Release(1);
        Assert.Throws<InvalidOperationException>(() => replica.Changes.ReadSince(0, 10));
        replica.WriteField("r", "f", "3");
        var batch = replica.Changes.ReadSince(1, 10);
        Assert.Equal([2L, 3L], batch.Changes.Select(c => c.Sequence));
        Assert.Equal(3, batch.LastSequence);
        _ = JsonDocument.Parse(batch.Changes[0].Delta.ToJsonBytes());
    }
}
