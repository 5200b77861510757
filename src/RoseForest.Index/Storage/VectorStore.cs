using System.Runtime.CompilerServices;

namespace RoseForest.Index.Storage;

/// <summary>
/// Fixed-dimension float vectors addressed by slot (chunked native rows, see
/// <see cref="ChunkedRows{T}"/>), plus one float of per-vector auxiliary data (the Poincaré
/// factor). Growth never moves a row. Only one thread (the collection's writer) mutates it.
/// </summary>
internal sealed unsafe class VectorStore : IDisposable
{
    private readonly ChunkedRows<float> _rows;
    private float[] _aux = [];

    public VectorStore(int dimension, int initialCapacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        Dimension = dimension;

        // Rows start on 64-byte boundaries when that costs at most a quarter more memory.
        _rows = new ChunkedRows<float>(dimension >= 48 ? (dimension + 15) & ~15 : (dimension + 3) & ~3);
        EnsureCapacity(Math.Max(initialCapacity, 1));
    }

    public int Dimension { get; }

    /// <summary>Floats between the starts of two consecutive rows of a chunk.</summary>
    public int Stride => _rows.Stride;

    public int Capacity => _rows.Capacity;

    public long BytesAllocated => _rows.BytesAllocated + ((long)_aux.Length * sizeof(float));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float* Pointer(int slot) => _rows.Pointer(slot);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref float Row(int slot) => ref *_rows.Pointer(slot);

    /// <summary>The row layout as plain values, for hot loops.</summary>
    public RowAccessor<float> Rows => _rows.Rows;

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

    public bool NeedsGrowth(int slots) => slots > Capacity;

    /// <summary>Makes room for at least <paramref name="slots"/> rows; existing rows stay where they are.</summary>
    public void EnsureCapacity(int slots)
    {
        _rows.EnsureCapacity(slots);
        var capacity = _rows.Capacity;
        if (_aux.Length < capacity)
        {
            var aux = new float[capacity];
            Array.Copy(_aux, aux, _aux.Length);
            Volatile.Write(ref _aux, aux);
        }
    }

    public void Dispose() => _rows.Dispose();
}
