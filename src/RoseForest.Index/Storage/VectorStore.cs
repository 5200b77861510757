using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RoseForest.Index.Storage;

/// <summary>
/// Fixed-dimension float vectors addressed by slot, in one 64-byte-aligned block of native
/// memory (no GC scanning, no bounds checks on the hot path), plus one float of per-vector
/// auxiliary data (the Poincaré factor). Growth copies into a bigger block; the caller makes sure
/// no reader is inside while it grows (the collection's write lock).
/// </summary>
internal sealed unsafe class VectorStore : IDisposable
{
    private const int Alignment = 64;
    private float* _data;
    private float[] _aux;
    private int _capacity;

    public VectorStore(int dimension, int initialCapacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        Dimension = dimension;

        // Rows start on 64-byte boundaries when that costs at most a quarter more memory.
        Stride = dimension >= 48 ? (dimension + 15) & ~15 : (dimension + 3) & ~3;
        _aux = [];
        Grow(Math.Max(initialCapacity, 16));
    }

    public int Dimension { get; }

    /// <summary>Floats between the starts of two consecutive rows.</summary>
    public int Stride { get; }

    public int Capacity => _capacity;

    public long BytesAllocated => ((long)_capacity * Stride * sizeof(float)) + ((long)_aux.Length * sizeof(float));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float* Pointer(int slot)
    {
        Debug.Assert((uint)slot < (uint)_capacity, "slot out of range");
        return _data + ((nint)slot * Stride);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref float Row(int slot) => ref *Pointer(slot);

    public ReadOnlySpan<float> Get(int slot) => new(Pointer(slot), Dimension);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Aux(int slot) => _aux[slot];

    public void Set(int slot, ReadOnlySpan<float> vector, float aux)
    {
        if (vector.Length != Dimension)
        {
            throw new ArgumentException($"expected {Dimension} floats, got {vector.Length}", nameof(vector));
        }

        vector.CopyTo(new Span<float>(Pointer(slot), Dimension));
        _aux[slot] = aux;
    }

    /// <summary>Makes room for at least <paramref name="slots"/> rows. The caller excludes readers.</summary>
    public void EnsureCapacity(int slots)
    {
        if (slots > _capacity)
        {
            Grow(Math.Max(slots, _capacity * 2));
        }
    }

    public bool NeedsGrowth(int slots) => slots > _capacity;

    private void Grow(int capacity)
    {
        var bytes = (nuint)capacity * (nuint)Stride * sizeof(float);
        var block = (float*)NativeMemory.AlignedAlloc(bytes, Alignment);
        NativeMemory.Clear(block, bytes);
        if (_data != null)
        {
            Buffer.MemoryCopy(_data, block, bytes, (nuint)_capacity * (nuint)Stride * sizeof(float));
            NativeMemory.AlignedFree(_data);
        }

        _data = block;
        Array.Resize(ref _aux, capacity);
        _capacity = capacity;
    }

    public void Dispose()
    {
        if (_data != null)
        {
            NativeMemory.AlignedFree(_data);
            _data = null;
            _capacity = 0;
        }
    }
}
