namespace RoseForest.Engine.Adapters;

/// <summary>
/// An immutable copy of an adapter's weights, published to queries after every update so a
/// reader never sees half a step: q' = q + alpha * B(A q), A r x d row-major, B kept transposed (r x d row-major, row k = column k of B).
/// </summary>
internal sealed class AdapterWeights(int dimension, int rank, float alpha, float[] a, float[] b)
{
    public int Dimension => dimension;

    public int Rank => rank;

    /// <summary>q' into <paramref name="result"/> (which may not alias <paramref name="query"/>). O(2 r d).</summary>
    public void Apply(ReadOnlySpan<float> query, Span<float> result)
    {
        query.CopyTo(result);
        for (var k = 0; k < rank; k++)
        {
            var h = alpha * Core.Spaces.VectorMath.Dot(a.AsSpan(k * dimension, dimension), query);
            QueryAdapter.Axpy(h, b.AsSpan(k * dimension, dimension), result);
        }
    }
}
