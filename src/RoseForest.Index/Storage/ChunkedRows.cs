using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RoseForest.Index.Storage;

/// <summary>
/// Fixed-length rows of unmanaged values addressed by slot, in chunks of 64-byte-aligned native
/// memory (no GC scanning, no bounds checks on the hot path). Growth adds chunks and never moves
/// a row, so readers need no lock against it: a reader holding an older chunk table still finds
/// every row it can see. Only one thread calls <see cref="EnsureCapacity"/>.
/// </summary>
internal sealed unsafe class ChunkedRows<T> : IDisposable
    where T : unmanaged
{
    private const int Alignment = 64;
    private const int TargetChunkBytes = 1 << 20;
    private readonly int _chunkShift;
    private readonly int _chunkMask;
    private nint[] _chunks = new nint[4];
    private int _chunkCount;
    private int _capacity;

    /// <param name="stride">Elements from one row's start to the next (the row length, padded).</param>
    public ChunkedRows(int stride)
    {
        Stride = stride;
        var rowsPerChunk = (int)Math.Clamp(BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, TargetChunkBytes / (stride * sizeof(T)))) / 2, 16, 1 << 16);
        _chunkShift = BitOperations.Log2((uint)rowsPerChunk);
        _chunkMask = rowsPerChunk - 1;
    }

    public int Stride { get; }

    public int RowsPerChunk => _chunkMask + 1;

    public int Capacity => Volatile.Read(ref _capacity);

    public long BytesAllocated => (long)_chunkCount * RowsPerChunk * Stride * sizeof(T);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T* Pointer(int slot)
    {
        Debug.Assert((uint)slot < (uint)_capacity, "slot out of range");
        return (T*)Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_chunks), slot >> _chunkShift) + ((nint)(slot & _chunkMask) * Stride);
    }

    /// <summary>The layout as plain values for hot loops (see <see cref="RowAccessor{T}"/>).</summary>
    public RowAccessor<T> Rows => new(Volatile.Read(ref _chunks), _chunkShift, _chunkMask, Stride);

    /// <summary>Makes room for at least <paramref name="slots"/> rows by adding zeroed chunks.</summary>
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

        var bytes = (nuint)RowsPerChunk * (nuint)Stride * (nuint)sizeof(T);
        for (var c = _chunkCount; c < chunksNeeded; c++)
        {
            var block = NativeMemory.AlignedAlloc(bytes, Alignment);
            NativeMemory.Clear(block, bytes);
            chunks[c] = (nint)block;
        }

        // Publish the new chunk table before the capacity that allows its use.
        Volatile.Write(ref _chunks, chunks);
        _chunkCount = chunksNeeded;
        Volatile.Write(ref _capacity, chunksNeeded << _chunkShift);
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

/// <summary>
/// A <see cref="ChunkedRows{T}"/> layout as plain values: the JIT keeps them in registers in a
/// hot loop instead of reloading the owner's fields for every row. Valid for every slot below
/// the capacity seen when it was taken (chunks never move).
/// </summary>
internal readonly unsafe struct RowAccessor<T>(nint[] chunks, int shift, int mask, int stride)
    where T : unmanaged
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T* Pointer(int slot) =>
        (T*)Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(chunks), slot >> shift) + ((nint)(slot & mask) * stride);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref T Row(int slot) => ref *Pointer(slot);
}
