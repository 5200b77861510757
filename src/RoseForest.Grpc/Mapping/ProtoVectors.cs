using Google.Protobuf.Collections;
using G = Qdrant.Client.Grpc;

namespace RoseForest.Grpc.Mapping;

/// <summary>Vectors both ways: Qdrant's Vector/Vectors/VectorInput messages and the contracts' <see cref="VectorData"/>.</summary>
internal static class ProtoVectors
{
    /// <summary>
    /// A point's vectors: one unnamed vector (dense goes to <see cref="PointStruct.Vector"/>, others
    /// under the empty name, as the REST reader does) or named vectors.
    /// </summary>
    public static (float[]? Unnamed, Dictionary<string, VectorData>? Named) ToVectorStruct(G.Vectors? vectors, string field)
    {
        switch (vectors?.VectorsOptionsCase ?? G.Vectors.VectorsOptionsOneofCase.None)
        {
            case G.Vectors.VectorsOptionsOneofCase.Vector:
                var data = ToVectorData(vectors!.Vector, field);
                return data is DenseVector d ? (d.Values, null) : (null, new Dictionary<string, VectorData>(StringComparer.Ordinal) { [string.Empty] = data });
            case G.Vectors.VectorsOptionsOneofCase.Vectors_:
                var named = new Dictionary<string, VectorData>(StringComparer.Ordinal);
                foreach (var (name, v) in vectors!.Vectors_.Vectors)
                {
                    named[name] = ToVectorData(v, $"{field}.{name}");
                }

                return (null, named);
            default:
                throw new ValidationException(field, "is required: a vector or named vectors.");
        }
    }

    /// <summary>One vector, in the current oneof form or the deprecated data/indices/vectors_count form.</summary>
    public static VectorData ToVectorData(G.Vector v, string field)
    {
        switch (v.VectorCase)
        {
            case G.Vector.VectorOneofCase.Dense:
                return new DenseVector(Dense(v.Dense.Data));
            case G.Vector.VectorOneofCase.Sparse:
                return Sparse(v.Sparse.Indices, v.Sparse.Values);
            case G.Vector.VectorOneofCase.MultiDense:
                return Multi(v.MultiDense, field);
            case G.Vector.VectorOneofCase.Document:
            case G.Vector.VectorOneofCase.Image:
            case G.Vector.VectorOneofCase.Object:
                throw NoInference(field);
        }

#pragma warning disable CS0612 // Qdrant's deprecated vector form, still sent by older clients.
        if (v.Indices is { } indices)
        {
            return Sparse(indices.Data, v.Data);
        }

        if (v.HasVectorsCount)
        {
            var count = (int)v.VectorsCount;
            if (count <= 0 || v.Data.Count % count != 0)
            {
                throw new ValidationException($"{field}.vectors_count", $"{v.Data.Count} numbers do not split into {count} vectors of one length.");
            }

            var width = v.Data.Count / count;
            var rows = new float[count][];
            for (var i = 0; i < count; i++)
            {
                rows[i] = new float[width];
                for (var j = 0; j < width; j++)
                {
                    rows[i][j] = v.Data[(i * width) + j];
                }
            }

            return new MultiVector(rows);
        }

        return new DenseVector(Dense(v.Data));
#pragma warning restore CS0612
    }

    /// <summary>A query's VectorInput: a point id or a vector.</summary>
    public static VectorInput ToVectorInput(G.VectorInput? v, string field)
    {
        return (v?.VariantCase ?? G.VectorInput.VariantOneofCase.None) switch
        {
            G.VectorInput.VariantOneofCase.Id => VectorInput.OfPoint(ProtoValues.ToPointId(v!.Id, field)),
            G.VectorInput.VariantOneofCase.Dense => VectorInput.Of(new DenseVector(Dense(v!.Dense.Data))),
            G.VectorInput.VariantOneofCase.Sparse => VectorInput.Of(Sparse(v!.Sparse.Indices, v.Sparse.Values)),
            G.VectorInput.VariantOneofCase.MultiDense => VectorInput.Of(Multi(v!.MultiDense, field)),
            G.VectorInput.VariantOneofCase.Document or G.VectorInput.VariantOneofCase.Image or G.VectorInput.VariantOneofCase.Object => throw NoInference(field),
            _ => throw new ValidationException(field, "is required: a point id or a vector."),
        };
    }

    /// <summary>A legacy VectorExample (recommend, discover): a point id or a vector.</summary>
    public static VectorInput ToVectorInput(G.VectorExample? e, string field)
    {
        return (e?.ExampleCase ?? G.VectorExample.ExampleOneofCase.None) switch
        {
            G.VectorExample.ExampleOneofCase.Id => VectorInput.OfPoint(ProtoValues.ToPointId(e!.Id, field)),
            G.VectorExample.ExampleOneofCase.Vector => VectorInput.Of(ToVectorData(e!.Vector, field)),
            _ => throw new ValidationException(field, "is required: a point id or a vector."),
        };
    }

    public static float[] Dense(RepeatedField<float> data)
    {
        var values = new float[data.Count];
        data.CopyTo(values, 0);
        return values;
    }

    private static SparseVector Sparse(RepeatedField<uint> indices, RepeatedField<float> values)
    {
        var i = new uint[indices.Count];
        indices.CopyTo(i, 0);
        return new SparseVector(i, Dense(values));
    }

    private static MultiVector Multi(G.MultiDenseVector m, string field)
    {
        if (m.Vectors.Count == 0)
        {
            throw new ValidationException(field, "a multivector needs at least one vector.");
        }

        var rows = new float[m.Vectors.Count][];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = Dense(m.Vectors[i].Data);
        }

        return new MultiVector(rows);
    }

    private static ValidationException NoInference(string field) =>
        new(field, "inference objects (document, image, object) need an embedding model configured for this vector; RoseForest has none here.");

    /// <summary>A stored point's vectors for a response, or null when none were asked for.</summary>
    public static G.VectorsOutput? ToOutput(float[]? unnamed, IReadOnlyDictionary<string, VectorData>? named)
    {
        if (unnamed is null && (named is null || named.Count == 0))
        {
            return null;
        }

        if (named is null || named.Count == 0)
        {
            return new G.VectorsOutput { Vector = Output(new DenseVector(unnamed!)) };
        }

        if (unnamed is null && named.Count == 1 && named.TryGetValue(string.Empty, out var only))
        {
            return new G.VectorsOutput { Vector = Output(only) };
        }

        var map = new G.NamedVectorsOutput();
        if (unnamed is not null)
        {
            map.Vectors[string.Empty] = Output(new DenseVector(unnamed));
        }

        foreach (var (name, data) in named)
        {
            map.Vectors[name] = Output(data);
        }

        return new G.VectorsOutput { Vectors = map };
    }

    private static G.VectorOutput Output(VectorData data)
    {
        switch (data)
        {
            case DenseVector d:
                var dense = new G.DenseVector();
                dense.Data.Add(d.Values);
                return new G.VectorOutput { Dense = dense };
            case SparseVector s:
                var sparse = new G.SparseVector();
                sparse.Indices.Add(s.Indices);
                sparse.Values.Add(s.Values);
                return new G.VectorOutput { Sparse = sparse };
            case MultiVector m:
                var multi = new G.MultiDenseVector();
                foreach (var row in m.Vectors)
                {
                    var r = new G.DenseVector();
                    r.Data.Add(row);
                    multi.Vectors.Add(r);
                }

                return new G.VectorOutput { MultiDense = multi };
            default:
                throw new InvalidOperationException($"unknown vector kind {data.GetType().Name}.");
        }
    }
}
