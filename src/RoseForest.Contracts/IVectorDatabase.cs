namespace RoseForest.Contracts;

/// <summary>
/// A RoseForest vector database: named collections of points. The one service interface every
/// transport (REST, gRPC, MCP, the dashboard) and every host (the embedded engine, the REST
/// client, a cluster router) share: the engine implements it in-process, <c>RoseForestClient</c>
/// implements it over the REST API. Errors are typed (<see cref="ValidationException"/>,
/// <see cref="NotFoundException"/>, <see cref="CollectionAlreadyExistsException"/>,
/// <see cref="CollectionFaultedException"/>, all <see cref="RoseForestException"/>s).
/// </summary>
public interface IVectorDatabase : IAsyncDisposable
{
    /// <summary>The collections' names, sorted (faulted ones included).</summary>
    Task<IReadOnlyList<string>> ListCollectionsAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates a collection; throws <see cref="CollectionAlreadyExistsException"/> or <see cref="ValidationException"/>.</summary>
    Task CreateCollectionAsync(string name, CollectionOptions options, CancellationToken cancellationToken = default);

    /// <summary>Deletes a collection and its files; false when it did not exist.</summary>
    Task<bool> DeleteCollectionAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>True when the collection exists (open or faulted).</summary>
    Task<bool> CollectionExistsAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The collection's settings, size and health; a faulted collection reports why.</summary>
    Task<CollectionInfo> GetCollectionInfoAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reopens a collection from its files without deleting anything, once the cause of a fault
    /// is fixed (<paramref name="salvage"/>: keep the good prefix of damaged files and move the
    /// rest aside).
    /// </summary>
    Task<RecoveryResult> RecoverCollectionAsync(string name, bool salvage = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// The named collection's points. Throws <see cref="CollectionNotFoundException"/> (here, or
    /// at the first call for a remote database) when there is no such collection.
    /// </summary>
    IVectorCollection GetCollection(string name);

    /// <summary>
    /// Applies alias changes all or nothing. An alias is another name of a collection: every
    /// call that names a collection (<see cref="GetCollection"/>, info, exists, snapshots, the
    /// change feed) accepts it, and an alias wins over a collection of the same name, as in
    /// Qdrant; deleting a collection removes its aliases. Throws <see cref="ValidationException"/>
    /// (a bad name, an alias named like a collection), <see cref="CollectionNotFoundException"/>
    /// (the target collection) or <see cref="NotFoundException"/> (renaming a missing alias).
    /// </summary>
    Task UpdateAliasesAsync(IReadOnlyList<AliasOperation> actions, CancellationToken cancellationToken = default);

    /// <summary>Every alias sorted by name, or only the aliases of <paramref name="collectionName"/>.</summary>
    Task<IReadOnlyList<CollectionAlias>> ListAliasesAsync(string? collectionName = null, CancellationToken cancellationToken = default);

    /// <summary>The collection's snapshot catalogue (Qdrant's <c>/collections/{name}/snapshots</c>).</summary>
    ISnapshotCatalog Snapshots { get; }

    /// <summary>The collection's change feed: committed writes in LSN order.</summary>
    IChangeFeed Changes { get; }
}
