using System.Text;
using Microsoft.Extensions.Time.Testing;
using RoseForest.Knowledge.Crdt;
using RoseForest.Knowledge.Model;

namespace RoseForest.Knowledge.Tests;

/// <summary>
/// A few replicas with their own fake clocks, and an interpreter of small random operations, shared
/// by the merge-law and convergence tests. Every delta made is kept, so a test can compare what
/// the replicas ended with against the join of everything that happened.
/// </summary>
internal sealed class World
{
    public const string Signature = "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
    private static readonly string[] Records = ["r0", "r1", "r2"];
    private static readonly string[] FieldNames = ["a", "b"];
    private static readonly string[] TagNames = ["x", "y"];

    public World(int replicas)
    {
        for (var i = 0; i < replicas; i++)
        {
            // Clocks start apart and drift: physical time alone would order writes wrongly.
            var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddSeconds(1000 + (i * 7)));
            Clocks.Add(time);
            Replicas.Add(new Replica($"n{i}", time));
        }

        foreach (var r in Replicas)
        {
            foreach (var peer in Replicas)
            {
                r.AddPeer(peer.NodeId);
            }
        }
    }

    public List<Replica> Replicas { get; } = [];

    public List<FakeTimeProvider> Clocks { get; } = [];

    public List<ReplicaState> Deltas { get; } = [];

    /// <summary>Runs one mutation on replica <paramref name="at"/>; returns its delta.</summary>
    public ReplicaState Mutate(int at, int kind, int record, int item, int value)
    {
        var r = Replicas[at];
        var id = Records[record % Records.Length];
        Clocks[at].Advance(TimeSpan.FromMilliseconds(value % 3));
        var delta = (kind % 6) switch
        {
            0 or 1 => r.WriteField(id, FieldNames[item % FieldNames.Length], $"v{value}"),
            2 => r.AddTag(id, TagNames[item % TagNames.Length]),
            3 => r.RemoveTag(id, TagNames[item % TagNames.Length]),
            4 => r.CastVote(id, Vote(r, id, value)),
            _ => r.Delete(id),
        };
        Deltas.Add(delta);
        return delta;
    }

    public static SignedVote Vote(Replica r, string id, int value)
        => new(new KnowledgeVote(id, r.NodeId, value % 2 == 0 ? VoteKind.Upvote : VoteKind.Downvote, 1, null, r.Clock.Now()), Signature);

    /// <summary>Replica <paramref name="to"/> learns <paramref name="from"/>'s acknowledgement vector, then collects garbage.</summary>
    public void AcknowledgeAndCollect(int from, int to)
    {
        Replicas[to].Acknowledge(Replicas[from].NodeId, Replicas[from].AcknowledgementVector);
        Replicas[to].CollectGarbage();
    }

    /// <summary>Gathers every state into replica 0, then gives replica 0's state to every other.</summary>
    public void FinalAntiEntropy()
    {
        for (var i = 1; i < Replicas.Count; i++)
        {
            Replicas[0].Merge(Replicas[i].State.Clone());
        }

        for (var i = 1; i < Replicas.Count; i++)
        {
            Replicas[i].Merge(Replicas[0].State.Clone());
        }
    }

    /// <summary>The join of every delta ever made, in the given order.</summary>
    public ReplicaState JoinOfAllDeltas(IEnumerable<int> order)
    {
        var all = new ReplicaState();
        foreach (var i in order)
        {
            all.Merge(Deltas[i]);
        }

        return all;
    }

    /// <summary>Everything a reader can see of the records (delete markers aside), as text.</summary>
    public static string Describe(ReplicaState state)
    {
        var sb = new StringBuilder();
        foreach (var id in state.RecordIds)
        {
            sb.Append(id).Append(state.IsAlive(id) ? " live" : " votes-only").Append('\n');
            foreach (var field in state.Fields(id))
            {
                sb.Append("  ").Append(field).Append(" = ")
                    .AppendJoin(" | ", state.FieldVersions(id, field).Select(v => $"{v.Value}@{v.Stamp}/{v.Dot}")).Append('\n');
            }

            sb.Append("  tags ").AppendJoin(",", state.Tags(id)).Append('\n');
            sb.Append("  votes ").AppendJoin(",", state.Votes(id).Select(v => $"{v.Vote.Voter}:{v.Vote.Kind}@{v.Vote.Stamp}")).Append('\n');
        }

        return sb.ToString();
    }
}
