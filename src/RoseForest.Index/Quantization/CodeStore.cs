using System.Runtime.CompilerServices;
using RoseForest.Index.Storage;

namespace RoseForest.Index.Quantization;

/// <summary>
/// The int8 codes of a collection's vectors, by slot, in chunked native rows padded to 64
/// bytes, with each row's code sum (needed by the dot product's affine correction).
/// A quarter of the float vectors' size: what the graph walk reads when quantization is on.
/// </summary>
internal sealed unsafe class CodeStore : IDisposable
{
    private readonly ChunkedRows<byte> _rows;
    private int[] _sums = [];

    public CodeStore(ScalarQuantizer quantizer, int dimension, CodeProjection? projection = null)
    {
        if (projection is not null && projection.Dimension != dimension)
        {
            throw new ArgumentException($"the projection takes {projection.Dimension} floats, the vectors have {dimension}.");
        }

        Quantizer = quantizer;
        Dimension = dimension;
        Projection = projection;
        _rows = new ChunkedRows<byte>(((projection?.Rank ?? dimension) + 63) & ~63);
    }

    public ScalarQuantizer Quantizer { get; }

    /// <summary>The vectors' dimension (a row holds <see cref="CodeProjection.Rank"/> codes when projected).</summary>
    public int Dimension { get; }

    /// <summary>When set, rows hold the int8 codes of the projection (Euclidean ranking within the subspace), not of the vector.</summary>
    public CodeProjection? Projection { get; }

    /// <summary>Bytes per row (the dimension rounded up to 64).</summary>
    public int Stride => _rows.Stride;

    public int Capacity => _rows.Capacity;

    public long BytesAllocated => _rows.BytesAllocated + ((long)_sums.Length * sizeof(int)) + (Projection?.BytesAllocated ?? 0);

    public RowAccessor<byte> Rows => _rows.Rows;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte* Pointer(int slot) => _rows.Pointer(slot);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Sum(int slot) => _sums[slot];

    public void EnsureCapacity(int slots)
    {
        _rows.EnsureCapacity(slots);
        if (_sums.Length < _rows.Capacity)
        {
            var sums = new int[_rows.Capacity];
            Array.Copy(_sums, sums, _sums.Length);
            Volatile.Write(ref _sums, sums);
        }
    }

    /// <summary>Encodes a vector into a slot's row. The writer calls it for slots not yet visible.</summary>
    public void Set(int slot, ReadOnlySpan<float> vector)
    {
        EnsureCapacity(slot + 1);
        _sums[slot] = Encode(vector, new Span<byte>(Pointer(slot), Stride));
    }

    /// <summary>Encodes a vector (projected first when the store is) into <see cref="Stride"/> bytes; returns Σ codes.</summary>
    public int Encode(ReadOnlySpan<float> vector, Span<byte> codes)
    {
        if (Projection is not { } projection)
        {
            return Quantizer.Encode(vector, codes);
        }

        Span<float> projected = projection.Rank <= 1024 ? stackalloc float[projection.Rank] : new float[projection.Rank];
        projection.Project(vector, projected);
        return Quantizer.Encode(projected, codes);
    }

    public void Dispose() => _rows.Dispose();
}
