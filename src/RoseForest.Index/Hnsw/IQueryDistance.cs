using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using RoseForest.Core.Spaces;
using RoseForest.Index.Storage;

namespace RoseForest.Index.Hnsw;

/// <summary>
/// The distance from one fixed query to graph nodes, as the beam search needs it: a struct, so
/// the search is specialised per representation (float rows, int8 codes) and per geometry.
/// </summary>
internal interface IQueryDistance
{
    /// <summary>The distance to a node, or any value above <paramref name="bound"/> once it is certain to exceed it.</summary>
    float Distance(int node, float bound);

    /// <summary>Starts loading a node's data into the cache.</summary>
    void Prefetch(int node);

    /// <summary>True when <see cref="LowerBound"/> is a cheap exact lower bound (a constant per struct, so the JIT drops the other path).</summary>
    static abstract bool HasLowerBound { get; }

    /// <summary>A value never above the distance to the node (0 when the representation has none).</summary>
    float LowerBound(int node);

    /// <summary>Starts loading what <see cref="LowerBound"/> reads.</summary>
    void PrefetchBound(int node);

    /// <summary>The distance without the lower-bound test (for a node whose bound has passed it).</summary>
    float FullDistance(int node, float bound);
}

/// <summary>A float query against float rows, with the geometry's kernel.</summary>
internal readonly unsafe struct FloatQuery<TSpace>(float* query, float queryAux, VectorStore vectors) : IQueryDistance
    where TSpace : struct, ISpace
{
    private readonly RowAccessor<float> _rows = vectors.Rows;
    private readonly int _dim = vectors.Dimension;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Distance(int node, float bound) =>
        TSpace.ProxyBounded(ref *query, ref _rows.Row(node), _dim, queryAux, TSpace.UsesAux ? vectors.Aux(node) : 1f, bound);

    public static bool HasLowerBound => false;

    public float LowerBound(int node) => 0;

    public void PrefetchBound(int node)
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float FullDistance(int node, float bound) => Distance(node, bound);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int node)
    {
        if (Sse.IsSupported)
        {
            var row = (byte*)_rows.Pointer(node);
            Sse.Prefetch0(row);
            Sse.Prefetch0(row + 64);
        }
    }
}
