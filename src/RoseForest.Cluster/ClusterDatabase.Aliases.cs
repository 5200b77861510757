namespace RoseForest.Cluster;

/// <summary>
/// Aliases in cluster mode: kept in the PostgreSQL catalogue (<c>roseforest.aliases</c>), changed
/// all or nothing in one transaction, so every node resolves a name alike once it has read the
/// catalogue (a node that does not know a name re-reads the catalogue before answering 404).
/// </summary>
internal sealed partial class ClusterDatabase
{
    public async Task UpdateAliasesAsync(IReadOnlyList<AliasOperation> actions, CancellationToken cancellationToken = default)
    {
        node.ThrowIfNotJoined();
        ArgumentNullException.ThrowIfNull(actions);
        await node.Catalog.UpdateAliasesAsync(actions, cancellationToken).ConfigureAwait(false);
        await node.RefreshAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<CollectionAlias>> ListAliasesAsync(string? collectionName = null, CancellationToken cancellationToken = default)
    {
        node.ThrowIfNotJoined();
        string? target = null;
        if (collectionName is not null)
        {
            target = (await TryEntryAsync(collectionName, cancellationToken).ConfigureAwait(false) ?? throw new CollectionNotFoundException(collectionName)).Name;
        }
        else
        {
            await node.RefreshAsync(cancellationToken).ConfigureAwait(false);
        }

        return [.. node.State.Aliases
            .Where(a => target is null || a.Value == target)
            .OrderBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => new CollectionAlias(a.Key, a.Value))];
    }
}
