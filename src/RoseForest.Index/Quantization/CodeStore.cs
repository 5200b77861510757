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

    public CodeStore(ScalarQuantizer quantizer, int dimension)
    {
        Quantizer = quantizer;
        Dimension = dimension;
        _rows = new ChunkedRows<byte>((dimension + 63) & ~63);
    }

    public ScalarQuantizer Quantizer { get; }

    public int Dimension { get; }

    /// <summary>Bytes per row (the dimension rounded up to 64).</summary>
    public int Stride => _rows.Stride;

    public int Capacity => _rows.Capacity;

    public long BytesAllocated => _rows.BytesAllocated + ((long)_sums.Length * sizeof(int));

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
        _sums[slot] = Quantizer.Encode(vector, new Span<byte>(Pointer(slot), Stride));
    }

    public void Dispose() => _rows.Dispose();
}
