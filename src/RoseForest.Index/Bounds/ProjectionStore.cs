using System.Runtime.CompilerServices;
using RoseForest.Index.Storage;

namespace RoseForest.Index.Bounds;

/// <summary>
/// Every node's projection row under a <see cref="PcaBasis"/> (coordinates, then residual norm),
/// in chunked 64-byte-aligned rows beside the vectors: a row of 16 or 32 floats is one or two
/// cache lines, against 49 for a 784-float vector, so the lower bound costs a small read.
/// </summary>
internal sealed unsafe class ProjectionStore : IDisposable
{
    private readonly ChunkedRows<float> _rows;

    public ProjectionStore(PcaBasis basis, int initialCapacity = 1024)
    {
        Basis = basis;
        _rows = new ChunkedRows<float>((basis.Width + 15) & ~15);
        _rows.EnsureCapacity(Math.Max(initialCapacity, 1));
    }

    public PcaBasis Basis { get; }

    /// <summary>Floats per row (the basis width padded to whole cache lines; the padding is zero).</summary>
    public int Stride => _rows.Stride;

    public int Capacity => _rows.Capacity;

    public long BytesAllocated => _rows.BytesAllocated + ((long)Basis.Rank * Basis.Dimension * sizeof(float));

    public RowAccessor<float> Rows => _rows.Rows;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float* Pointer(int slot) => _rows.Pointer(slot);

    /// <summary>Stores a node's projection. Call before the node becomes reachable in the graph.</summary>
    public void Set(int slot, ReadOnlySpan<float> vector) => Basis.Project(vector, new Span<float>(Pointer(slot), Stride));

    /// <summary>Projects a query into a buffer of <see cref="Stride"/> floats.</summary>
    public void ProjectQuery(ReadOnlySpan<float> query, float* into) => Basis.Project(query, new Span<float>(into, Stride));

    /// <summary>Makes room for slots below <paramref name="slots"/> (one writer).</summary>
    public void EnsureCapacity(int slots) => _rows.EnsureCapacity(slots);

    public void Dispose() => _rows.Dispose();
}
