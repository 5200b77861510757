using RoseForest.Core;
using RoseForest.Core.Spaces;

namespace RoseForest.Hyperbolic.Evaluation;

/// <summary>The ground truth of a k-NN search over float rows: every row scored in double by the collections' own formula, the k best kept.</summary>
internal static class BruteForceNeighbours
{
    /// <summary>The true score of two stored rows (distance, or similarity for cosine and dot).</summary>
    public static double Score(Geometry geometry, double curvature, ReadOnlySpan<float> a, ReadOnlySpan<float> b) => GeometryMath.Score(geometry, curvature, a, b);

    /// <summary>(row, distance) of the k nearest rows, ties by lower row number (a distance geometry).</summary>
    public static (int Row, double Distance)[] Nearest(Geometry geometry, double curvature, float[][] rows, float[] query, int k) =>
        [.. Enumerable.Range(0, rows.Length)
            .Select(i => (Row: i, Distance: GeometryMath.Score(geometry, curvature, query, rows[i])))
            .OrderBy(p => p.Distance).ThenBy(p => p.Row).Take(k)];
}
