using RoseForest.Cluster.Catalog;

namespace RoseForest.Cluster;

/// <summary>
/// One collection of the cluster: writes become records in the shard logs (one PostgreSQL
/// transaction per request), reads go to replicas and are merged. Split by concern:
/// <c>.Write</c> (validation, routing, append, apply waits) and <c>.Read</c> (replica choice,
/// consistency, fan-out, merge).
/// </summary>
internal sealed partial class ClusterCollection(ClusterNode node, string name) : IVectorCollection
{
    public string Name => name;

    private async Task<CollectionEntry> EntryAsync(CancellationToken cancellationToken)
    {
        node.ThrowIfNotJoined();
        if (node.Time.GetElapsedTime(node.State.ReadAt) > node.Options.PollInterval * 2)
        {
            // A stale view counts every peer as down (NodeHealth): read the catalogue again first,
            // as after this process was frozen or cut off from PostgreSQL.
            await node.RefreshAsync(cancellationToken).ConfigureAwait(false);
        }

        // The name may be an alias: resolved on every call, so an alias switch takes effect at once.
        if (node.State.Collections.TryGetValue(node.State.Resolve(name), out var entry))
        {
            return entry;
        }

        await node.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return node.State.Collections.GetValueOrDefault(node.State.Resolve(name)) ?? throw new CollectionNotFoundException(name);
    }

    private static string? ShardKey => ClusterRequest.Current?.ShardKey;
}
