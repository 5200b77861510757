namespace RoseForest.Contracts;

/// <summary>One named vector of a point: dense, sparse or multi (see <see cref="PointStruct.Vectors"/>).</summary>
public abstract record VectorData
{
    private protected VectorData()
    {
    }
}

/// <summary>A dense vector.</summary>
/// <param name="Values">The coordinates.</param>
public sealed record DenseVector(float[] Values) : VectorData;

/// <summary>A sparse vector: non-zero values at distinct indices (Qdrant's <c>{indices, values}</c>).</summary>
/// <param name="Indices">The dimensions, distinct (any order on input; stored sorted).</param>
/// <param name="Values">The value at each index.</param>
public sealed record SparseVector(uint[] Indices, float[] Values) : VectorData;

/// <summary>A multivector: several dense vectors of the same size, compared by <see cref="MultivectorComparator.MaxSim"/>.</summary>
/// <param name="Vectors">The sub-vectors (at least one).</param>
public sealed record MultiVector(float[][] Vectors) : VectorData;
