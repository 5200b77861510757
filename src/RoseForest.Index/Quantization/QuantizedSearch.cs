using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using RoseForest.Core.Spaces;
using RoseForest.Index.Common;
using RoseForest.Index.Hnsw;
using RoseForest.Index.Storage;

namespace RoseForest.Index.Quantization;

/// <summary>
/// HNSW search on int8 codes with an exact re-rank: the walk (beam ef) reads only the codes,
/// the best <c>k·oversampling</c> candidates are scored again with the float vectors, and the
/// best k of those are returned.
/// </summary>
internal static unsafe class QuantizedSearch
{
    public static int Search<TSpace, TFilter>(HnswGraph graph, CodeStore codes, float[] query, float queryAux, int k, int ef, double oversampling, TFilter filter, Span<Neighbor> output, bool rescore = true, double selectivity = 1, RestrictedWalk? walk = null)
        where TSpace : struct, ISpace
        where TFilter : struct, ISlotFilter
    {
        if (graph.Rotation is not null)
        {
            throw new NotSupportedException("a quantized search over a rotated store is not supported: the query would be encoded unrotated.");
        }

        // Projected codes rank in the subspace's units, not the geometry's: always re-rank.
        rescore |= codes.Projection is not null;
        var ctx = SearchContext.Current;
        var candidates = rescore ? Math.Max(k, (int)Math.Ceiling(k * Math.Max(1, oversampling))) : k;
        var queryCodes = ctx.AlignedCodes(codes.Stride);
        codes.Encode(query, new Span<byte>(queryCodes, codes.Stride));
        var buffer = ctx.Rerank(candidates);
        var found = codes.Projection is null
            ? Walk(graph, new CodeQuery<TSpace>(queryCodes, queryAux, codes, graph.Vectors), candidates, Math.Max(ef, candidates), filter, ctx, buffer, selectivity, walk)
            : Walk(graph, new ProjectedCodeQuery(queryCodes, codes), candidates, Math.Max(ef, candidates), filter, ctx, buffer, selectivity, walk);

        if (!rescore)
        {
            buffer.AsSpan(0, found).CopyTo(output);
            return found;
        }

        // Exact re-rank with the float vectors, best code distance first, into a sorted top k:
        // once k are in, a distance stops as soon as it certainly passes the k-th (exact for L2,
        // the full distance for the others).
        var vectors = graph.Vectors;
        ref var q = ref ctx.AlignedQuery(query);
        var kept = 0;
        var worst = float.PositiveInfinity;
        for (var i = 0; i < found; i++)
        {
            if (i + 1 < found && Sse.IsSupported)
            {
                // The next candidate's first four lines (the partial sum checks the bound after 256 floats).
                var next = (byte*)Unsafe.AsPointer(ref vectors.Row(buffer[i + 1].Slot));
                Sse.Prefetch0(next);
                Sse.Prefetch0(next + 64);
                Sse.Prefetch0(next + 128);
                Sse.Prefetch0(next + 192);
            }

            var slot = buffer[i].Slot;
            var d = TSpace.ProxyBounded(ref q, ref vectors.Row(slot), vectors.Dimension, queryAux, TSpace.UsesAux ? vectors.Aux(slot) : 1f, worst);
            if (kept == k && d >= worst)
            {
                continue;
            }

            var at = kept < k ? kept++ : k - 1;
            while (at > 0 && output[at - 1].Distance > d)
            {
                output[at] = output[at - 1];
                at--;
            }

            output[at] = new Neighbor(d, slot);
            if (kept == k)
            {
                worst = output[k - 1].Distance;
            }
        }

        return kept;
    }

    private static int Walk<TQuery, TFilter>(HnswGraph graph, TQuery query, int k, int ef, TFilter filter, SearchContext ctx, Neighbor[] buffer, double selectivity, RestrictedWalk? walk)
        where TQuery : struct, IQueryDistance
        where TFilter : struct, ISlotFilter =>
        walk is null
            ? graph.Search(query, k, ef, filter, ctx, buffer, selectivity)
            : graph.SearchRestricted(query, k, ef, filter, ctx, buffer, walk);

    /// <summary>
    /// Codes for the slots <paramref name="include"/> selects: the int8 range calibrated on a
    /// sample of them, then every one encoded. With <paramref name="projectionRank"/> the
    /// projection is fitted first (up to 5,000 evenly spaced vectors), the range is calibrated on
    /// the projections and covers at least <see cref="CodeProjection.CalibrationQuantile"/>.
    /// </summary>
    public static CodeStore BuildCodes(VectorStore vectors, int slotCount, Func<int, bool> include, double quantile, int? projectionRank)
    {
        CodeProjection? projection = null;
        var sample = Sample(vectors, slotCount, include);
        if (projectionRank is { } rank && rank < vectors.Dimension)
        {
            projection = CodeProjection.Fit([.. Sample(vectors, slotCount, include, 5_000).Select(v => v.ToArray())], rank);
            quantile = CodeProjection.CalibrationQuantile(quantile);
            sample = sample.Select(v =>
            {
                var y = new float[rank];
                projection.Project(v.Span, y);
                return (ReadOnlyMemory<float>)y;
            });
        }

        var codes = new CodeStore(ScalarQuantizer.Calibrate(sample, quantile), vectors.Dimension, projection);
        EncodeAll(codes, vectors, slotCount, include);
        return codes;
    }

    /// <summary>Encodes every slot the predicate selects (after calibration or reopening).</summary>
    public static void EncodeAll(CodeStore codes, VectorStore vectors, int slotCount, Func<int, bool> include)
    {
        codes.EnsureCapacity(slotCount);
        for (var slot = 0; slot < slotCount; slot++)
        {
            if (include(slot))
            {
                codes.Set(slot, vectors.Get(slot));
            }
        }
    }

    /// <summary>The vectors of the selected slots, for calibration.</summary>
    public static IEnumerable<ReadOnlyMemory<float>> Sample(VectorStore vectors, int slotCount, Func<int, bool> include, int limit = 20_000)
    {
        var step = Math.Max(1, slotCount / limit);
        for (var slot = 0; slot < slotCount; slot += step)
        {
            if (include(slot))
            {
                yield return vectors.Get(slot).ToArray();
            }
        }
    }
}
