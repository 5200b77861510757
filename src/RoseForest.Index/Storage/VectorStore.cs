using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RoseForest.Index.Storage;

/// <summary>
/// Fixed-dimension float vectors addressed by slot, in chunks of 64-byte-aligned native memory
/// (no GC scanning, no bounds checks on the hot path), plus one float of per-vector auxiliary
/// data (the Poincaré factor). Growth adds chunks and never moves a row, so readers need no lock
/// against it: a reader holding an older chunk table still finds every row it can see.
/// Only one thread (the collection's writer) calls the mutating methods.
/// </summary>
internal sealed unsafe class VectorStore : IDisposable
{
    private const int Alignment = 64;
    private const int TargetChunkBytes = 1 << 20;
    private readonly int _chunkShift;
    private readonly int _chunkMask;
    private nint[] _chunks = new nint[4];
    private int _chunkCount;
    private float[] _aux = [];
    private int _capacity;

    public VectorStore(int dimension, int initialCapacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        Dimension = dimension;

        // Rows start on 64-byte boundaries when that costs at most a quarter more memory.
        Stride = dimension >= 48 ? (dimension + 15) & ~15 : (dimension + 3) & ~3;
        var rowsPerChunk = (int)Math.Clamp(BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, TargetChunkBytes / (Stride * sizeof(float)))) / 2, 16, 1 << 16);
        _chunkShift = BitOperations.Log2((uint)rowsPerChunk);
        _chunkMask = rowsPerChunk - 1;
        EnsureCapacity(Math.Max(initialCapacity, 1));
    }

    public int Dimension { get; }

    /// <summary>Floats between the starts of two consecutive rows of a chunk.</summary>
    public int Stride { get; }

    public int RowsPerChunk => _chunkMask + 1;

    public int Capacity => Volatile.Read(ref _capacity);

    public long BytesAllocated => ((long)_chunkCount * RowsPerChunk * Stride * sizeof(float)) + ((long)_aux.Length * sizeof(float));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float* Pointer(int slot)
    {
        Debug.Assert((uint)slot < (uint)_capacity, "slot out of range");
        return (float*)Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_chunks), slot >> _chunkShift) + ((nint)(slot & _chunkMask) * Stride);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref float Row(int slot) => ref *Pointer(slot);

    /// <summary>
    /// The chunk table and layout as plain values, for hot loops: the JIT keeps them in
    /// registers instead of reloading this object's fields for every row. Valid for every slot
    /// below the <see cref="Capacity"/> seen when it was taken (chunks never move).
    /// </summary>
    public RowAccessor Rows => new(Volatile.Read(ref _chunks), _chunkShift, _chunkMask, Stride);

    /// <summary>See <see cref="Rows"/>.</summary>
    internal readonly struct RowAccessor(nint[] chunks, int shift, int mask, int stride)
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float* Pointer(int slot) =>
            (float*)Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(chunks), slot >> shift) + ((nint)(slot & mask) * stride);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ref float Row(int slot) => ref *Pointer(slot);
    }

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

    public bool NeedsGrowth(int slots) => slots > _capacity;

    /// <summary>Makes room for at least <paramref name="slots"/> rows by adding chunks; existing rows stay where they are.</summary>
    public void EnsureCapacity(int slots)
    {
        if (slots <= _capacity)
        {
            return;
        }

        var chunksNeeded = (int)(((long)slots + _chunkMask) >> _chunkShift);
        var chunks = _chunks;
        if (chunksNeeded > chunks.Length)
        {
            chunks = new nint[Math.Max(chunksNeeded, chunks.Length * 2)];
            Array.Copy(_chunks, chunks, _chunkCount);
        }

        var bytes = (nuint)RowsPerChunk * (nuint)Stride * sizeof(float);
        for (var c = _chunkCount; c < chunksNeeded; c++)
        {
            var block = NativeMemory.AlignedAlloc(bytes, Alignment);
            NativeMemory.Clear(block, bytes);
            chunks[c] = (nint)block;
        }

        var capacity = chunksNeeded << _chunkShift;
        var aux = _aux;
        if (aux.Length < capacity)
        {
            aux = new float[capacity];
            Array.Copy(_aux, aux, _aux.Length);
        }

        // Publish: new chunk table and aux array first, then the capacity that allows their use.
        Volatile.Write(ref _chunks, chunks);
        Volatile.Write(ref _aux, aux);
        _chunkCount = chunksNeeded;
        Volatile.Write(ref _capacity, capacity);
    }

    public void Dispose()
    {
        for (var c = 0; c < _chunkCount; c++)
        {
            NativeMemory.AlignedFree((void*)_chunks[c]);
            _chunks[c] = 0;
        }

        _chunkCount = 0;
        _capacity = 0;
    }
}
