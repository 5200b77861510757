namespace RoseForest.Federated.Strategies;

/// <summary>
/// Krum's scores (Blanchard et al. 2017): for each vector, the sum of squared distances to its
/// n − f − 2 nearest other vectors (at least one).
/// </summary>
internal static class KrumSelection
{
    public static double[] Scores(IReadOnlyList<double[]> vectors, int byzantine)
    {
        var n = vectors.Count;
        var distances = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                distances[i, j] = distances[j, i] = UpdateMath.SquaredDistance(vectors[i], vectors[j]);
            }
        }

        var closest = Math.Max(1, n - byzantine - 2);
        var scores = new double[n];
        var row = new double[n - 1];
        for (var i = 0; i < n; i++)
        {
            var k = 0;
            for (var j = 0; j < n; j++)
            {
                if (j != i)
                {
                    row[k++] = distances[i, j];
                }
            }

            Array.Sort(row);
            scores[i] = row.Take(Math.Min(closest, row.Length)).Sum();
        }

        return scores;
    }

    /// <summary>The indices of the <paramref name="count"/> lowest scores, lowest first (ties: lower index first).</summary>
    public static int[] Best(double[] scores, int count) =>
        [.. Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ThenBy(i => i).Take(count)];
}
