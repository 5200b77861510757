using RoseForest.Engine;
using RoseForest.Hyperbolic.Evaluation;

namespace RoseForest.Bench;

/// <summary>Compares a search answer with the brute-force ground truth.</summary>
internal static class BruteForce
{
    /// <summary>
    /// True when a search answer has the brute-force neighbours: the same distances position by
    /// position (within 1e-9 relative), and the same ids except among rows tied at equal distance.
    /// </summary>
    public static bool Agrees(Geometry geometry, double curvature, float[][] rows, float[] query, IReadOnlyList<ScoredPoint> answer, int k)
    {
        var truth = BruteForceNeighbours.Nearest(geometry, curvature, rows, query, k);
        if (answer.Count != truth.Length)
        {
            return false;
        }

        for (var i = 0; i < truth.Length; i++)
        {
            var tolerance = 1e-9 * (1 + truth[i].Distance);
            var id = (int)answer[i].Id.Number;
            var sameRow = id == truth[i].Row || Math.Abs(BruteForceNeighbours.Score(geometry, curvature, query, rows[id]) - truth[i].Distance) <= tolerance;
            if (!sameRow || Math.Abs(answer[i].Score - truth[i].Distance) > tolerance)
            {
                return false;
            }
        }

        return true;
    }
}
