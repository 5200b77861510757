using System.Text.RegularExpressions;

namespace RoseForest.Contracts;

/// <summary>
/// The shape and storage settings of a collection, fixed when it is created. A collection has
/// an unnamed dense vector (<see cref="Dimension"/> &gt; 0: Qdrant's default vector, name
/// <c>""</c>), named dense vectors (<see cref="NamedVectors"/>), named sparse vectors
/// (<see cref="SparseVectors"/>), or any mix; at least one.
/// </summary>
public sealed partial class CollectionOptions
{
    /// <summary>The largest dimension a collection may have.</summary>
    public const int MaxDimension = 65536;

    /// <summary>The most named vectors (dense and sparse together) a collection may have.</summary>
    public const int MaxNamedVectors = 64;

    /// <summary>The unnamed vector's length (1..65536; for lorentz the ambient length n+1, at least 2), or 0 for a collection with named vectors only.</summary>
    public int Dimension { get; init; }

    /// <summary>The unnamed vector's geometry. Default cosine.</summary>
    public Geometry Geometry { get; init; } = Geometry.Cosine;

    /// <summary>The unnamed vector's storage type.</summary>
    public VectorDatatype Datatype { get; init; } = VectorDatatype.Float32;

    /// <summary>When set, the unnamed vector is a multivector compared by this.</summary>
    public MultivectorComparator? Multivector { get; init; }

    /// <summary>Named dense (or multi) vectors: name → parameters.</summary>
    public IReadOnlyDictionary<string, VectorParams> NamedVectors { get; init; } = new Dictionary<string, VectorParams>();

    /// <summary>Named sparse vectors: name → parameters.</summary>
    public IReadOnlyDictionary<string, SparseVectorParams> SparseVectors { get; init; } = new Dictionary<string, SparseVectorParams>();

    /// <summary>Every dense (and multi) vector, the unnamed one first under <c>""</c>, with its effective settings (HNSW and quantization inherited from the collection when not set).</summary>
    public IReadOnlyList<KeyValuePair<string, VectorParams>> DenseVectors
    {
        get
        {
            var list = new List<KeyValuePair<string, VectorParams>>();
            if (Dimension > 0)
            {
                list.Add(new(string.Empty, new VectorParams { Size = Dimension, Distance = Geometry, Curvature = Curvature, Hnsw = Hnsw, Quantization = Quantization, Datatype = Datatype, Multivector = Multivector }));
            }

            foreach (var (name, p) in NamedVectors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                list.Add(new(name, new VectorParams
                {
                    Size = p.Size,
                    Distance = p.Distance,
                    Curvature = p.Curvature,
                    Hnsw = p.Hnsw ?? Hnsw,
                    Quantization = p.Quantization ?? Quantization,
                    OnDisk = p.OnDisk,
                    Datatype = p.Datatype,
                    Multivector = p.Multivector,
                    Embed = p.Embed,
                }));
            }

            return list;
        }
    }

    /// <summary>The curvature magnitude c &gt; 0 of poincare and lorentz (curvature −c). Default 1.</summary>
    public double Curvature { get; init; } = GeometryInfo.DefaultCurvature;

    /// <summary>When writes are acknowledged. Default <see cref="Durability.Sync"/>.</summary>
    public Durability Durability { get; init; } = Durability.Sync;

    /// <summary>For <see cref="Durability.Buffered"/>: the longest time between group fsyncs. Default 10 ms.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The size at which a WAL segment is closed and a new one begun. Default 32 MiB.</summary>
    public long WalSegmentBytes { get; init; } = 32L << 20;

    /// <summary>A snapshot is taken once the WAL holds this many bytes. Default 64 MiB.</summary>
    public long CheckpointWalBytes { get; init; } = 64L << 20;

    /// <summary>The HNSW index; null keeps the collection exact-search only. Default: an index with m 16, ef_construct 100.</summary>
    public HnswOptions? Hnsw { get; init; } = new();

    /// <summary>Scalar int8 quantization for the HNSW walk; null (the default) keeps floats only.</summary>
    public QuantizationOptions? Quantization { get; init; }

    /// <summary>Qdrant's <c>strict_mode_config</c> as given (an object): stored and reported, not enforced.</summary>
    public System.Text.Json.JsonElement? StrictModeConfig { get; init; }

    /// <summary>Qdrant's collection <c>metadata</c> (an object): stored and reported.</summary>
    public System.Text.Json.JsonElement? Metadata { get; init; }

    /// <summary>A copy of these options with another durability.</summary>
    public CollectionOptions WithDurability(Durability durability) => new()
    {
        Dimension = Dimension,
        Geometry = Geometry,
        Curvature = Curvature,
        Durability = durability,
        FlushInterval = FlushInterval,
        WalSegmentBytes = WalSegmentBytes,
        CheckpointWalBytes = CheckpointWalBytes,
        Hnsw = Hnsw,
        Quantization = Quantization,
        Datatype = Datatype,
        Multivector = Multivector,
        NamedVectors = NamedVectors,
        SparseVectors = SparseVectors,
        StrictModeConfig = StrictModeConfig,
        Metadata = Metadata,
    };

    /// <summary>Checks every setting; throws <see cref="ValidationException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (Dimension is < 0 or > MaxDimension)
        {
            throw new ValidationException("dimension", $"must be between 1 and {MaxDimension}, got {Dimension}.");
        }

        if (Dimension == 0 && NamedVectors.Count == 0 && SparseVectors.Count == 0)
        {
            throw new ValidationException("vectors", "a collection needs a vector: a dimension, named vectors, or sparse vectors.");
        }

        if (NamedVectors.Count + SparseVectors.Count > MaxNamedVectors)
        {
            throw new ValidationException("vectors", $"at most {MaxNamedVectors} named vectors.");
        }

        foreach (var (name, p) in DenseVectors)
        {
            var field = name.Length == 0 ? "vectors" : $"vectors.{name}";
            ValidateVectorName(name, field, allowEmpty: true);
            ValidateParams(p, field);
        }

        foreach (var name in SparseVectors.Keys)
        {
            ValidateVectorName(name, $"sparse_vectors.{name}", allowEmpty: false);
            if (NamedVectors.ContainsKey(name))
            {
                throw new ValidationException($"sparse_vectors.{name}", "a dense vector has this name already.");
            }

            if (!Enum.IsDefined(SparseVectors[name].Modifier))
            {
                throw new ValidationException($"sparse_vectors.{name}.modifier", "unknown modifier.");
            }
        }

        if (!Enum.IsDefined(Durability))
        {
            throw new ValidationException("durability", $"unknown durability {(int)Durability}.");
        }

        if (FlushInterval <= TimeSpan.Zero || FlushInterval > TimeSpan.FromSeconds(10))
        {
            throw new ValidationException("flush_interval", "must be between 1 ms and 10 s.");
        }

        if (WalSegmentBytes < 4096)
        {
            throw new ValidationException("wal_segment_bytes", "must be at least 4096.");
        }

        if (CheckpointWalBytes < 4096)
        {
            throw new ValidationException("checkpoint_wal_bytes", "must be at least 4096.");
        }

        Hnsw?.Validate();
        if (StrictModeConfig is { ValueKind: not System.Text.Json.JsonValueKind.Object })
        {
            throw new ValidationException("strict_mode_config", "expected an object.");
        }

        if (Metadata is { ValueKind: not System.Text.Json.JsonValueKind.Object })
        {
            throw new ValidationException("metadata", "expected an object.");
        }
    }

    private static void ValidateVectorName(string name, string field, bool allowEmpty)
    {
        if ((name.Length == 0 && !allowEmpty) || name.Length > 128 || name.Any(char.IsControl))
        {
            throw new ValidationException(field, "a vector name must be 1-128 characters without control characters.");
        }
    }

    private static void ValidateParams(VectorParams p, string field)
    {
        if (p.Size is < 1 or > MaxDimension)
        {
            throw new ValidationException($"{field}.size", $"must be between 1 and {MaxDimension}, got {p.Size}.");
        }

        if (!Enum.IsDefined(p.Distance))
        {
            throw new ValidationException($"{field}.distance", $"unknown geometry {(int)p.Distance}.");
        }

        if (p.Distance == Geometry.Lorentz && p.Size < 2)
        {
            throw new ValidationException($"{field}.size", "a lorentz vector needs at least 2 coordinates (x0 and one spatial coordinate).");
        }

        if (GeometryInfo.IsHyperbolic(p.Distance))
        {
            GeometryInfo.ValidateCurvature(p.Curvature);
        }

        if (p.Hnsw is { M: not 0 } h)
        {
            h.Validate();
        }

        p.Quantization?.Validate(p.Distance, p.Size);
        if (!Enum.IsDefined(p.Datatype))
        {
            throw new ValidationException($"{field}.datatype", "unknown datatype.");
        }

        if (p.Multivector is { } m && (!Enum.IsDefined(m) || p.Quantization is not null))
        {
            throw new ValidationException($"{field}.multivector_config", "multivectors take the max_sim comparator and no quantization.");
        }
    }

    /// <summary>Checks a collection name: 1-64 letters, digits, '_' or '-'.</summary>
    public static void ValidateName(string? name)
    {
        if (name is null || !NameRegex().IsMatch(name))
        {
            throw new ValidationException("collection_name", $"'{name}' is not a valid collection name: use 1-64 characters from letters, digits, '_' and '-'.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex NameRegex();
}
