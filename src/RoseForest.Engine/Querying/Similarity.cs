using RoseForest.Core.Spaces;

namespace RoseForest.Engine.Querying;

/// <summary>
/// Raw similarities, higher is better, as Qdrant's metrics define them before post-processing:
/// the dot product for cosine (of unit vectors) and dot, −‖a−b‖² for euclid, −‖a−b‖₁ for
/// manhattan; for RoseForest's hyperbolic geometries, −distance. Recommend, discover, context,
/// MMR and max_sim score with these.
/// </summary>
internal static class Similarity
{
    public static double Of(Geometry geometry, double curvature, ReadOnlySpan<float> a, ReadOnlySpan<float> b) => geometry switch
    {
        Geometry.Cosine or Geometry.Dot => GeometryMath.DotProduct(a, b),
        Geometry.Euclid => -GeometryMath.SquaredL2(a, b),
        Geometry.Manhattan => -GeometryMath.L1(a, b),
        _ => -GeometryMath.Score(geometry, curvature, a, b),
    };

    /// <summary>max_sim: Σ over the query's sub-vectors of the best similarity to one of the stored sub-vectors.</summary>
    public static double MaxSim(Geometry geometry, double curvature, ReadOnlySpan<float> query, ReadOnlySpan<float> stored, int dim)
    {
        switch (geometry)
        {
            // The flat geometries score with the SIMD float kernels (Qdrant scores multivectors in
            // float too): about 8x the scalar double loop below on ColBERT-like data (docs/benchmarks.md).
            case Geometry.Cosine or Geometry.Dot:
                return MaxSimFlat<DotTerm>(query, stored, dim);
            case Geometry.Euclid:
                return MaxSimFlat<NegativeL2Term>(query, stored, dim);
            case Geometry.Manhattan:
                return MaxSimFlat<NegativeL1Term>(query, stored, dim);
        }

        double sum = 0;
        for (var q = 0; q < query.Length; q += dim)
        {
            var best = double.NegativeInfinity;
            for (var d = 0; d < stored.Length; d += dim)
            {
                best = Math.Max(best, Of(geometry, curvature, query.Slice(q, dim), stored.Slice(d, dim)));
            }

            sum += best;
        }

        return sum;
    }

    private static double MaxSimFlat<TTerm>(ReadOnlySpan<float> query, ReadOnlySpan<float> stored, int dim)
        where TTerm : struct, IFlatSimilarity
    {
        double sum = 0;
        for (var q = 0; q < query.Length; q += dim)
        {
            var a = query.Slice(q, dim);
            var best = float.NegativeInfinity;
            for (var d = 0; d < stored.Length; d += dim)
            {
                var s = TTerm.Of(a, stored.Slice(d, dim));
                if (s > best)
                {
                    best = s;
                }
            }

            sum += best;
        }

        return sum;
    }

    private interface IFlatSimilarity
    {
        static abstract float Of(ReadOnlySpan<float> a, ReadOnlySpan<float> b);
    }

    private readonly struct DotTerm : IFlatSimilarity
    {
        public static float Of(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => VectorMath.Dot(a, b);
    }

    private readonly struct NegativeL2Term : IFlatSimilarity
    {
        public static float Of(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => -VectorMath.L2Squared(a, b);
    }

    private readonly struct NegativeL1Term : IFlatSimilarity
    {
        public static float Of(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => -VectorMath.L1(a, b);
    }

    /// <summary>The dot product of two sparse vectors with sorted indices; <paramref name="overlap"/> tells whether they share a dimension.</summary>
    public static double SparseDot(SparseVector a, SparseVector b, out bool overlap)
    {
        double dot = 0;
        overlap = false;
        int i = 0, j = 0;
        while (i < a.Indices.Length && j < b.Indices.Length)
        {
            var c = a.Indices[i].CompareTo(b.Indices[j]);
            if (c == 0)
            {
                dot += (double)a.Values[i] * b.Values[j];
                overlap = true;
                i++;
                j++;
            }
            else if (c < 0)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return dot;
    }

    /// <summary>Qdrant's fast sigmoid, x / (1 + |x|), in (−1, 1).</summary>
    public static double FastSigmoid(double x) => x / (1 + Math.Abs(x));

    /// <summary>Qdrant's fast sigmoid scaled into (0, 1).</summary>
    public static double ScaledFastSigmoid(double x) => 0.5 * (FastSigmoid(x) + 1);
}
