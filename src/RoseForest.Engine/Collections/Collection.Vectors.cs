using RoseForest.Core.Spaces;
using RoseForest.Engine.Internal;
using RoseForest.Engine.Spaces;

namespace RoseForest.Engine;

public sealed partial class Collection
{
    /// <summary>The collection's vectors by kind and position (as logs and snapshots address them).</summary>
    internal VectorLayout Layout => _table.Layout;

    /// <summary>
    /// Validates and prepares one point's vectors for storage: the unnamed dense vector and every
    /// named one (dense, multi or sparse) checked against the collection's spaces, normalised for
    /// cosine, rounded to the datatype, sparse indices sorted. Throws <see cref="ValidationException"/>
    /// naming the field; touches nothing.
    /// </summary>
    private PreparedVectors PrepareVectors(PointStruct p, string field, bool project, bool requireUnnamed)
    {
        // One layout for the whole point: the collection's vectors may change meanwhile (the writer re-addresses it then).
        var layout = Layout;
        var prepared = layout.NewPoint();
        if (p.Vector is { } unnamed)
        {
            PrepareNamed(layout, string.Empty, new DenseVector(unnamed), prepared, $"{field}.vector", project);
        }

        if (p.Vectors is { } named)
        {
            foreach (var (name, data) in named)
            {
                if (name.Length == 0 && p.Vector is not null)
                {
                    throw new ValidationException($"{field}.vector", "the unnamed vector is given twice.");
                }

                PrepareNamed(layout, name ?? string.Empty, data ?? throw new ValidationException($"{field}.vector.{name}", "must not be null."), prepared, name is { Length: > 0 } ? $"{field}.vector.{name}" : $"{field}.vector", project);
            }
        }

        if (requireUnnamed && Array.IndexOf(layout.Dense, string.Empty) is var d and >= 0 && prepared.Dense[d] is null)
        {
            throw new ValidationException($"{field}.vector", "a point needs a vector.");
        }

        if (requireUnnamed && Array.IndexOf(layout.Multi, string.Empty) is var m and >= 0 && prepared.Multi[m] is null)
        {
            throw new ValidationException($"{field}.vector", "a point needs a vector.");
        }

        return prepared;
    }

    private static void PrepareNamed(VectorLayout layout, string name, VectorData data, PreparedVectors into, string field, bool project)
    {
        if (Array.IndexOf(layout.Dense, name) is var denseAt and >= 0)
        {
            var dense = layout.DenseSpaces![denseAt];
            if (data is not DenseVector { Values: { } values })
            {
                throw new ValidationException(field, $"vector '{name}' is a dense vector: give an array of {dense.Dimension} numbers.");
            }

            var output = new float[dense.Dimension];
            VectorPreparer.Prepare(dense.Geometry, dense.Curvature, dense.Dimension, values, output, project, field);
            Round(output, dense.Params.Datatype, field);
            into.Dense[denseAt] = output;
            return;
        }

        if (Array.IndexOf(layout.Multi, name) is var multiAt and >= 0)
        {
            var multi = layout.MultiSpaces![multiAt];
            var rows = data switch
            {
                MultiVector { Vectors: { Length: > 0 } vs } => vs,
                DenseVector { Values: { } single } => [single],
                _ => throw new ValidationException(field, $"vector '{name}' is a multivector: give an array of arrays of {multi.Dimension} numbers."),
            };
            var flat = new float[rows.Length * multi.Dimension];
            for (var r = 0; r < rows.Length; r++)
            {
                var row = rows[r] ?? throw new ValidationException($"{field}[{r}]", "must not be null.");
                VectorPreparer.Prepare(multi.Params.Distance, multi.Params.Curvature, multi.Dimension, row, flat.AsSpan(r * multi.Dimension, multi.Dimension), project, $"{field}[{r}]");
            }

            Round(flat, multi.Params.Datatype, field);
            into.Multi[multiAt] = flat;
            return;
        }

        if (Array.IndexOf(layout.Sparse, name) is var sparseAt and >= 0)
        {
            if (data is not SparseVector { Indices: { } indices, Values: { } values })
            {
                throw new ValidationException(field, $"vector '{name}' is a sparse vector: give {{\"indices\": [...], \"values\": [...]}}.");
            }

            into.Sparse[sparseAt] = PrepareSparse(indices, values, field);
            return;
        }

        throw new ValidationException(field, name.Length == 0
            ? "this collection has no unnamed vector; give its named vectors."
            : $"Not existing vector name error: {name}");
    }

    /// <summary>A sparse vector with the same length of indices and values, distinct indices, finite values; sorted by index.</summary>
    internal static SparseVector PrepareSparse(uint[] indices, float[] values, string field)
    {
        if (indices.Length != values.Length)
        {
            throw new ValidationException(field, $"indices and values must have the same length, got {indices.Length} and {values.Length}.");
        }

        var order = new int[indices.Length];
        for (var i = 0; i < order.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                throw new ValidationException($"{field}.values[{i}]", "must be a finite number.");
            }

            order[i] = i;
        }

        Array.Sort(order, (a, b) => indices[a].CompareTo(indices[b]));
        var sortedIndices = new uint[order.Length];
        var sortedValues = new float[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            sortedIndices[i] = indices[order[i]];
            sortedValues[i] = values[order[i]];
            if (i > 0 && sortedIndices[i] == sortedIndices[i - 1])
            {
                throw new ValidationException($"{field}.indices", $"index {sortedIndices[i]} appears more than once.");
            }
        }

        return new SparseVector(sortedIndices, sortedValues);
    }

    /// <summary>Rounds components to the vector's datatype (float16: half precision; uint8: whole numbers 0..255, else refused).</summary>
    private static void Round(Span<float> values, VectorDatatype datatype, string field)
    {
        switch (datatype)
        {
            case VectorDatatype.Float16:
                for (var i = 0; i < values.Length; i++)
                {
                    var h = (float)(Half)values[i];
                    values[i] = float.IsFinite(h) ? h : throw new ValidationException($"{field}[{i}]", $"{values[i]} is out of the float16 range.");
                }

                break;
            case VectorDatatype.Uint8:
                for (var i = 0; i < values.Length; i++)
                {
                    if (values[i] is < 0 or > 255 || values[i] != MathF.Round(values[i]))
                    {
                        throw new ValidationException($"{field}[{i}]", $"a uint8 vector holds whole numbers 0..255, got {values[i]}.");
                    }
                }

                break;
        }
    }

    /// <summary>Bytes a prepared point takes in a log record, roughly (for the batch size limit).</summary>
    private static long VectorBytes(PreparedVectors v) =>
        (v.Dense.Sum(d => (long)(d?.Length ?? 0)) + v.Multi.Sum(m => (long)(m?.Length ?? 0)) + v.Sparse.Sum(s => 2L * (s?.Indices.Length ?? 0))) * sizeof(float);

    /// <summary>A stored point's vectors as the contracts give them back: the unnamed dense vector, and the others by name (those asked for).</summary>
    private (float[]? Unnamed, IReadOnlyDictionary<string, VectorData>? Named) ReadVectors(int slot, VectorSelector selection)
    {
        if (!selection.Enabled)
        {
            return (null, null);
        }

        float[]? unnamed = null;
        Dictionary<string, VectorData>? named = null;
        foreach (var d in _table.Dense)
        {
            if (d.Has(slot) && selection.Includes(d.Name))
            {
                var values = d.Vectors.Get(slot).ToArray();
                if (d.Name.Length == 0)
                {
                    unnamed = values;
                }
                else
                {
                    (named ??= [])[d.Name] = new DenseVector(values);
                }
            }
        }

        foreach (var m in _table.Multi)
        {
            if (m.Get(slot) is { } flat && selection.Includes(m.Name))
            {
                var rows = new float[flat.Length / m.Dimension][];
                for (var r = 0; r < rows.Length; r++)
                {
                    rows[r] = flat.AsSpan(r * m.Dimension, m.Dimension).ToArray();
                }

                (named ??= [])[m.Name] = new MultiVector(rows);
            }
        }

        foreach (var sp in _table.Sparse)
        {
            if (sp.Get(slot) is { } sparse && selection.Includes(sp.Name))
            {
                (named ??= [])[sp.Name] = new SparseVector([.. sparse.Indices], [.. sparse.Values]);
            }
        }

        // Asked for vectors of a collection with named ones and holding none of them: an empty set, not "no vectors asked".
        if (named is null && unnamed is null && (_table.Dense.Length + _table.Multi.Length + _table.Sparse.Length > 1 || _table.DenseNamed(string.Empty) is null))
        {
            named = [];
        }

        return (unnamed, named);
    }

    /// <summary>The point's vectors as a prepared set, to copy into a new slot (update_vectors, delete_vectors).</summary>
    private PreparedVectors CopyVectors(int slot)
    {
        var v = Layout.NewPoint();
        foreach (var d in _table.Dense)
        {
            v.Dense[d.Index] = d.Has(slot) ? d.Vectors.Get(slot).ToArray() : null;
        }

        foreach (var m in _table.Multi)
        {
            v.Multi[m.Index] = m.Get(slot);
        }

        foreach (var sp in _table.Sparse)
        {
            v.Sparse[sp.Index] = sp.Get(slot);
        }

        return v;
    }
}
