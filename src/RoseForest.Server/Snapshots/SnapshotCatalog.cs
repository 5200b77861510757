using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using RoseForest.Engine;

namespace RoseForest.Server.Snapshots;

/// <summary>
/// User-facing snapshots (Qdrant's /collections/{name}/snapshots): copies of a collection's
/// snapshot files under <c>&lt;data&gt;/snapshots/&lt;collection&gt;/</c>, named
/// <c>&lt;collection&gt;-&lt;lsn&gt;-&lt;yyyy-MM-dd-HH-mm-ss&gt;.snapshot</c>, with SHA-256 checksums.
/// Names are checked against a strict pattern and resolved inside that folder, so a request can
/// never reach a file outside it.
/// </summary>
internal sealed partial class SnapshotCatalog(string root, RoseForestDatabase database)
{
    public string Root => root;

    public async Task<SnapshotDescription> CreateAsync(string collection, TimeProvider time, CancellationToken ct)
    {
        var info = await database.GetCollection(collection).CreateSnapshotAsync(ct).ConfigureAwait(false);
        var folder = Folder(collection);
        Directory.CreateDirectory(folder);
        var stamp = time.GetUtcNow().UtcDateTime;
        var name = $"{collection}-{info.Lsn}-{stamp:yyyy-MM-dd-HH-mm-ss}.snapshot";
        var target = Path.Combine(folder, name);
        var tmp = target + ".tmp";

        // The collection's own snapshot may be replaced by its next one: copy it out first.
        File.Copy(info.Path, tmp, overwrite: true);
        File.Move(tmp, target, overwrite: true);
        return Describe(target);
    }

    public IReadOnlyList<SnapshotDescription> List(string collection)
    {
        var folder = Folder(collection);
        return Directory.Exists(folder)
            ? [.. Directory.EnumerateFiles(folder, "*.snapshot").Order(StringComparer.Ordinal).Select(Describe)]
            : [];
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

    public bool Delete(string collection, string name)
    {
        File.Delete(Resolve(collection, name));
        return true;
    }

    /// <summary>Where an uploaded snapshot is staged before recovery.</summary>
    public string StagingPath(string collection)
    {
        var folder = Path.Combine(root, ".uploads");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, $"{collection}-{Guid.NewGuid():N}.snapshot");
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private string Folder(string collection)
    {
        CollectionOptions.ValidateName(collection);
        return Path.Combine(root, collection);
    }

    private static SnapshotDescription Describe(string path)
    {
        var file = new FileInfo(path);
        return new SnapshotDescription(file.Name, file.LastWriteTimeUtc.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture), file.Length, Sha256(path));
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,250}\.snapshot$")]
    private static partial Regex NamePattern();
}

/// <summary>Qdrant's SnapshotDescription.</summary>
internal sealed record SnapshotDescription(string Name, string CreationTime, long Size, string Checksum);
