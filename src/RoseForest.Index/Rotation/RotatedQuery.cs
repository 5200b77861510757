using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using RoseForest.Core.Spaces;
using RoseForest.Index.Hnsw;
using RoseForest.Index.Storage;

namespace RoseForest.Index.Rotation;

/// <summary>
/// A rotated float query against rotated float rows (<see cref="PcaRotation"/>) in squared L2.
/// The rotation puts most of a distance in the leading coordinates, so the kernel checks its
/// partial sum against the bound often at the start (every 64 floats up to 256, then every 128)
/// and a neighbour that cannot enter the results is usually dropped after a few cache lines.
/// </summary>
internal readonly unsafe struct RotatedQuery(float* query, VectorStore vectors) : IQueryDistance
{
    private readonly RowAccessor<float> _rows = vectors.Rows;
    private readonly int _dim = vectors.Dimension;
    private readonly int _padded = PcaRotation.Pad(vectors.Dimension);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Distance(int node, float bound)
    {
        var row = _rows.Pointer(node);
        if (!Vector512.IsHardwareAccelerated)
        {
            return VectorMath.L2SquaredBounded(ref *query, ref *row, _dim, bound);
        }

        // Rows and the query are zero beyond the dimension up to a whole 16 floats (see
        // HnswGraph.UseRotation), so the loop needs no scalar tail.
        var s0 = Vector512<float>.Zero;
        var s1 = Vector512<float>.Zero;
        var n = _padded;
        var next = 64;
        var i = 0;
        for (; i + 32 <= n; i += 32)
        {
            var d0 = Vector512.Load(query + i) - Vector512.Load(row + i);
            var d1 = Vector512.Load(query + i + 16) - Vector512.Load(row + i + 16);
            s0 = Vector512.FusedMultiplyAdd(d0, d0, s0);
            s1 = Vector512.FusedMultiplyAdd(d1, d1, s1);
            if (i + 32 == next)
            {
                if (VectorMath.HorizontalSum(s0 + s1) > bound)
                {
                    return float.PositiveInfinity;
                }

                next += next < 256 ? 64 : 128;
            }
        }

        if (i < n)
        {
            var d0 = Vector512.Load(query + i) - Vector512.Load(row + i);
            s0 = Vector512.FusedMultiplyAdd(d0, d0, s0);
        }

        return VectorMath.HorizontalSum(s0 + s1);
    }

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

