namespace RoseForest.Engine;

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
    long BytesInMemory);
