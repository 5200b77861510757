using RoseForest.Cluster.Catalog;

namespace RoseForest.Cluster.Routing;

/// <summary>
/// Whether a node counts as up, from fresh data only: its heartbeat's age when the catalogue
/// was read plus the time since that read. A node whose heartbeat is older than the lease is
/// down, and so is every peer once this node's own view of the catalogue goes stale.
/// </summary>
internal static class NodeHealth
{
    public static bool IsUp(NodeInfo node, ClusterState state, long selfId, TimeProvider time, TimeSpan lease)
    {
        if (node.Id == selfId)
        {
            return true;
        }

        var sinceRead = time.GetElapsedTime(state.ReadAt);
        return node.HeartbeatAge + sinceRead < lease;
    }
}
