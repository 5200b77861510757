namespace RoseForest.Cluster;

/// <summary>
/// Aliases in cluster mode: not built yet. They would live in the PostgreSQL catalogue beside the
/// collections so every node resolves them alike; until then alias changes are refused with a 400
/// and the list is empty (no node can have any), never answered from one node's local table.
/// </summary>
internal sealed partial class ClusterDatabase
{
    public Task UpdateAliasesAsync(IReadOnlyList<AliasOperation> actions, CancellationToken cancellationToken = default) =>
        throw new ClusterNotSupportedException("actions", "collection aliases");

    public async Task<IReadOnlyList<CollectionAlias>> ListAliasesAsync(string? collectionName = null, CancellationToken cancellationToken = default)
    {
        if (collectionName is not null && !await CollectionExistsAsync(collectionName, cancellationToken).ConfigureAwait(false))
        {
            throw new CollectionNotFoundException(collectionName);
        }

        return [];
    }
}
