using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using RoseForest.Core;
using RoseForest.Core.Spaces;
using RoseForest.Index.Hnsw;
using RoseForest.Index.Storage;

namespace RoseForest.Index.Quantization;

/// <summary>
/// A quantized query against int8 codes, for the graph walk: the query's codes against each
/// node's codes, ranked as the geometry ranks (squared L2, minus the dot product with the affine
/// correction, L1, squared L2 scaled by the Poincaré factors). <c>TSpace.Geometry</c> is a
/// constant in each specialisation, so the switch below costs nothing at run time.
/// </summary>
internal readonly unsafe struct CodeQuery<TSpace>(byte* query, float queryAux, CodeStore codes, VectorStore vectors) : IQueryDistance
    where TSpace : struct, ISpace
{
    private readonly RowAccessor<byte> _rows = codes.Rows;
    private readonly int _stride = codes.Stride;
    private readonly float _low = codes.Quantizer.Low;
    private readonly float _step = codes.Quantizer.Step;

    /// <summary>The geometries whose ranking survives scalar quantization (Lorentz's time coordinate does not).</summary>
    public static bool Supports(Geometry geometry) => geometry != Geometry.Lorentz;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Distance(int node, float bound)
    {
        var row = _rows.Pointer(node);
        switch (TSpace.Geometry)
        {
            case Geometry.Euclid:
                return CodeMath.L2(query, row, _stride);
            case Geometry.Manhattan:
                return CodeMath.L1(query, row, _stride);
            case Geometry.Poincare:
                return CodeMath.L2(query, row, _stride) * queryAux * vectors.Aux(node);
            case Geometry.Cosine or Geometry.Dot:
                // x·y ≈ n·low² + low·step·(Σqc + Σxc) + step²·Σ qc·xc; the query's own terms are
                // the same for every node, so rank by −(low·step·Σxc + step²·Σ qc·xc).
                var dot = (float)CodeMath.Dot(query, row, _stride);
                return -((_low * _step * codes.Sum(node)) + (_step * _step * dot));
            default:
                throw new NotSupportedException($"{TSpace.Geometry} has no quantized ranking.");
        }
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

/// <summary>
/// A query against projected int8 codes (<see cref="CodeProjection"/>): squared Euclidean
/// distance within the principal subspace, abandoned once past the bound. The same for Euclid
/// and unit-length cosine vectors, so it is not specialised per geometry.
/// </summary>
internal readonly unsafe struct ProjectedCodeQuery(byte* query, CodeStore codes) : IQueryDistance
{
    private readonly RowAccessor<byte> _rows = codes.Rows;
    private readonly int _stride = codes.Stride;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Distance(int node, float bound) => CodeMath.L2Bounded(query, _rows.Pointer(node), _stride, bound);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int node)
    {
        if (Sse.IsSupported)
        {
            // A projected row is a few lines (rank 128: two); fetch up to four.
            var row = (byte*)_rows.Pointer(node);
            for (var i = 0; i < _stride && i < 256; i += 64)
            {
                Sse.Prefetch0(row + i);
            }
        }
    }
}
