namespace RoseForest.Cluster.Locality;

/// <summary>
/// The shard centroids of a locality-sharded collection: centroid i belongs to the shard numbered
/// i. A point goes to the shard of its nearest centroid; a query may visit only the shards whose
/// centroids are nearest to it. Euclid uses squared L2; Cosine and Dot compare directions (the
/// centroids are unit vectors, spherical k-means), so a shard holds a cone of directions.
/// </summary>
internal sealed class Centroids
{
    public Centroids(Geometry geometry, float[][] vectors)
    {
        Geometry = geometry;
        Vectors = vectors;
    }

    public Geometry Geometry { get; }

    /// <summary>One centroid per shard number.</summary>
    public float[][] Vectors { get; }

    /// <summary>Whether locality sharding supports a geometry (one where k-means regions make sense).</summary>
    public static bool Supports(Geometry geometry) => geometry is Geometry.Euclid or Geometry.Cosine or Geometry.Dot;

    /// <summary>The shard number a vector belongs to.</summary>
    public int Nearest(ReadOnlySpan<float> vector)
    {
        var best = 0;
        var bestScore = double.NegativeInfinity;
        for (var i = 0; i < Vectors.Length; i++)
        {
            var score = Score(vector, Vectors[i]);
            if (score > bestScore)
            {
                bestScore = score;
                best = i;
            }
        }

        return best;
    }

    /// <summary>The <paramref name="count"/> shard numbers whose centroids are nearest, nearest first.</summary>
    public int[] NearestShards(ReadOnlySpan<float> vector, int count)
    {
        var scores = new double[Vectors.Length];
        for (var i = 0; i < Vectors.Length; i++)
        {
            scores[i] = Score(vector, Vectors[i]);
        }

        return [.. Enumerable.Range(0, Vectors.Length).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(count)];
    }

    /// <summary>Higher is nearer: minus squared L2 for Euclid, the dot product with the unit centroid otherwise.</summary>
    private double Score(ReadOnlySpan<float> v, float[] c)
    {
        double sum = 0;
        if (Geometry == Geometry.Euclid)
        {
            for (var d = 0; d < c.Length; d++)
            {
                var diff = (double)v[d] - c[d];
                sum += diff * diff;
            }

            return -sum;
        }

        for (var d = 0; d < c.Length; d++)
        {
            sum += (double)v[d] * c[d];
        }

        return sum;
    }

    /// <summary>The centroids as stored in the catalogue: k, dim, then k·dim float32 (little-endian).</summary>
    public byte[] ToBytes()
    {
        var dim = Vectors[0].Length;
        var bytes = new byte[8 + (Vectors.Length * dim * sizeof(float))];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 4), Vectors.Length);
        BitConverter.TryWriteBytes(bytes.AsSpan(4, 4), dim);
        for (var i = 0; i < Vectors.Length; i++)
        {
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(Vectors[i].AsSpan()).CopyTo(bytes.AsSpan(8 + (i * dim * sizeof(float))));
        }

        return bytes;
    }

    public static Centroids FromBytes(Geometry geometry, byte[] bytes)
    {
        var k = BitConverter.ToInt32(bytes, 0);
        var dim = BitConverter.ToInt32(bytes, 4);
        if (k < 1 || dim < 1 || bytes.Length != 8 + ((long)k * dim * sizeof(float)))
        {
            throw new InvalidDataException("the catalogue's shard centroids are damaged.");
        }

        var vectors = new float[k][];
        for (var i = 0; i < k; i++)
        {
            vectors[i] = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes.AsSpan(8 + (i * dim * sizeof(float)), dim * sizeof(float))).ToArray();
        }

        return new Centroids(geometry, vectors);
    }
}
