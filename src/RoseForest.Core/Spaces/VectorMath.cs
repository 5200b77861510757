using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RoseForest.Core.Spaces;

/// <summary>
/// SIMD distance kernels over float vectors: one loop (<see cref="Sum{TTerm, TStop}"/>) generic
/// over the per-coordinate term (<see cref="IDistanceTerm"/>), over whether it may stop early
/// (<see cref="IStopRule"/>) and, for its vector part, over the width
/// (<see cref="IVectorWidth{TVector}"/>); the named kernels below are its instances. The width
/// (Vector512, Vector256, scalar) is chosen by the JIT once: <c>IsHardwareAccelerated</c> is a
/// constant in the compiled code, so the other branches vanish.
/// </summary>
internal static class VectorMath
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        Dot(ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(b), a.Length);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float L2Squared(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        L2Squared(ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(b), a.Length);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float L1(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        L1(ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(b), a.Length);

    public static float Dot(ref float a, ref float b, int n) => Sum<ProductTerm, Exact>(ref a, ref b, n, 0);

    public static float L2Squared(ref float a, ref float b, int n) => Sum<SquaredDifferenceTerm, Exact>(ref a, ref b, n, 0);

    public static float L1(ref float a, ref float b, int n) => Sum<AbsoluteDifferenceTerm, Exact>(ref a, ref b, n, 0);

    /// <summary>
    /// Squared L2, abandoned early: the partial sum only grows, so once it exceeds
    /// <paramref name="bound"/> the candidate cannot beat it and the rest of the vector is not
    /// even read. Returns the exact value when it is at most the bound, otherwise some value
    /// above the bound. Checks every 256 floats (a horizontal sum each time), and not when fewer
    /// than 128 remain.
    /// </summary>
    public static float L2SquaredBounded(ref float a, ref float b, int n, float bound) => Sum<SquaredDifferenceTerm, Abandoning>(ref a, ref b, n, bound);

    /// <summary>L1, abandoned early like <see cref="L2SquaredBounded"/>.</summary>
    public static float L1Bounded(ref float a, ref float b, int n, float bound) => Sum<AbsoluteDifferenceTerm, Abandoning>(ref a, ref b, n, bound);

    /// <summary>
    /// The one distance loop: Σ term(aᵢ, bᵢ) over n floats, in Vector512 or else Vector256
    /// (<see cref="Vectors{TWidth, TVector, TTerm, TStop}"/>), then a scalar tail. With
    /// <typeparamref name="TStop"/> = <see cref="Abandoning"/> it returns +∞ as soon as the
    /// partial sum is above <paramref name="bound"/> (only for terms whose partial sums only grow).
    /// </summary>
    private static float Sum<TTerm, TStop>(ref float a, ref float b, int n, float bound)
        where TTerm : struct, IDistanceTerm
        where TStop : struct, IStopRule
    {
        nuint i = 0;
        var len = (nuint)n;
        var sum = 0f;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            if (!Vectors<Width512, Vector512<float>, TTerm, TStop>(ref a, ref b, len, bound, ref i, out sum))
            {
                return float.PositiveInfinity;
            }
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            if (!Vectors<Width256, Vector256<float>, TTerm, TStop>(ref a, ref b, len, bound, ref i, out sum))
            {
                return float.PositiveInfinity;
            }
        }

        for (; i < len; i++)
        {
            sum = TTerm.Accumulate(sum, Unsafe.Add(ref a, i), Unsafe.Add(ref b, i));
        }

        return sum;
    }

    /// <summary>
    /// The vector part of <see cref="Sum{TTerm, TStop}"/> at one width: two accumulators (they hide
    /// the FMA latency) over pairs of vectors, then one more vector if it fits; <paramref name="i"/>
    /// ends at the first float left for the scalar tail. When abandoning, the sum is checked every
    /// <see cref="BoundCheckFloats"/> floats while at least 128 more remain; false means it passed
    /// the bound.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Vectors<TWidth, TVector, TTerm, TStop>(ref float a, ref float b, nuint len, float bound, ref nuint i, out float sum)
        where TWidth : struct, IVectorWidth<TVector>
        where TVector : struct
        where TTerm : struct, IDistanceTerm
        where TStop : struct, IStopRule
    {
        var s0 = TWidth.Zero;
        var s1 = TWidth.Zero;
        if (TStop.Abandons)
        {
            while (i + BoundCheckFloats + 128 <= len)
            {
                for (var end = i + BoundCheckFloats; i < end; i += 2 * (nuint)TWidth.Count)
                {
                    s0 = TWidth.Accumulate<TTerm>(s0, TWidth.Load(ref a, i), TWidth.Load(ref b, i));
                    s1 = TWidth.Accumulate<TTerm>(s1, TWidth.Load(ref a, i + (nuint)TWidth.Count), TWidth.Load(ref b, i + (nuint)TWidth.Count));
                }

                if (TWidth.Sum(s0, s1) > bound)
                {
                    sum = float.PositiveInfinity;
                    return false;
                }
            }
        }

        for (; i + (2 * (nuint)TWidth.Count) <= len; i += 2 * (nuint)TWidth.Count)
        {
            s0 = TWidth.Accumulate<TTerm>(s0, TWidth.Load(ref a, i), TWidth.Load(ref b, i));
            s1 = TWidth.Accumulate<TTerm>(s1, TWidth.Load(ref a, i + (nuint)TWidth.Count), TWidth.Load(ref b, i + (nuint)TWidth.Count));
        }

        if (i + (nuint)TWidth.Count <= len)
        {
            s0 = TWidth.Accumulate<TTerm>(s0, TWidth.Load(ref a, i), TWidth.Load(ref b, i));
            i += (nuint)TWidth.Count;
        }

        sum = TWidth.Sum(s0, s1);
        return true;
    }

    /// <summary>Floats between two checks of the bound in the early-abandoning kernels.</summary>
    private const int BoundCheckFloats = 256;

    /// <summary>The sum of a vector's lanes in a short tree (the generic Vector512.Sum expands to ~25 instructions).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HorizontalSum(Vector512<float> v)
    {
        var v256 = v.GetLower() + v.GetUpper();
        var v128 = v256.GetLower() + v256.GetUpper();
        v128 += Vector128.Shuffle(v128, Vector128.Create(2, 3, 0, 1));
        v128 += Vector128.Shuffle(v128, Vector128.Create(1, 0, 3, 2));
        return v128.ToScalar();
    }

    /// <summary>
    /// ‖a−b‖²_L = Σ_{i≥1}(ai−bi)² − (a0−b0)², accumulated in double. Hyperbolic embeddings far from
    /// the origin have coordinates of 10^4-10^5 whose squared differences cancel down to a result
    /// many orders smaller; float keeps 24 bits of the terms and loses the neighbour order (see
    /// HyperbolicPrecisionTests). The floats are widened before subtracting, so each difference
    /// is exact and only the sum rounds.
    /// </summary>
    public static double LorentzSquaredDouble(ref float a, ref float b, int n)
    {
        nuint i = 0;
        var len = (nuint)n;
        double sum = 0;
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var s0 = Vector256<double>.Zero;
            var s1 = Vector256<double>.Zero;
            for (; i + 8 <= len; i += 8)
            {
                var va = Vector256.LoadUnsafe(ref a, i);
                var vb = Vector256.LoadUnsafe(ref b, i);
                var lo = Vector256.WidenLower(va) - Vector256.WidenLower(vb);
                var hi = Vector256.WidenUpper(va) - Vector256.WidenUpper(vb);
                s0 = Vector256.FusedMultiplyAdd(lo, lo, s0);
                s1 = Vector256.FusedMultiplyAdd(hi, hi, s1);
            }

            sum = Vector256.Sum(s0 + s1);
        }

        for (; i < len; i++)
        {
            var d = (double)Unsafe.Add(ref a, i) - Unsafe.Add(ref b, i);
            sum += d * d;
        }

        var d0 = (double)a - b;
        return sum - (2 * d0 * d0);
    }

    /// <summary>Σ x², accumulated in double: used where precision matters (norms near the Poincaré boundary).</summary>
    public static double SumSquaresDouble(ReadOnlySpan<float> x)
    {
        double s = 0;
        foreach (var v in x)
        {
            s += (double)v * v;
        }

        return s;
    }
}
