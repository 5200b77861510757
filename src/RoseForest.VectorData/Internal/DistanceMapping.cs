using Microsoft.Extensions.VectorData;

namespace RoseForest.VectorData.Internal;

/// <summary>
/// MEVD distance functions → RoseForest geometries, and the score conversions for the functions
/// RoseForest computes as a transform of a native one (cosine distance, negative dot product,
/// squared Euclidean). Anything else is refused with <see cref="NotSupportedException"/>.
/// </summary>
internal static class DistanceMapping
{
    internal const string Supported =
        "CosineSimilarity (the default), CosineDistance, DotProductSimilarity, NegativeDotProductSimilarity, EuclideanDistance, EuclideanSquaredDistance, ManhattanDistance, PoincareDistance, LorentzDistance";

    public static Geometry ToGeometry(string? distanceFunction, string propertyName) => distanceFunction switch
    {
        null or DistanceFunction.CosineSimilarity or DistanceFunction.CosineDistance => Geometry.Cosine,
        DistanceFunction.DotProductSimilarity or DistanceFunction.NegativeDotProductSimilarity => Geometry.Dot,
        DistanceFunction.EuclideanDistance or DistanceFunction.EuclideanSquaredDistance => Geometry.Euclid,
        DistanceFunction.ManhattanDistance => Geometry.Manhattan,
        RoseForestDistanceFunction.PoincareDistance => Geometry.Poincare,
        RoseForestDistanceFunction.LorentzDistance => Geometry.Lorentz,
        _ => throw new NotSupportedException(
            $"Distance function '{distanceFunction}' of vector property '{propertyName}' is not supported by RoseForest; use one of {Supported}."),
    };

    /// <summary>The score MEVD expects for the distance function, from the score RoseForest returned.</summary>
    public static double ToScore(string? distanceFunction, double native) => distanceFunction switch
    {
        DistanceFunction.CosineDistance => 1 - native,
        DistanceFunction.NegativeDotProductSimilarity => -native,
        DistanceFunction.EuclideanSquaredDistance => native * native,
        _ => native,
    };

    /// <summary>The native score threshold for a threshold in the distance function's terms.</summary>
    public static double? ToNativeThreshold(string? distanceFunction, double? threshold) => threshold is not { } t ? null : distanceFunction switch
    {
        DistanceFunction.CosineDistance => 1 - t,
        DistanceFunction.NegativeDotProductSimilarity => -t,
        DistanceFunction.EuclideanSquaredDistance => t <= 0 ? 0 : Math.Sqrt(t),
        _ => t,
    };

    /// <summary>Whether an HNSW index is kept for the vector (Hnsw, or unset) or exact search only (Flat).</summary>
    public static bool IsIndexed(string? indexKind, string propertyName) => indexKind switch
    {
        null or IndexKind.Hnsw => true,
        IndexKind.Flat => false,
        _ => throw new NotSupportedException(
            $"Index kind '{indexKind}' of vector property '{propertyName}' is not supported by RoseForest; use Hnsw (the default) or Flat."),
    };
}
