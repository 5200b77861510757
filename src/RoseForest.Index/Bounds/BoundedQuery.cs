using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using RoseForest.Core.Spaces;
using RoseForest.Index.Hnsw;
using RoseForest.Index.Storage;

namespace RoseForest.Index.Bounds;

/// <summary>
/// A float query against float rows in squared L2, with a cheap exact lower bound first: the
/// squared distance between the query's and the node's projection rows (<see cref="PcaBasis"/>).
/// The walk drops a neighbour whose bound already passes its worst result without reading the
/// neighbour's vector, and computes the full (early-abandoning) distance only for the rest.
/// </summary>
internal readonly unsafe struct BoundedQuery(float* query, float* projection, VectorStore vectors, ProjectionStore bounds) : IQueryDistance
{
    /// <summary>
    /// The bound is computed in float from rows rounded to float: allow it this relative excess
    /// before trusting it to prune (far above the rounding, far below any real gap).
    /// </summary>
    internal const float Slack = 1.0001f;

    private readonly RowAccessor<float> _rows = vectors.Rows;
    private readonly RowAccessor<float> _bounds = bounds.Rows;
    private readonly int _dim = vectors.Dimension;
    private readonly int _stride = bounds.Stride;

    public static bool HasLowerBound => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Distance(int node, float bound)
    {
        if (bound < float.PositiveInfinity)
        {
            var lower = LowerBound(node);
            if (lower > bound * Slack)
            {
                return lower;
            }
        }

        return FullDistance(node, bound);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float FullDistance(int node, float bound) => VectorMath.L2SquaredBounded(ref *query, ref _rows.Row(node), _dim, bound);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float LowerBound(int node)
    {
        var row = _bounds.Pointer(node);
        if (Vector512.IsHardwareAccelerated)
        {
            var acc = Vector512<float>.Zero;
            for (var i = 0; i < _stride; i += 16)
            {
                var d = Vector512.Load(projection + i) - Vector512.Load(row + i);
                acc = Vector512.FusedMultiplyAdd(d, d, acc);
            }

            return VectorMath.HorizontalSum(acc);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            var acc = Vector256<float>.Zero;
            for (var i = 0; i < _stride; i += 8)
            {
                var d = Vector256.Load(projection + i) - Vector256.Load(row + i);
                acc = Vector256.FusedMultiplyAdd(d, d, acc);
            }

            return Vector256.Sum(acc);
        }

        var sum = 0f;
        for (var i = 0; i < _stride; i++)
        {
            var d = projection[i] - row[i];
            sum += d * d;
        }

        return sum;
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PrefetchBound(int node)
    {
        if (Sse.IsSupported)
        {
            var row = (byte*)_bounds.Pointer(node);
            Sse.Prefetch0(row);
            if (_stride > 16)
            {
                Sse.Prefetch0(row + 64);
            }
        }
    }
}
