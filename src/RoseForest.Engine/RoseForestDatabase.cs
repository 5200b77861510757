using System.Collections.Concurrent;
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
public sealed class RoseForestDatabase : IAsyncDisposable
{
    private const string CollectionsFolder = "collections";
    private const string TempPrefix = ".tmp-";
    private const string DeletedPrefix = ".deleted-";

    private readonly ConcurrentDictionary<string, Collection> _collections = new(StringComparer.Ordinal);
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
    }

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

            _collections[name] = Collection.OpenExisting(name, dir, _options);
        }
    }

    /// <summary>The collections' names, sorted.</summary>
    public IReadOnlyList<string> ListCollections()
    {
        ThrowIfDisposed();
        return [.. _collections.Keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>The named collection; throws <see cref="CollectionNotFoundException"/>.</summary>
    public Collection GetCollection(string name)
    {
        ThrowIfDisposed();
        return _collections.TryGetValue(name, out var c) ? c : throw new CollectionNotFoundException(name);
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
            if (_collections.ContainsKey(name))
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
            if (!_collections.TryRemove(name, out var collection))
            {
                return false;
            }

            await collection.CloseAsync(checkpoint: false, deleted: true).ConfigureAwait(false);
            if (_root is not null && collection.Options.Durability != Durability.Memory)
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
    /// <see cref="Collection.CreateSnapshotAsync"/> writes and GET …/snapshots/{name} serves).
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
            if (_collections.TryRemove(name, out var old))
            {
                await old.CloseAsync(checkpoint: false, deleted: true).ConfigureAwait(false);
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
}
