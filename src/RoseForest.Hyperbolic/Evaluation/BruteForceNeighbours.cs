using RoseForest.Core;
using RoseForest.Core.Spaces;
using RoseForest.Hyperbolic.Training;

namespace RoseForest.Hyperbolic.Evaluation;

/// <summary>
/// The ground truth of a k-NN search: over float rows, every row scored in double by the
/// collections' own formula, the k best kept; or over the trained double rows by the model's distance.
/// </summary>
internal static class BruteForceNeighbours
{
    /// <summary>The true score of two stored rows (distance, or similarity for cosine and dot).</summary>
    public static double Score(Geometry geometry, double curvature, ReadOnlySpan<float> a, ReadOnlySpan<float> b) => GeometryMath.Score(geometry, curvature, a, b);

    /// <summary>(row, distance) of the k nearest rows, ties by lower row number (a distance geometry).</summary>
    public static (int Row, double Distance)[] Nearest(Geometry geometry, double curvature, float[][] rows, float[] query, int k) =>
        [.. Enumerable.Range(0, rows.Length)
            .Select(i => (Row: i, Distance: GeometryMath.Score(geometry, curvature, query, rows[i])))
            .OrderBy(p => p.Distance).ThenBy(p => p.Row).Take(k)];

    /// <summary>
    /// The rows of the k nodes nearest to <paramref name="node"/> (itself included) by the trained
    /// model's own distance on the double rows, ties by lower row: the embedding before any
    /// float32 storage, as the reconstruction evaluation sees it.
    /// </summary>
    public static HashSet<int> NearestTrained(Embedding embedding, int node, int k)
    {
        Func<int, double> distance = embedding.Model switch
        {
            EmbeddingModel.Lorentz => j => LorentzKernel.Distance(embedding.Row(node), embedding.Row(j)),
            EmbeddingModel.Poincare => j => PoincareKernel.Distance(embedding.Row(node), embedding.Row(j)),
            _ => j => EuclidKernel.Distance(embedding.Row(node), embedding.Row(j)),
        };
        return [.. Enumerable.Range(0, embedding.Count).Select(j => (Row: j, Distance: distance(j))).OrderBy(p => p.Distance).ThenBy(p => p.Row).Take(k).Select(p => p.Row)];
    }
}
