using System.Text.RegularExpressions;

namespace RoseForest.Contracts;

/// <summary>The shape and storage settings of a collection, fixed when it is created.</summary>
public sealed partial class CollectionOptions
{
    /// <summary>The largest dimension a collection may have.</summary>
    public const int MaxDimension = 65536;

    /// <summary>The vector length (1..65536). For lorentz, the ambient length n+1 (at least 2).</summary>
    public required int Dimension { get; init; }

    /// <summary>The geometry.</summary>
    public required Geometry Geometry { get; init; }

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
    };

    /// <summary>Checks every setting; throws <see cref="ValidationException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (Dimension is < 1 or > MaxDimension)
        {
            throw new ValidationException("dimension", $"must be between 1 and {MaxDimension}, got {Dimension}.");
        }

        if (!Enum.IsDefined(Geometry))
        {
            throw new ValidationException("geometry", $"unknown geometry {(int)Geometry}.");
        }

        if (Geometry == Geometry.Lorentz && Dimension < 2)
        {
            throw new ValidationException("dimension", "a lorentz collection needs at least 2 coordinates (x0 and one spatial coordinate).");
        }

        if (GeometryInfo.IsHyperbolic(Geometry))
        {
            GeometryInfo.ValidateCurvature(Curvature);
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
        Quantization?.Validate(Geometry);
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
