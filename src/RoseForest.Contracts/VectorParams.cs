namespace RoseForest.Contracts;

/// <summary>
/// A named dense vector of a collection (Qdrant's VectorParams): its size and distance, and
/// optionally its own HNSW and quantization settings (else the collection's), storage type and
/// multivector comparator.
/// </summary>
public sealed class VectorParams
{
    /// <summary>The vector length (for lorentz: ambient, n+1).</summary>
    public required int Size { get; init; }

    /// <summary>The geometry (Qdrant's distance, plus RoseForest's Poincaré and Lorentz).</summary>
    public required Geometry Distance { get; init; }

    /// <summary>The curvature magnitude c of poincare and lorentz. Default 1.</summary>
    public double Curvature { get; init; } = GeometryInfo.DefaultCurvature;

    /// <summary>This vector's HNSW settings; null inherits the collection's; M = 0 keeps this vector unindexed.</summary>
    public HnswOptions? Hnsw { get; init; }

    /// <summary>This vector's quantization; null inherits the collection's.</summary>
    public QuantizationOptions? Quantization { get; init; }

    /// <summary>Accepted for Qdrant compatibility; vectors are kept in memory.</summary>
    public bool? OnDisk { get; init; }

    /// <summary>The value type the vector is stored at (values are rounded to it on write).</summary>
    public VectorDatatype Datatype { get; init; } = VectorDatatype.Float32;

    /// <summary>When set, each point holds several vectors of <see cref="Size"/> here, compared by this.</summary>
    public MultivectorComparator? Multivector { get; init; }
}

/// <summary>The value type of stored vector components.</summary>
public enum VectorDatatype
{
    /// <summary>32-bit floats.</summary>
    Float32,

    /// <summary>16-bit floats: values are rounded to half precision on write.</summary>
    Float16,

    /// <summary>Integers 0..255: values must be whole numbers in that range.</summary>
    Uint8,
}

/// <summary>How two multivectors are compared.</summary>
public enum MultivectorComparator
{
    /// <summary>ColBERT's late interaction: for each query vector, the best similarity to any stored vector, summed.</summary>
    MaxSim,
}

/// <summary>A named sparse vector of a collection (Qdrant's SparseVectorParams).</summary>
public sealed class SparseVectorParams
{
    /// <summary>How query weights are adjusted: <see cref="SparseModifier.Idf"/> multiplies each by the index's inverse document frequency.</summary>
    public SparseModifier Modifier { get; init; }

    /// <summary>Accepted for Qdrant compatibility; the inverted index is kept in memory.</summary>
    public bool? OnDisk { get; init; }

    /// <summary>Accepted for Qdrant compatibility: sparse search is always exact here.</summary>
    public long? FullScanThreshold { get; init; }
}

/// <summary>Sparse query weighting.</summary>
public enum SparseModifier
{
    /// <summary>Plain dot product.</summary>
    None,

    /// <summary>Query weights times idf = ln(1 + (N − n + 0.5) / (n + 0.5)), as Qdrant's idf modifier.</summary>
    Idf,
}
