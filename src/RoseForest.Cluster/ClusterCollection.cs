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
        if (node.State.Collections.TryGetValue(name, out var entry))
        {
            return entry;
        }

        await node.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return node.State.Collections.GetValueOrDefault(name) ?? throw new CollectionNotFoundException(name);
    }

    private static string? ShardKey => ClusterRequest.Current?.ShardKey;
}
