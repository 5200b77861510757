namespace RoseForest.Contracts;

/// <summary>
/// Scalar int8 quantization of a collection's vectors (Qdrant's <c>quantization_config.scalar</c>):
/// the HNSW walk reads one byte per coordinate and the best candidates are re-ranked with the
/// float vectors, which stay in memory (there is no on-disk vector storage yet).
/// </summary>
public sealed class QuantizationOptions
{
    /// <summary>The number of points before the range is calibrated and codes are built.</summary>
    public const int CalibrationPoints = 1000;

    /// <summary>The share of values the int8 range covers (0.5-1); the rest are clipped. Default 0.99.</summary>
    public double Quantile { get; init; } = 0.99;

    /// <summary>Accepted for Qdrant compatibility; codes always live in RAM here.</summary>
    public bool AlwaysRam { get; init; } = true;

    /// <summary>
    /// RoseForest extension (<c>scalar.projection_rank</c>, not in Qdrant): the codes hold the
    /// vectors' first N principal components (fitted when the codes are built, offsets removed)
    /// instead of every coordinate, so the walk reads N bytes per node instead of the dimension.
    /// The walk then ranks by the distance within that subspace (a lower bound of the true one)
    /// and the re-rank with the float vectors is always on. Euclid and cosine only; null: off.
    /// </summary>
    public int? ProjectionRank { get; init; }

    /// <summary>Checks the settings against a geometry; throws <see cref="ValidationException"/>.</summary>
    public void Validate(Geometry geometry) => Validate(geometry, 0);

    /// <summary>Checks the settings against a geometry and a dimension (0: unknown); throws <see cref="ValidationException"/>.</summary>
    public void Validate(Geometry geometry, int dimension)
    {
        if (ProjectionRank is { } rank)
        {
            if (rank < 1 || (dimension > 0 && rank >= dimension))
            {
                throw new ValidationException("quantization_config.scalar.projection_rank", $"must be between 1 and the dimension minus 1 ({(dimension > 0 ? (dimension - 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : "?")}), got {rank}.");
            }

            if (geometry is not (Geometry.Euclid or Geometry.Cosine))
            {
                throw new ValidationException("quantization_config.scalar.projection_rank", $"needs Euclid or Cosine distance (the walk ranks by Euclidean distance within the principal subspace), not {geometry}.");
            }
        }

        if (Quantile is < 0.5 or > 1.0 || double.IsNaN(Quantile))
        {
            throw new ValidationException("quantization_config.scalar.quantile", $"must be between 0.5 and 1, got {Quantile}.");
        }

        if (geometry == Geometry.Lorentz)
        {
            throw new ValidationException("quantization_config", "scalar quantization does not support lorentz collections (the time coordinate does not survive a shared int8 range).");
        }
    }
}

/// <summary>Per-search quantization settings (Qdrant's <c>params.quantization</c>).</summary>
public sealed class QuantizationSearchParams
{
    /// <summary>Search the float vectors even though codes exist.</summary>
    public bool Ignore { get; init; }

    /// <summary>Re-rank the candidates with the float vectors. Default true.</summary>
    public bool Rescore { get; init; } = true;

    /// <summary>
    /// How many times <c>limit</c> candidates the walk collects and re-ranks with floats (at least
    /// 1). Default 4: unit-length vectors (cosine) have small similarity gaps near the top, and 2-3
    /// lost recall there in the tests; Qdrant's default is 1.
    /// </summary>
    public double Oversampling { get; init; } = 4;
}
