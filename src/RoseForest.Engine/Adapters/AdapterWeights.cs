namespace RoseForest.Engine.Adapters;

/// <summary>
/// An immutable copy of an adapter's weights, published to queries after every update so a
/// reader never sees half a step: q' = q + alpha * B(A q), A r x d row-major, B d x r row-major.
/// </summary>
internal sealed class AdapterWeights(int dimension, int rank, float alpha, float[] a, float[] b)
{
    public int Dimension => dimension;

    public int Rank => rank;

    /// <summary>q' into <paramref name="result"/> (which may not alias <paramref name="query"/>). O(2 r d).</summary>
    public void Apply(ReadOnlySpan<float> query, Span<float> result)
    {
        Span<float> h = stackalloc float[rank];
        for (var k = 0; k < rank; k++)
        {
            h[k] = alpha * Core.Spaces.VectorMath.Dot(a.AsSpan(k * dimension, dimension), query);
        }

        for (var i = 0; i < dimension; i++)
        {
            var sum = 0f;
            var row = b.AsSpan(i * rank, rank);
            for (var k = 0; k < rank; k++)
            {
                sum += row[k] * h[k];
            }

            result[i] = query[i] + sum;
        }
    }
}
