namespace RoseForest.Federated.Tests.Strategies;

/// <summary>Straightforward reference computations, written independently of the library.</summary>
internal static class Reference
{
    public static double[] WeightedMean(float[][] xs, int[] samples)
    {
        var total = samples.Sum();
        return [.. Enumerable.Range(0, xs[0].Length).Select(i => Enumerable.Range(0, xs.Length).Sum(k => (double)xs[k][i] * samples[k]) / total)];
    }

    public static double Median(IEnumerable<double> values)
    {
        var s = values.OrderBy(v => v).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[(s.Length / 2) - 1] + s[s.Length / 2]) / 2;
    }

    public static double SquaredDistance(float[] a, float[] b) => a.Zip(b, (x, y) => ((double)x - y) * ((double)x - y)).Sum();

    /// <summary>Krum score of each vector: the sum of its n − f − 2 smallest squared distances to the others.</summary>
    public static double[] KrumScores(IList<float[]> xs, int f)
    {
        var keep = Math.Max(1, xs.Count - f - 2);
        return [.. xs.Select((x, i) => xs.Where((_, j) => j != i).Select(y => SquaredDistance(x, y)).OrderBy(d => d).Take(keep).Sum())];
    }

    public static int ArgMin(double[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] < values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
