namespace RoseForest.Knowledge.Sync;

/// <summary>Flat space: the midpoint is (a + b) / 2 and the Fréchet mean is the weighted average.</summary>
public sealed class EuclideanGeometry : IVectorGeometry
{
    /// <summary>The shared instance.</summary>
    public static EuclideanGeometry Instance { get; } = new();

    /// <inheritdoc />
    public float[] Midpoint(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException("vectors differ in dimension", nameof(b));
        }

        var mid = new float[a.Length];
        for (var i = 0; i < mid.Length; i++)
        {
            mid[i] = (float)((a[i] + (double)b[i]) / 2);
        }

        return mid;
    }

    /// <inheritdoc />
    public float[] WeightedMean(IReadOnlyList<float[]> points, IReadOnlyList<double> weights)
    {
        if (points.Count == 0 || points.Count != weights.Count)
        {
            throw new ArgumentException("need one weight per point and at least one point", nameof(weights));
        }

        var dimension = points[0].Length;
        var sum = new double[dimension];
        var total = 0.0;
        for (var p = 0; p < points.Count; p++)
        {
            if (points[p].Length != dimension)
            {
                throw new ArgumentException("vectors differ in dimension", nameof(points));
            }

            var w = weights[p];
            if (!double.IsFinite(w) || w < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(weights), w, "weights are finite and non-negative");
            }

            total += w;
            for (var i = 0; i < dimension; i++)
            {
                sum[i] += w * points[p][i];
            }
        }

        if (total <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(weights), total, "weights must have a positive sum");
        }

        var mean = new float[dimension];
        for (var i = 0; i < dimension; i++)
        {
            mean[i] = (float)(sum[i] / total);
        }

        return mean;
    }
}
