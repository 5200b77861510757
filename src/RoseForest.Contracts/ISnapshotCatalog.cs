namespace RoseForest.Contracts;

/// <summary>
/// User-facing snapshots of collections (Qdrant's snapshot API): durable files with a SHA-256
/// checksum computed once when they are made. A snapshot restores into a collection of any name.
/// </summary>
public interface ISnapshotCatalog
{
    /// <summary>Takes a snapshot now (covering every write acknowledged before the call) and keeps it in the catalogue.</summary>
    Task<SnapshotDescription> CreateAsync(string collection, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts a snapshot and returns once the request is accepted (Qdrant's <c>wait=false</c>);
    /// the work goes on in the background, is tracked, and a failure shows in
    /// <see cref="CollectionInfo.LastSnapshotError"/>.
    /// </summary>
    Task StartCreateAsync(string collection, CancellationToken cancellationToken = default);

    /// <summary>The collection's snapshots, oldest name first.</summary>
    Task<IReadOnlyList<SnapshotDescription>> ListAsync(string collection, CancellationToken cancellationToken = default);

    /// <summary>Deletes a snapshot; throws <see cref="NotFoundException"/> when there is none.</summary>
    Task<bool> DeleteAsync(string collection, string snapshot, CancellationToken cancellationToken = default);

    /// <summary>Opens a snapshot's bytes for reading (a download).</summary>
    Task<Stream> OpenAsync(string collection, string snapshot, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates or replaces <paramref name="collection"/> from snapshot bytes (an upload, a
    /// download, a local file). With <paramref name="checksum"/>, the bytes' SHA-256 must match.
    /// A damaged or foreign file is refused with <see cref="ValidationException"/> and nothing changes.
    /// </summary>
    Task RestoreAsync(string collection, Stream snapshot, string? checksum = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates or replaces <paramref name="collection"/> from one of the catalogue's own
    /// snapshots: <paramref name="location"/> is a snapshot name of that collection, or a
    /// <c>file://</c> URL or path inside the catalogue's folder (of any collection). Nothing
    /// outside the catalogue is read.
    /// </summary>
    Task RestoreFromCatalogAsync(string collection, string location, string? checksum = null, CancellationToken cancellationToken = default);
}
