using RoseForest.Cluster.Catalog;

namespace RoseForest.Cluster.Control;

/// <summary>One change the controller makes to the assignments.</summary>
internal abstract record ControllerAction(long ShardId);

/// <summary>A replica's node lost its lease.</summary>
internal sealed record MarkDead(long ShardId, long NodeId) : ControllerAction(ShardId);

/// <summary>A dead replica's node is back: it catches up.</summary>
internal sealed record Revive(long ShardId, long NodeId) : ControllerAction(ShardId);

/// <summary>A partial replica caught up.</summary>
internal sealed record Promote(long ShardId, long NodeId) : ControllerAction(ShardId);

/// <summary>A new replica (partial until it catches up).</summary>
internal sealed record AddReplica(long ShardId, long NodeId) : ControllerAction(ShardId);

/// <summary>An assignment removed (its node deletes the local copy).</summary>
internal sealed record DropReplica(long ShardId, long NodeId) : ControllerAction(ShardId);

/// <summary>A requested transfer is done (or can no longer be done).</summary>
internal sealed record FinishTransfer(long ShardId, long TransferId) : ControllerAction(ShardId);

/// <summary>The log up to a sequence is no longer needed by any replica.</summary>
internal sealed record Truncate(long ShardId, long UpToSeq) : ControllerAction(ShardId);

/// <summary>
/// The controller's decisions as a pure function of one catalogue read, so they can be tested
/// without PostgreSQL: leases → dead/revived replicas; caught-up partial replicas → active;
/// shards below their replication factor → new replicas on the least loaded live nodes (dead
/// replicas count until they are dropped after <see cref="ClusterOptions.ReplaceDeadAfter"/>);
/// requested moves, replications and drops; and log truncation behind the slowest replica.
/// </summary>
internal static class ControllerPlan
{
    /// <summary>Truncation waits until this many records can go at once.</summary>
    public const long TruncateStep = 256;

    public static List<ControllerAction> Decide(ClusterState state, ClusterOptions options)
    {
        var actions = new List<ControllerAction>();
        var up = state.Nodes.Values.Where(n => n.HeartbeatAge < options.NodeLease).Select(n => n.Id).ToHashSet();
        var load = state.Nodes.Keys.ToDictionary(id => id, _ => 0);
        foreach (var r in state.Shards.Values.SelectMany(s => s.Replicas))
        {
            load[r.NodeId] = load.GetValueOrDefault(r.NodeId) + 1;
        }

        foreach (var shard in state.Shards.Values.OrderBy(s => s.Id))
        {
            var kept = new HashSet<long>();
            foreach (var r in shard.Replicas)
            {
                var nodeUp = up.Contains(r.NodeId);
                if (!nodeUp && r.State != ReplicaStatus.Dead)
                {
                    actions.Add(new MarkDead(shard.Id, r.NodeId));
                    kept.Add(r.NodeId);
                }
                else if (nodeUp && r.State == ReplicaStatus.Dead)
                {
                    actions.Add(new Revive(shard.Id, r.NodeId));
                    kept.Add(r.NodeId);
                }
                else if (r.State == ReplicaStatus.Dead && r.StateAge >= options.ReplaceDeadAfter)
                {
                    actions.Add(new DropReplica(shard.Id, r.NodeId));
                    load[r.NodeId]--;
                }
                else
                {
                    if (r.State == ReplicaStatus.Partial && nodeUp && r.ReportedInState && r.AppliedSeq >= 0 && r.AppliedSeq >= shard.LastSeq - options.CatchUpLag)
                    {
                        actions.Add(new Promote(shard.Id, r.NodeId));
                    }

                    kept.Add(r.NodeId);
                }
            }

            foreach (var transfer in state.Transfers.Where(t => t.ShardId == shard.Id))
            {
                PlanTransfer(shard, transfer, up, kept, load, actions);
            }

            while (kept.Count < shard.ReplicationFactor)
            {
                var candidate = up.Where(n => !kept.Contains(n)).OrderBy(n => load.GetValueOrDefault(n)).ThenBy(n => n).Cast<long?>().FirstOrDefault();
                if (candidate is not { } node)
                {
                    break;
                }

                actions.Add(new AddReplica(shard.Id, node));
                kept.Add(node);
                load[node] = load.GetValueOrDefault(node) + 1;
            }

            if (shard.Replicas.Count > 0)
            {
                var slowest = shard.Replicas.Min(r => r.AppliedSeq);
                if (slowest - shard.TruncatedSeq >= TruncateStep)
                {
                    actions.Add(new Truncate(shard.Id, slowest));
                }
            }
        }

        return actions;
    }

    private static void PlanTransfer(ShardInfo shard, TransferInfo transfer, HashSet<long> up, HashSet<long> kept, Dictionary<long, int> load, List<ControllerAction> actions)
    {
        var active = shard.Replicas.Where(r => r.State == ReplicaStatus.Active).Select(r => r.NodeId).ToHashSet();
        switch (transfer.Kind)
        {
            case "drop":
                if (transfer.FromNode is { } victim && kept.Contains(victim) && active.Any(n => n != victim))
                {
                    actions.Add(new DropReplica(shard.Id, victim));
                    kept.Remove(victim);
                }

                actions.Add(new FinishTransfer(shard.Id, transfer.Id));
                return;
            case "replicate" or "move":
                if (transfer.ToNode is not { } target || !up.Contains(target))
                {
                    return; // waits for the target node to be up
                }

                if (!kept.Contains(target))
                {
                    actions.Add(new AddReplica(shard.Id, target));
                    kept.Add(target);
                    load[target] = load.GetValueOrDefault(target) + 1;
                    return;
                }

                if (!active.Contains(target))
                {
                    return; // catching up
                }

                if (transfer.Kind == "move" && transfer.FromNode is { } from && from != target && kept.Contains(from))
                {
                    actions.Add(new DropReplica(shard.Id, from));
                    kept.Remove(from);
                }

                actions.Add(new FinishTransfer(shard.Id, transfer.Id));
                return;
        }
    }
}
