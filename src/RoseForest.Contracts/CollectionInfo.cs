namespace RoseForest.Contracts;

/// <summary>A collection's shape and size.</summary>
/// <param name="Name">The collection's name.</param>
/// <param name="PointsCount">Live points.</param>
/// <param name="Dimension">The vector length.</param>
/// <param name="Geometry">The geometry.</param>
/// <param name="Curvature">The curvature magnitude c (hyperbolic geometries; 1 otherwise).</param>
/// <param name="Durability">The durability level.</param>
/// <param name="LastLsn">The LSN of the last applied write.</param>
/// <param name="BytesOnDisk">Bytes of the collection's files (log, snapshots, config).</param>
/// <param name="BytesInMemory">An estimate of the bytes the collection holds in memory.</param>
public sealed record CollectionInfo(
    string Name,
    long PointsCount,
    int Dimension,
    Geometry Geometry,
    double Curvature,
    Durability Durability,
    long LastLsn,
    long BytesOnDisk,
    long BytesInMemory)
{
    /// <summary>Green while healthy; Faulted when the collection refuses writes or could not be opened (see <see cref="Fault"/>).</summary>
    public CollectionStatus Status { get; init; }

    /// <summary>The settings the collection was created with (null when a faulted collection's config could not be read).</summary>
    public CollectionOptions? Options { get; init; }

    /// <summary>Points the HNSW index holds.</summary>
    public long IndexedVectorsCount { get; init; }

    /// <summary>Why the collection is faulted, or null.</summary>
    public string? Fault { get; init; }

    /// <summary>Why the last snapshot of the collection failed (one started in the background included), or null.</summary>
    public string? LastSnapshotError { get; init; }

    /// <summary>Log records set aside in the collection's quarantine file because they could not be applied.</summary>
    public int QuarantinedRecords { get; init; }

    /// <summary>The index telemetry (issue 19), or null when the collection has no graph or the source does not report it.</summary>
    public IndexTelemetry? Telemetry { get; init; }

    /// <summary>The payload indexes by field (Qdrant's <c>payload_schema</c>).</summary>
    public IReadOnlyDictionary<string, PayloadIndexInfo> PayloadSchema { get; init; } = new Dictionary<string, PayloadIndexInfo>();
}

/// <summary>A collection's health.</summary>
public enum CollectionStatus
{
    /// <summary>Serving reads and writes.</summary>
    Green,

    /// <summary>
    /// A storage failure: the collection refuses writes (and, when it could not be opened at
    /// all, reads) until its owner recovers it; the reason is in <see cref="CollectionInfo.Fault"/>.
    /// </summary>
    Faulted,
}
