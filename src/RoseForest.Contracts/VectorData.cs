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

/// <summary>
/// Text in place of a vector (Qdrant's inference <c>Document</c>, <c>{"text", "model"}</c>): the
/// engine embeds it with the model the target vector declares (<see cref="VectorParams.Embed"/>)
/// before it is stored or searched. <see cref="Model"/>, when given, must be that model.
/// </summary>
/// <param name="Text">The text to embed.</param>
/// <param name="Model">The embedding model's name, or null for the vector's own.</param>
public sealed record DocumentVector(string Text, string? Model = null) : VectorData;
