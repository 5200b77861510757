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
