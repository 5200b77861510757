namespace RoseForest.Cluster.Locality;

/// <summary>
/// Lloyd's k-means with k-means++ seeding (fixed seed, so every run over the same sample gives
/// the same centroids). For Cosine and Dot the sample is normalised and the centroids are kept
/// unit length (spherical k-means): shards then split the space by direction. An empty cluster
/// takes the sample point farthest from its centroid.
/// </summary>
internal static class KMeans
{
    public static Centroids Train(Geometry geometry, IReadOnlyList<float[]> sample, int k, int seed, int iterations = 25)
    {
        if (sample.Count < k)
        {
            throw new ArgumentException($"k-means needs at least {k} points, got {sample.Count}.", nameof(sample));
        }

        var spherical = geometry != Geometry.Euclid;
        var points = sample.Select(p => spherical ? Normalized(p) : (float[])p.Clone()).ToArray();
        var dim = points[0].Length;
        var random = new Random(seed);

        // k-means++: each next seed drawn with probability proportional to its squared distance to the nearest seed so far.
        var centroids = new float[k][];
        centroids[0] = (float[])points[random.Next(points.Length)].Clone();
        var nearest = points.Select(p => Distance2(p, centroids[0])).ToArray();
        for (var c = 1; c < k; c++)
        {
            var total = nearest.Sum();
            var pick = random.NextDouble() * total;
            var chosen = points.Length - 1;
            for (var i = 0; i < points.Length; i++)
            {
                pick -= nearest[i];
                if (pick <= 0)
                {
                    chosen = i;
                    break;
                }
            }

            centroids[c] = (float[])points[chosen].Clone();
            for (var i = 0; i < points.Length; i++)
            {
                nearest[i] = Math.Min(nearest[i], Distance2(points[i], centroids[c]));
            }
        }

        var assignment = new int[points.Length];
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            var model = new Centroids(geometry, centroids);
            var changed = false;
            for (var i = 0; i < points.Length; i++)
            {
                var a = model.Nearest(points[i]);
                changed |= a != assignment[i] || iteration == 0;
                assignment[i] = a;
            }

            if (!changed)
            {
                break;
            }

            var sums = new double[k, dim];
            var counts = new int[k];
            for (var i = 0; i < points.Length; i++)
            {
                counts[assignment[i]]++;
                for (var d = 0; d < dim; d++)
                {
                    sums[assignment[i], d] += points[i][d];
                }
            }

            for (var c = 0; c < k; c++)
            {
                if (counts[c] == 0)
                {
                    // Re-seed an empty cluster with the point farthest from its own centroid.
                    var far = Enumerable.Range(0, points.Length).MaxBy(i => Distance2(points[i], centroids[assignment[i]]));
                    centroids[c] = (float[])points[far].Clone();
                    assignment[far] = c;
                    continue;
                }

                var next = new float[dim];
                for (var d = 0; d < dim; d++)
                {
                    next[d] = (float)(sums[c, d] / counts[c]);
                }

                centroids[c] = spherical ? Normalized(next) : next;
            }
        }

        return new Centroids(geometry, centroids);
    }

    private static float[] Normalized(float[] v)
    {
        double norm = 0;
        foreach (var x in v)
        {
            norm += (double)x * x;
        }

        norm = Math.Sqrt(norm);
        return norm == 0 ? (float[])v.Clone() : [.. v.Select(x => (float)(x / norm))];
    }

    private static double Distance2(float[] a, float[] b)
    {
        double sum = 0;
        for (var d = 0; d < a.Length; d++)
        {
            var diff = (double)a[d] - b[d];
            sum += diff * diff;
        }

        return sum;
    }
}
