namespace RoseForest.Engine;

/// <summary>The database's <see cref="IChangeFeed"/>: each collection's feed (see <see cref="Collection.ReadChangesAsync"/>).</summary>
internal sealed class ChangeFeed(RoseForestDatabase database) : IChangeFeed
{
    public Task<ChangeBatch> ReadAsync(string collection, long fromLsn, int maxRecords, TimeSpan wait, CancellationToken cancellationToken = default) =>
        database.GetCollection(collection).ReadChangesAsync(fromLsn, maxRecords, wait, cancellationToken);

    public Task RegisterFollowerAsync(string collection, string follower, long nextLsn, CancellationToken cancellationToken = default) =>
        database.GetCollection(collection).RegisterFollowerAsync(follower, nextLsn, cancellationToken);

    public Task<bool> RemoveFollowerAsync(string collection, string follower, CancellationToken cancellationToken = default) =>
        database.GetCollection(collection).RemoveFollowerAsync(follower, cancellationToken);
}
