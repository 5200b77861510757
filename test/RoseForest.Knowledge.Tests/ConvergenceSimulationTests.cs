using CsCheck;
using RoseForest.Knowledge.Crdt;

namespace RoseForest.Knowledge.Tests;

/// <summary>
/// The convergence invariant: 3 to 5 replicas run random mutations while their deltas travel with
/// reordering, duplication and loss (repaired by occasional anti-entropy), acknowledgements flow
/// and delete markers are collected. Once delivery stops and a final anti-entropy round has run,
/// every replica has the same content hash, and what they hold is exactly the join of every delta
/// ever made (collected delete markers aside).
/// </summary>
public sealed class ConvergenceSimulationTests
{
    private static readonly Gen<(int Replicas, Step[] Steps)> Schedules =
        Gen.Select(Gen.Int[3, 5], Step.Schedule(5, 40));

    [Fact]
    public void Ten_thousand_random_schedules_converge_to_one_content_hash()
    {
        FixedSeed.ForAll(Schedules, 10_000, 2026, schedule => Run(schedule.Replicas, schedule.Steps, seed: schedule.Steps.Length));
    }

    private static void Run(int replicaCount, Step[] steps, int seed)
    {
        var world = new World(replicaCount);
        var inFlight = new List<(int To, ReplicaState Delta)>();
        foreach (var s in steps)
        {
            var a = s.A % replicaCount;
            var b = s.B % replicaCount;
            if (s.Kind < 45)
            {
                var delta = world.Mutate(a, s.Kind, s.Item, s.Item / 2, s.Value);
                for (var to = 0; to < replicaCount; to++)
                {
                    // Value decides the network's mood: 0-3 lost, 4-6 duplicated, otherwise sent once.
                    var copies = to == a ? 0 : (s.Value + to) % 21 switch { < 4 => 0, < 7 => 2, _ => 1 };
                    for (var c = 0; c < copies; c++)
                    {
                        inFlight.Add((to, delta));
                    }
                }
            }
            else if (s.Kind < 80 && inFlight.Count > 0)
            {
                // Deliver any message in flight, not the oldest: reordering.
                var index = ((s.Value * 31) + s.Item + s.A) % inFlight.Count;
                var (to, delta) = inFlight[index];
                inFlight.RemoveAt(index);
                world.Replicas[to].Merge(delta);
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

        // Delivery stops (what is still in flight is lost); one final anti-entropy round.
        world.FinalAntiEntropy();
        var hashes = world.Replicas.Select(r => r.State.ContentHash()).Distinct().ToList();
        Assert.Single(hashes);

        var order = Enumerable.Range(0, world.Deltas.Count).ToList();
        new Random(seed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(order));
        Assert.Equal(World.Describe(world.JoinOfAllDeltas(order)), World.Describe(world.Replicas[0].State));
    }
}
