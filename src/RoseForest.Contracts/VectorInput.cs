namespace RoseForest.Contracts;

/// <summary>
/// An input of a query (Qdrant's <c>VectorInput</c>): a vector given in the request (dense,
/// sparse or multi), or the id of a stored point whose vector is used (looked up in this
/// collection, or in <see cref="QueryRequest.LookupFrom"/>). Points referenced by id in this
/// collection are left out of the results.
/// </summary>
public sealed class VectorInput
{
    private VectorInput(VectorData? vector, PointId? id)
    {
        Vector = vector;
        Id = id;
    }

    /// <summary>The vector, when one was given.</summary>
    public VectorData? Vector { get; }

    /// <summary>The point whose vector is used, when an id was given.</summary>
    public PointId? Id { get; }

    /// <summary>A vector given in the request.</summary>
    public static VectorInput Of(VectorData vector) => new(vector ?? throw new ArgumentNullException(nameof(vector)), null);

    /// <summary>The stored vector of a point.</summary>
    public static VectorInput OfPoint(PointId id) => new(null, id);

    /// <summary>A dense vector.</summary>
    public static implicit operator VectorInput(float[] dense) => Of(new DenseVector(dense));

    /// <summary>A point's stored vector.</summary>
    public static implicit operator VectorInput(PointId id) => OfPoint(id);

    /// <summary>A sparse vector.</summary>
    public static implicit operator VectorInput(SparseVector sparse) => Of(sparse);

    /// <summary>A multivector.</summary>
    public static implicit operator VectorInput(MultiVector multi) => Of(multi);

    /// <inheritdoc />
    public override string ToString() => Id is { } id ? $"point {id}" : Vector!.GetType().Name;
}
