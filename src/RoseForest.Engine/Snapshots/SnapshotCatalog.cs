using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using RoseForest.Storage.IO;

namespace RoseForest.Engine.Snapshots;

/// <summary>
/// The one snapshot catalogue: user-facing snapshots of collections under
/// <c>&lt;data&gt;/snapshots/&lt;collection&gt;/</c>, named
/// <c>&lt;collection&gt;-&lt;lsn&gt;-&lt;yyyy-MM-dd-HH-mm-ss&gt;.snapshot</c>. A snapshot is the
/// collection's newest checkpoint copied out durably (tmp, fsync, rename, folder fsync) while no
/// checkpoint may be deleted; its SHA-256 is computed during the copy and stored beside it in
/// <c>&lt;name&gt;.checksum</c> (as Qdrant does), so listing never re-reads a snapshot. Names are
/// checked against a strict pattern and resolved inside the folder. Snapshots started in the
/// background are tracked: a failure is logged and reported by <see cref="LastError"/>, and
/// closing the database waits for them.
/// </summary>
internal sealed partial class SnapshotCatalog : ISnapshotCatalog
{
    private const string ChecksumExtension = ".checksum";

    private readonly RoseForestDatabase _database;
    private readonly string? _root;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<Task, string> _running = new();
    private readonly ConcurrentDictionary<string, string> _lastErrors = new(StringComparer.Ordinal);

    public SnapshotCatalog(RoseForestDatabase database, string? root, DatabaseOptions options)
    {
        _database = database;
        _root = root;
        _time = options.TimeProvider;
        _log = options.LoggerFactory.CreateLogger("RoseForest.Engine.Snapshots");
    }

    /// <summary>The folder holding every collection's snapshots (null for an in-memory database).</summary>
    public string? Root => _root;

    public async Task<SnapshotDescription> CreateAsync(string collection, CancellationToken cancellationToken = default)
    {
        collection = _database.ResolveName(collection);
        var c = _database.GetCollection(collection);
        var folder = Folder(collection);
        var lsn = await c.CheckpointAsync(cancellationToken).ConfigureAwait(false);
        return await c.UseNewestCheckpointAsync(lsn, checkpoint =>
        {
            Directory.CreateDirectory(folder);
            var created = _time.GetUtcNow();
            var name = $"{collection}-{checkpoint.Lsn}-{created.UtcDateTime.ToString("yyyy-MM-dd-HH-mm-ss", CultureInfo.InvariantCulture)}.snapshot";
            var target = Path.Combine(folder, name);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            DurableFile.CopyAtomic(checkpoint.Path, target, bytes => hash.AppendData(bytes));
            var checksum = Convert.ToHexStringLower(hash.GetHashAndReset());
            DurableFile.WriteAllBytesAtomic(target + ChecksumExtension, System.Text.Encoding.ASCII.GetBytes(checksum + "\n"));
            _lastErrors.TryRemove(collection, out _);
            return Describe(target, checksum);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a snapshot in the background (Qdrant's <c>wait=false</c>) after checking the
    /// collection exists. The task is tracked: its failure is logged and kept for
    /// <see cref="LastError"/>, and <see cref="WaitForBackgroundAsync"/> awaits it.
    /// </summary>
    /// <returns>A completed task once the snapshot is started.</returns>
    public Task StartCreateAsync(string collection, CancellationToken cancellationToken = default)
    {
        collection = _database.ResolveName(collection);
        _database.GetCollection(collection);
        Folder(collection);
        var task = Task.Run(() => CreateAsync(collection));
        _running[task] = collection;
        task.ContinueWith(
            t =>
            {
                _running.TryRemove(t, out _);
                if (t.Exception?.GetBaseException() is { } e)
                {
                    _lastErrors[collection] = e.Message;
                    LogBackgroundFailed(_log, collection, e.Message, e);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return Task.CompletedTask;
    }

    /// <summary>Why the last snapshot of the collection failed, or null when the last one succeeded.</summary>
    public string? LastError(string collection) => _lastErrors.TryGetValue(_database.ResolveName(collection), out var e) ? e : null;

    /// <summary>Waits for snapshots started in the background.</summary>
    public async Task WaitForBackgroundAsync()
    {
        foreach (var task in _running.Keys)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Logged and recorded by the continuation.
            }
        }
    }

    public Task<IReadOnlyList<SnapshotDescription>> ListAsync(string collection, CancellationToken cancellationToken = default)
    {
        collection = _database.ResolveName(collection);
        if (!_database.CollectionExists(collection))
        {
            throw new CollectionNotFoundException(collection);
        }

        var folder = Folder(collection);
        IReadOnlyList<SnapshotDescription> list = Directory.Exists(folder)
            ? [.. Directory.EnumerateFiles(folder, "*.snapshot").Order(StringComparer.Ordinal).Select(TryDescribe).OfType<SnapshotDescription>()]
            : [];
        return Task.FromResult(list);
    }

    public Task<bool> DeleteAsync(string collection, string snapshot, CancellationToken cancellationToken = default)
    {
        var path = Resolve(_database.ResolveName(collection), snapshot);
        File.Delete(path);
        File.Delete(path + ChecksumExtension);
        DurableFile.SyncDirectory(Path.GetDirectoryName(path)!);
        return Task.FromResult(true);
    }

    public Task<Stream> OpenAsync(string collection, string snapshot, CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream>(new FileStream(Resolve(_database.ResolveName(collection), snapshot), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, useAsync: true));

    public async Task RestoreAsync(string collection, Stream snapshot, string? checksum = null, CancellationToken cancellationToken = default)
    {
        collection = _database.ResolveName(collection);
        CollectionOptions.ValidateName(collection);
        ArgumentNullException.ThrowIfNull(snapshot);
        var staged = StagingPath(collection);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var target = new FileStream(staged, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await snapshot.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }

            CheckChecksum(checksum, Convert.ToHexStringLower(hash.GetHashAndReset()));
            await _database.RestoreCollectionAsync(collection, staged, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(staged);
        }
    }

    public async Task RestoreFromCatalogAsync(string collection, string location, string? checksum = null, CancellationToken cancellationToken = default)
    {
        collection = _database.ResolveName(collection);
        var path = ResolveLocation(collection, location);
        if (checksum is not null)
        {
            CheckChecksum(checksum, ReadChecksum(path));
        }

        await _database.RestoreCollectionAsync(collection, path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The file of a named snapshot; throws NotFound when there is none, Validation for a bad name.</summary>
    public string Resolve(string collection, string name)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw new ValidationException("snapshot_name", $"'{name}' is not a snapshot name (letters, digits, '.', '_', '-', ending in .snapshot).");
        }

        var folder = Path.GetFullPath(Folder(collection));
        var path = Path.GetFullPath(Path.Combine(folder, name));
        if (!path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ValidationException("snapshot_name", $"'{name}' is outside the snapshot folder.");
        }

        return File.Exists(path) ? path : throw new NotFoundException($"Snapshot {name} of collection {collection} does not exist");
    }

    /// <summary>A snapshot name of <paramref name="collection"/>, or a file:// URL or path inside the catalogue's folder.</summary>
    private string ResolveLocation(string collection, string location)
    {
        if (!location.Contains('/', StringComparison.Ordinal))
        {
            // A bare name: the target collection's own snapshot, else the one snapshot of that
            // name in the catalogue (names start with their collection's name).
            if (!NamePattern().IsMatch(location))
            {
                return Resolve(collection, location);
            }

            var own = Path.Combine(Folder(collection), location);
            if (File.Exists(own) || !Directory.Exists(RequireRoot()))
            {
                return Resolve(collection, location);
            }

            var found = Directory.EnumerateDirectories(RequireRoot()).Select(d => Path.Combine(d, location)).Where(File.Exists).ToList();
            return found.Count == 1 ? found[0] : Resolve(collection, location);
        }

        var local = Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.IsFile ? uri.LocalPath : location;
        var root = Path.GetFullPath(RequireRoot());
        var full = Path.GetFullPath(Path.IsPathRooted(local) ? local : Path.Combine(root, local));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ValidationException("location", "a local snapshot must be inside this server's snapshot folder.");
        }

        var source = Path.GetFileName(Path.GetDirectoryName(full)!);
        var resolved = Resolve(source, Path.GetFileName(full));
        return resolved == full ? resolved : throw new ValidationException("location", "a local snapshot must be a <collection>/<name>.snapshot file in this server's snapshot folder.");
    }

    private static void CheckChecksum(string? expected, string actual)
    {
        if (expected is not null && !string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
        {
            throw new ValidationException("checksum", "the snapshot's SHA-256 does not match the checksum given.");
        }
    }

    /// <summary>Where an uploaded or downloaded snapshot is staged before it is restored.</summary>
    private string StagingPath(string collection)
    {
        var folder = Path.Combine(RequireRoot(), ".uploads");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, $"{collection}-{Guid.NewGuid():N}.snapshot");
    }

    /// <summary>The stored checksum; one written by an older version without a sidecar is computed once and stored.</summary>
    private static string ReadChecksum(string path)
    {
        var sidecar = path + ChecksumExtension;
        if (File.Exists(sidecar))
        {
            return File.ReadAllText(sidecar).Trim();
        }

        using var stream = File.OpenRead(path);
        var checksum = Convert.ToHexStringLower(SHA256.HashData(stream));
        DurableFile.WriteAllBytesAtomic(sidecar, System.Text.Encoding.ASCII.GetBytes(checksum + "\n"));
        return checksum;
    }

    private string Folder(string collection)
    {
        CollectionOptions.ValidateName(collection);
        return Path.Combine(RequireRoot(), collection);
    }

    private string RequireRoot() => _root ?? throw new ValidationException("snapshot", "an in-memory database keeps no files, so it has no snapshots.");

    /// <summary>
    /// The description of a listed snapshot, or null when it was deleted between the listing and
    /// now (its checksum sidecar or its length is read after the directory was enumerated).
    /// </summary>
    internal static SnapshotDescription? TryDescribe(string path)
    {
        try
        {
            return Describe(path, ReadChecksum(path));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The description of a catalogue file: LSN and time from its name when it follows the pattern, else from the file.</summary>
    private static SnapshotDescription Describe(string path, string checksum)
    {
        var file = new FileInfo(path);
        var match = GeneratedName().Match(file.Name);
        long lsn = 0;
        var created = new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero);
        if (match.Success)
        {
            lsn = long.Parse(match.Groups["lsn"].Value, CultureInfo.InvariantCulture);
            created = DateTimeOffset.ParseExact(match.Groups["time"].Value, "yyyy-MM-dd-HH-mm-ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        }

        return new SnapshotDescription(file.Name, created, file.Length, checksum, lsn);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A background snapshot of {Collection} failed: {Reason}")]
    private static partial void LogBackgroundFailed(ILogger logger, string collection, string reason, Exception error);

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,250}\.snapshot$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"-(?<lsn>[0-9]+)-(?<time>[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{2}-[0-9]{2}-[0-9]{2})\.snapshot$")]
    private static partial Regex GeneratedName();
}
