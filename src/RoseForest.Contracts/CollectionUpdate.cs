using System.Text.Json;

namespace RoseForest.Contracts;

/// <summary>
/// A change to an existing collection's settings (Qdrant's <c>PATCH /collections/{name}</c>,
/// UpdateCollection): every member is optional, and what is left null stays as it is. What
/// takes effect and what is only stored is listed in docs/api.md ("Changing a collection").
/// </summary>
public sealed class CollectionUpdate
{
    /// <summary>The collection's HNSW settings (used by the unnamed vector and by named vectors without their own).</summary>
    public HnswUpdate? Hnsw { get; init; }

    /// <summary>The collection's quantization (used by vectors without their own).</summary>
    public QuantizationUpdate? Quantization { get; init; }

    /// <summary>Per dense vector (<c>""</c>: the unnamed one): its HNSW, quantization and on_disk settings.</summary>
    public IReadOnlyDictionary<string, VectorParamsUpdate>? Vectors { get; init; }

    /// <summary>Per sparse vector: its modifier and index settings.</summary>
    public IReadOnlyDictionary<string, SparseVectorParamsUpdate>? SparseVectors { get; init; }

    /// <summary>Qdrant's <c>strict_mode_config</c>, merged field by field into the stored one (RoseForest stores it and does not enforce it).</summary>
    public JsonElement? StrictModeConfig { get; init; }

    /// <summary>Keys merged into the collection's metadata; a key set to null is removed.</summary>
    public JsonElement? Metadata { get; init; }

    /// <summary>True when the update changes nothing (every member null or empty).</summary>
    public bool IsEmpty =>
        Hnsw is null && Quantization is null && (Vectors is null || Vectors.Count == 0) &&
        (SparseVectors is null || SparseVectors.Count == 0) && StrictModeConfig is null && Metadata is null;
}

/// <summary>Changed HNSW settings (Qdrant's HnswConfigDiff): null keeps the current value; <see cref="M"/> = 0 turns the index off.</summary>
public sealed class HnswUpdate
{
    /// <summary>Links per node; 0 turns the graph off (exact search only). A change rebuilds the graph.</summary>
    public int? M { get; init; }

    /// <summary>The beam width while inserting. A change rebuilds the graph.</summary>
    public int? EfConstruct { get; init; }

    /// <summary>The planner's scan threshold in KiB; takes effect at the next search.</summary>
    public long? FullScanThreshold { get; init; }

    /// <summary>Threads that insert large batches (0: all cores); takes effect at the next batch.</summary>
    public int? MaxIndexingThreads { get; init; }

    /// <summary>RoseForest's default search beam; takes effect at the next search.</summary>
    public int? Ef { get; init; }

    /// <summary>Applies the changes to <paramref name="current"/> (null: no index, whose defaults are the base); returns null when the result has m = 0.</summary>
    public HnswOptions? ApplyTo(HnswOptions? current)
    {
        var b = current ?? new HnswOptions();
        var m = M ?? (current is null ? 0 : b.M);
        if (m == 0)
        {
            return null;
        }

        return new HnswOptions
        {
            M = m,
            EfConstruct = EfConstruct ?? b.EfConstruct,
            FullScanThreshold = FullScanThreshold ?? b.FullScanThreshold,
            MaxIndexingThreads = MaxIndexingThreads ?? b.MaxIndexingThreads,
            Ef = Ef ?? b.Ef,
            TargetRecall = b.TargetRecall,
        };
    }
}

/// <summary>A quantization change: new scalar settings, or <see cref="Disabled"/>.</summary>
public sealed class QuantizationUpdate
{
    /// <summary>Qdrant's <c>"Disabled"</c>: drop the codes and search the float vectors.</summary>
    public bool Disabled { get; init; }

    /// <summary>The new scalar int8 settings (when not disabled).</summary>
    public QuantizationOptions? Scalar { get; init; }
}

/// <summary>Changed settings of one dense vector (Qdrant's VectorParamsDiff).</summary>
public sealed class VectorParamsUpdate
{
    /// <summary>HNSW changes, applied over the vector's effective settings.</summary>
    public HnswUpdate? Hnsw { get; init; }

    /// <summary>The vector's quantization.</summary>
    public QuantizationUpdate? Quantization { get; init; }

    /// <summary>Stored and reported; vectors stay in memory.</summary>
    public bool? OnDisk { get; init; }
}

/// <summary>Changed settings of one sparse vector (Qdrant's SparseVectorParams in an update).</summary>
public sealed class SparseVectorParamsUpdate
{
    /// <summary>The query weighting; takes effect at the next query.</summary>
    public SparseModifier? Modifier { get; init; }

    /// <summary>Stored and reported; sparse search is always exact here.</summary>
    public long? FullScanThreshold { get; init; }

    /// <summary>Stored and reported; the inverted index is kept in memory.</summary>
    public bool? OnDisk { get; init; }
}

/// <summary>
/// The vector a <c>PUT /collections/{name}/vectors/{vector_name}</c> adds (Qdrant's
/// VectorNameConfig): a dense (or multi) vector, or a sparse one. Index and quantization settings
/// come from the collection and can be changed later with a <see cref="CollectionUpdate"/>.
/// </summary>
public sealed class VectorNameConfig
{
    private VectorNameConfig(VectorParams? dense, SparseVectorParams? sparse)
    {
        Dense = dense;
        Sparse = sparse;
    }

    /// <summary>The dense vector's size, distance, datatype and multivector comparator (HNSW and quantization are ignored here).</summary>
    public VectorParams? Dense { get; }

    /// <summary>The sparse vector's modifier.</summary>
    public SparseVectorParams? Sparse { get; }

    /// <summary>A dense (or multi) vector.</summary>
    public static VectorNameConfig ForDense(VectorParams parameters) => new(parameters ?? throw new ArgumentNullException(nameof(parameters)), null);

    /// <summary>A sparse vector.</summary>
    public static VectorNameConfig ForSparse(SparseVectorParams parameters) => new(null, parameters ?? throw new ArgumentNullException(nameof(parameters)));
}
