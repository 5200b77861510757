using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RoseForest.Engine.Internal;
using RoseForest.Storage.IO;

namespace RoseForest.Engine;

/// <summary>
/// An embedded RoseForest database: named collections in a folder (or only in memory).
/// Open it once per folder per process; the folder is locked while it is open.
/// <code>
/// await using var db = await RoseForestDatabase.OpenAsync("data");
/// var docs = await db.CreateCollectionAsync("docs", new CollectionOptions { Dimension = 3, Geometry = Geometry.Cosine });
/// </code>
/// </summary>
public sealed partial class RoseForestDatabase : IVectorDatabase
{
    private const string CollectionsFolder = "collections";
    private const string TempPrefix = ".tmp-";
    private const string DeletedPrefix = ".deleted-";

    private readonly ConcurrentDictionary<string, Collection> _collections = new(StringComparer.Ordinal);

    /// <summary>Collections whose folder could not be opened (a storage failure): listed, refused with the reason, recoverable.</summary>
    private readonly ConcurrentDictionary<string, FaultedCollection> _faulted = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _catalogGate = new(1, 1);
    private readonly DatabaseOptions _options;
    private readonly string? _root;
    private readonly DirectoryLock? _lock;
    private bool _disposed;

    private RoseForestDatabase(string? root, DatabaseOptions options, DirectoryLock? directoryLock)
    {
        _root = root;
        _options = options;
        _lock = directoryLock;
        _log = options.LoggerFactory.CreateLogger("RoseForest.Engine.Database");
        _snapshots = new Snapshots.SnapshotCatalog(this, root is null ? null : Path.Combine(root, SnapshotsFolder), options);
        Changes = new ChangeFeed(this);
    }

    private const string SnapshotsFolder = "snapshots";
    private readonly Snapshots.SnapshotCatalog _snapshots;

    /// <summary>The snapshot catalogue: user-facing snapshots under <c>&lt;data&gt;/snapshots/</c>, with stored checksums.</summary>
    public ISnapshotCatalog Snapshots => _snapshots;

    /// <summary>The collections' change feeds (committed writes in LSN order, with follower retention pins).</summary>
    public IChangeFeed Changes { get; }

    /// <summary>The catalogue itself, for the server's background snapshots (wait=false).</summary>
    internal Snapshots.SnapshotCatalog Catalog => _snapshots;

    private readonly ILogger _log;

    /// <summary>The data folder, or null for an in-memory database.</summary>
    public string? DataPath => _root;

    /// <summary>
    /// Opens (creating if needed) a database folder and recovers every collection in it: the
    /// latest valid snapshot, then the log after it.
    /// </summary>
    public static async Task<RoseForestDatabase> OpenAsync(string path, DatabaseOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new DatabaseOptions();
        var root = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.Combine(root, CollectionsFolder));
        var directoryLock = DirectoryLock.Acquire(root);
        var db = new RoseForestDatabase(root, options, directoryLock);
        try
        {
            await Task.Run(() => db.LoadCollections(cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await db.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return db;
    }

    /// <summary>A database with no folder: every collection is a memory collection.</summary>
    public static RoseForestDatabase CreateInMemory(DatabaseOptions? options = null) => new(null, options ?? new DatabaseOptions(), null);

    private void LoadCollections(CancellationToken cancellationToken)
    {
        var folder = Path.Combine(_root!, CollectionsFolder);
        foreach (var dir in Directory.EnumerateDirectories(folder))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(dir);
            if (name.StartsWith(TempPrefix, StringComparison.Ordinal) || name.StartsWith(DeletedPrefix, StringComparison.Ordinal))
            {
                // A create or delete that crashed half-way: finish it.
                Directory.Delete(dir, recursive: true);
                continue;
            }

            OpenOrFault(name, dir, _options);
        }
    }

    /// <summary>
    /// Opens one collection folder. A storage failure (an unreadable config, corruption before
    /// the log's tail, an I/O error) faults only this collection: it is listed, every call on it
    /// says why, and <see cref="RecoverCollectionAsync"/> retries once the cause is fixed. The
    /// database and its other collections open and serve.
    /// </summary>
    private Collection? OpenOrFault(string name, string directory, DatabaseOptions options)
    {
        try
        {
            var collection = Collection.OpenExisting(name, directory, options);
            collection.CollectionResolver = GetCollection;
            _faulted.TryRemove(name, out _);
            _collections[name] = collection;
            return collection;
        }
        catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
        {
            _faulted[name] = new FaultedCollection(name, directory, e, TryReadOptions(directory));
            LogOpenFailed(_log, name, e.Message, e);
            return null;
        }
    }

    private static CollectionOptions? TryReadOptions(string directory)
    {
        try
        {
            var path = Path.Combine(directory, Collection.ConfigFileName);
            return CollectionConfig.Deserialize(File.ReadAllBytes(path), path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Collection {Name} could not be opened and is faulted until it is recovered: {Reason}")]
    private static partial void LogOpenFailed(ILogger logger, string name, string reason, Exception error);

    /// <summary>The collections' names, sorted (faulted ones included).</summary>
    public IReadOnlyList<string> ListCollections()
    {
        ThrowIfDisposed();
        return [.. _collections.Keys.Concat(_faulted.Keys).Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The named collection; throws <see cref="CollectionNotFoundException"/>, or
    /// <see cref="CollectionFaultedException"/> (with the reason) when it could not be opened.
    /// </summary>
    public Collection GetCollection(string name)
    {
        ThrowIfDisposed();
        if (_collections.TryGetValue(name, out var c))
        {
            return c;
        }

        if (_faulted.TryGetValue(name, out var f))
        {
            throw CollectionFaultedException.CouldNotOpen(name, f.Error);
        }

        throw new CollectionNotFoundException(name);
    }

    /// <summary>True when a collection of that name exists, open or faulted.</summary>
    public bool CollectionExists(string name)
    {
        ThrowIfDisposed();
        return _collections.ContainsKey(name) || _faulted.ContainsKey(name);
    }

    /// <summary>
    /// A collection's size, shape and health. Works for a collection that could not be opened:
    /// it reports <see cref="CollectionStatus.Faulted"/>, the reason, and the settings when its
    /// config could be read (zero counts otherwise).
    /// </summary>
    public CollectionInfo GetCollectionInfo(string name)
    {
        ThrowIfDisposed();
        if (_collections.TryGetValue(name, out var c))
        {
            var info = c.GetInfo();
            return _snapshots.LastError(name) is { } error ? info with { LastSnapshotError = error } : info;
        }

        if (_faulted.TryGetValue(name, out var f))
        {
            var o = f.Options;
            return new CollectionInfo(name, 0, o?.Dimension ?? 0, o?.Geometry ?? default, o?.Curvature ?? 1, o?.Durability ?? Durability.Sync, 0, 0, 0)
            {
                Status = CollectionStatus.Faulted,
                Fault = CollectionFaultedException.CouldNotOpen(name, f.Error).Message,
            };
        }

        throw new CollectionNotFoundException(name);
    }

    /// <summary>The settings of a collection that could not be opened, when its config was readable.</summary>
    public CollectionOptions? GetFaultedOptions(string name) => _faulted.TryGetValue(name, out var f) ? f.Options : null;

    /// <summary>
    /// Reopens a collection from its folder without deleting anything: for a collection that
    /// could not be opened, or one that refuses writes after a storage failure, once the cause
    /// is gone. A healthy collection is closed and reopened too (its log replays). With
    /// <paramref name="salvage"/>, damage before the log's tail keeps the good prefix and moves
    /// the rest aside (never deleted), as <see cref="DatabaseOptions.Salvage"/> does at open.
    /// If the reopen fails again the collection stays faulted with the new reason, which is thrown.
    /// </summary>
    public async Task<Collection> RecoverCollectionAsync(string name, bool salvage = false, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (_root is null)
        {
            throw new ValidationException("recover", "an in-memory database has nothing on disk to recover from.");
        }

        await _catalogGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            string directory;
            if (_collections.TryRemove(name, out var open))
            {
                if (open.Options.Durability == Durability.Memory)
                {
                    _collections[name] = open;
                    throw new ValidationException("recover", $"`{name}` is a memory collection; it has nothing on disk to recover from.");
                }

                await open.CloseAsync(checkpoint: false).ConfigureAwait(false);
                directory = Path.Combine(_root, CollectionsFolder, name);
            }
            else if (_faulted.TryGetValue(name, out var faulted))
            {
                directory = faulted.Directory;
            }
            else
            {
                throw new CollectionNotFoundException(name);
            }

            var options = salvage ? new DatabaseOptions { TimeProvider = _options.TimeProvider, LoggerFactory = _options.LoggerFactory, Salvage = true } : _options;
            return await Task.Run(() => OpenOrFault(name, directory, options), cancellationToken).ConfigureAwait(false)
                ?? throw CollectionFaultedException.CouldNotOpen(name, _faulted[name].Error);
        }
        finally
        {
            _catalogGate.Release();
        }
    }

    /// <summary>The named collection, if it exists.</summary>
    public bool TryGetCollection(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Collection? collection)
    {
        ThrowIfDisposed();
        return _collections.TryGetValue(name, out collection);
    }

    /// <summary>
    /// Creates a collection. Its folder appears atomically (written under a temporary name, then
    /// renamed). Throws <see cref="CollectionAlreadyExistsException"/> or <see cref="ValidationException"/>.
    /// </summary>
    public async Task<Collection> CreateCollectionAsync(string name, CollectionOptions options, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        CollectionOptions.ValidateName(name);
        ArgumentNullException.ThrowIfNull(options);
        if (_root is null && options.Durability != Durability.Memory)
        {
            options = options.WithDurability(Durability.Memory);
        }

        options.Validate();
        await _catalogGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            if (_collections.ContainsKey(name) || _faulted.ContainsKey(name))
            {
                throw new CollectionAlreadyExistsException(name);
            }

            string? directory = null;
            if (options.Durability != Durability.Memory)
            {
                var parent = Path.Combine(_root!, CollectionsFolder);
                directory = Path.Combine(parent, name);
                var temp = Path.Combine(parent, $"{TempPrefix}{name}-{Guid.NewGuid():N}");
                Directory.CreateDirectory(temp);
                DurableFile.WriteAllBytesAtomic(Path.Combine(temp, Collection.ConfigFileName), CollectionConfig.Serialize(options));
                Directory.Move(temp, directory);
                DurableFile.SyncDirectory(parent);
            }

            var collection = Collection.CreateNew(name, options, directory, _options);
            collection.CollectionResolver = GetCollection;
            _collections[name] = collection;
            return collection;
        }
        finally
        {
            _catalogGate.Release();
        }
    }

    /// <summary>
    /// Deletes a collection and its files. Returns false when it did not exist. Calls still
    /// running on it finish; later calls on it throw <see cref="CollectionNotFoundException"/>.
    /// </summary>
    public async Task<bool> DeleteCollectionAsync(string name, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        await _catalogGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var onDisk = false;
            if (_collections.TryRemove(name, out var collection))
            {
                await collection.CloseAsync(checkpoint: false, deleted: true).ConfigureAwait(false);
                onDisk = collection.Options.Durability != Durability.Memory;
            }
            else if (_faulted.TryRemove(name, out _))
            {
                onDisk = true;
            }
            else
            {
                return false;
            }

            if (_root is not null && onDisk)
            {
                var parent = Path.Combine(_root, CollectionsFolder);
                var doomed = Path.Combine(parent, $"{DeletedPrefix}{name}-{Guid.NewGuid():N}");
                Directory.Move(Path.Combine(parent, name), doomed);
                DurableFile.SyncDirectory(parent);
                Directory.Delete(doomed, recursive: true);
            }

            return true;
        }
        finally
        {
            _catalogGate.Release();
        }
    }

    /// <summary>
    /// Creates or replaces a collection from a snapshot file (a RoseForest snapshot, as
    /// the snapshot catalogue writes and GET …/snapshots/{name} serves).
    /// The file is checked completely first; a damaged or foreign file is refused with a
    /// <see cref="ValidationException"/> and nothing changes. The new collection's folder is built
    /// under a temporary name and swapped in, so a crash leaves the old collection or the new one.
    /// </summary>
    public async Task<Collection> RestoreCollectionAsync(string name, string snapshotPath, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        CollectionOptions.ValidateName(name);
        if (_root is null)
        {
            throw new ValidationException("snapshot", "an in-memory database keeps no files, so it cannot restore snapshots.");
        }

        CollectionOptions options;
        long lsn;
        try
        {
            options = Internal.SnapshotCodec.ReadConfig(snapshotPath);
            lsn = Storage.Snapshots.SnapshotReader.Verify(snapshotPath);
        }
        catch (Exception e) when (e is Storage.StorageCorruptionException or InvalidDataException or IOException)
        {
            throw new ValidationException("snapshot", $"not a readable RoseForest snapshot: {e.Message}");
        }

        if (options.Durability == Durability.Memory)
        {
            options = options.WithDurability(Durability.Sync);
        }

        var parent = Path.Combine(_root, CollectionsFolder);
        var temp = Path.Combine(parent, $"{TempPrefix}{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(temp, Collection.CheckpointFolder));
        File.Copy(snapshotPath, Path.Combine(temp, Collection.CheckpointFolder, Storage.Snapshots.SnapshotStore.FileName(lsn)));
        DurableFile.WriteAllBytesAtomic(Path.Combine(temp, Collection.ConfigFileName), CollectionConfig.Serialize(options));

        await _catalogGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            var directory = Path.Combine(parent, name);
            string? doomed = null;
            var replaced = _faulted.TryRemove(name, out _);
            if (_collections.TryRemove(name, out var old))
            {
                await old.CloseAsync(checkpoint: false, deleted: true).ConfigureAwait(false);
                replaced = true;
            }

            if (replaced)
            {
                if (Directory.Exists(directory))
                {
                    doomed = Path.Combine(parent, $"{DeletedPrefix}{name}-{Guid.NewGuid():N}");
                    Directory.Move(directory, doomed);
                }
            }

            Directory.Move(temp, directory);
            DurableFile.SyncDirectory(parent);
            if (doomed is not null)
            {
                Directory.Delete(doomed, recursive: true);
            }

            var collection = Collection.OpenExisting(name, directory, _options);
            collection.CollectionResolver = GetCollection;
            _collections[name] = collection;
            return collection;
        }
        finally
        {
            _catalogGate.Release();
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }
    }

    /// <summary>Closes every collection (each takes a snapshot) and releases the folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _snapshots.WaitForBackgroundAsync().ConfigureAwait(false);
        await _catalogGate.WaitAsync().ConfigureAwait(false);
        try
        {
            List<Exception>? errors = null;
            foreach (var collection in _collections.Values)
            {
                try
                {
                    await collection.CloseAsync(checkpoint: true).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    (errors ??= []).Add(e);
                }
            }

            _collections.Clear();
            _faulted.Clear();
            _lock?.Dispose();
            if (errors is not null)
            {
                throw new AggregateException("Some collections did not close cleanly; their logs still hold every acknowledged write.", errors);
            }
        }
        finally
        {
            _catalogGate.Release();
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    Task<IReadOnlyList<string>> IVectorDatabase.ListCollectionsAsync(CancellationToken cancellationToken) => Task.FromResult(ListCollections());

    async Task IVectorDatabase.CreateCollectionAsync(string name, CollectionOptions options, CancellationToken cancellationToken) =>
        await CreateCollectionAsync(name, options, cancellationToken).ConfigureAwait(false);

    Task<bool> IVectorDatabase.CollectionExistsAsync(string name, CancellationToken cancellationToken) => Task.FromResult(CollectionExists(name));

    Task<CollectionInfo> IVectorDatabase.GetCollectionInfoAsync(string name, CancellationToken cancellationToken) => Task.FromResult(GetCollectionInfo(name));

    async Task<RecoveryResult> IVectorDatabase.RecoverCollectionAsync(string name, bool salvage, CancellationToken cancellationToken)
    {
        var c = await RecoverCollectionAsync(name, salvage, cancellationToken).ConfigureAwait(false);
        return new RecoveryResult(c.GetInfo().PointsCount, c.Recovery?.Wal.RecordsReplayed ?? 0, c.Recovery?.Quarantined.Count ?? 0);
    }

    IVectorCollection IVectorDatabase.GetCollection(string name) => GetCollection(name);

    private sealed record FaultedCollection(string Name, string Directory, Exception Error, CollectionOptions? Options);
}
