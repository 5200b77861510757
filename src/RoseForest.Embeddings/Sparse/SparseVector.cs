namespace RoseForest.Embeddings.Sparse;

/// <summary>
/// A sparse vector as Qdrant stores one: unique dimension indices in ascending order, each with a
/// value. Immutable.
/// </summary>
public sealed class SparseVector
{
    private readonly uint[] _indices;
    private readonly float[] _values;

    /// <summary>
    /// Creates a sparse vector; <paramref name="indices"/> must be strictly ascending and as long as
    /// <paramref name="values"/>. The arrays are copied.
    /// </summary>
    public SparseVector(ReadOnlySpan<uint> indices, ReadOnlySpan<float> values)
    {
        if (indices.Length != values.Length)
        {
            throw new ArgumentException($"{indices.Length} indices but {values.Length} values", nameof(values));
        }
        for (int i = 1; i < indices.Length; i++)
        {
            if (indices[i] <= indices[i - 1])
            {
                throw new ArgumentException($"indices must be strictly ascending (position {i})", nameof(indices));
            }
        }
        _indices = indices.ToArray();
        _values = values.ToArray();
    }

    private SparseVector(uint[] indices, float[] values)
    {
        _indices = indices;
        _values = values;
    }

    /// <summary>The vector with no non-zero dimension.</summary>
    public static SparseVector Empty { get; } = new([], []);

    /// <summary>The dimension indices, ascending.</summary>
    public ReadOnlySpan<uint> Indices => _indices;

    /// <summary>The values, parallel to <see cref="Indices"/>.</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>The number of stored dimensions.</summary>
    public int Count => _indices.Length;

    /// <summary>The value at <paramref name="index"/>, or 0 when the dimension is absent.</summary>
    public float this[uint index]
    {
        get
        {
            int at = Array.BinarySearch(_indices, index);
            return at >= 0 ? _values[at] : 0f;
        }
    }

    /// <summary>The dot product, by merging the two sorted index lists.</summary>
    public double Dot(SparseVector other)
    {
        ArgumentNullException.ThrowIfNull(other);
        double sum = 0;
        int i = 0, j = 0;
        while (i < _indices.Length && j < other._indices.Length)
        {
            uint a = _indices[i], b = other._indices[j];
            if (a == b)
            {
                sum += (double)_values[i] * other._values[j];
                i++;
                j++;
            }
            else if (a < b)
            {
                i++;
            }
            else
            {
                j++;
            }
        }
        return sum;
    }

    /// <summary>Builds a vector from index/value pairs, summing values of a repeated index.</summary>
    internal static SparseVector FromAccumulated(Dictionary<uint, float> byIndex)
    {
        if (byIndex.Count == 0)
        {
            return Empty;
        }
        uint[] indices = [.. byIndex.Keys];
        Array.Sort(indices);
        var values = new float[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            values[i] = byIndex[indices[i]];
        }
        return new SparseVector(indices, values);
    }
}
