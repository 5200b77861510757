using System.Runtime.InteropServices;
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

        var ctx = SearchContext.Current;
        var candidates = rescore ? Math.Max(k, (int)Math.Ceiling(k * Math.Max(1, oversampling))) : k;
        var queryCodes = ctx.AlignedCodes(codes.Stride);
        codes.Quantizer.Encode(query, new Span<byte>(queryCodes, codes.Stride));
        var buffer = ctx.Rerank(candidates);
        var codeQuery = new CodeQuery<TSpace>(queryCodes, queryAux, codes, graph.Vectors);
        var found = walk is null
            ? graph.Search(codeQuery, candidates, Math.Max(ef, candidates), filter, ctx, buffer, selectivity)
            : graph.SearchRestricted(codeQuery, candidates, Math.Max(ef, candidates), filter, ctx, buffer, walk);

        if (!rescore)
        {
            buffer.AsSpan(0, found).CopyTo(output);
            return found;
        }

        // Exact re-rank with the float vectors.
        var vectors = graph.Vectors;
        ref var q = ref ctx.AlignedQuery(query);
        for (var i = 0; i < found; i++)
        {
            var slot = buffer[i].Slot;
            buffer[i] = new Neighbor(TSpace.Proxy(ref q, ref vectors.Row(slot), vectors.Dimension, queryAux, vectors.Aux(slot)), slot);
        }

        var span = buffer.AsSpan(0, found);
        span.Sort(static (a, b) => a.Distance.CompareTo(b.Distance));
        var n = Math.Min(k, found);
        span[..n].CopyTo(output);
        return n;
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
