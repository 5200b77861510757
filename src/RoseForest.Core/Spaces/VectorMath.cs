using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RoseForest.Core.Spaces;

/// <summary>
/// SIMD distance kernels over float vectors: one loop (<see cref="Sum{TTerm, TStop}"/>) generic
/// over the per-coordinate term (<see cref="IDistanceTerm"/>) and over whether it may stop early
/// (<see cref="IStopRule"/>); the named kernels below are its instances. The width (Vector512,
/// Vector256, scalar) is chosen by the JIT once: <c>IsHardwareAccelerated</c> is a constant in
/// the compiled code, so the other branches vanish. Two accumulators hide the FMA latency.
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
    /// The one distance loop: Σ term(aᵢ, bᵢ) over n floats, with two Vector512 (else Vector256)
    /// accumulators and a scalar tail. With <typeparamref name="TStop"/> = <see cref="Abandoning"/>
    /// and Vector512, the sum is checked against <paramref name="bound"/> every
    /// <see cref="BoundCheckFloats"/> floats while at least 128 more remain, and the kernel
    /// returns +∞ once it is above (only for terms whose partial sums only grow).
    /// </summary>
    private static float Sum<TTerm, TStop>(ref float a, ref float b, int n, float bound)
        where TTerm : struct, IDistanceTerm
        where TStop : struct, IStopRule
    {
        nuint i = 0;
        var len = (nuint)n;
        var sum = 0f;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var s0 = Vector512<float>.Zero;
            var s1 = Vector512<float>.Zero;
            if (TStop.Abandons)
            {
                while (i + BoundCheckFloats + 128 <= len)
                {
                    for (var end = i + BoundCheckFloats; i < end; i += 32)
                    {
                        s0 = TTerm.Accumulate(s0, Vector512.LoadUnsafe(ref a, i), Vector512.LoadUnsafe(ref b, i));
                        s1 = TTerm.Accumulate(s1, Vector512.LoadUnsafe(ref a, i + 16), Vector512.LoadUnsafe(ref b, i + 16));
                    }

                    if (HorizontalSum(s0 + s1) > bound)
                    {
                        return float.PositiveInfinity;
                    }
                }
            }

            for (; i + 32 <= len; i += 32)
            {
                s0 = TTerm.Accumulate(s0, Vector512.LoadUnsafe(ref a, i), Vector512.LoadUnsafe(ref b, i));
                s1 = TTerm.Accumulate(s1, Vector512.LoadUnsafe(ref a, i + 16), Vector512.LoadUnsafe(ref b, i + 16));
            }

            if (i + 16 <= len)
            {
                s0 = TTerm.Accumulate(s0, Vector512.LoadUnsafe(ref a, i), Vector512.LoadUnsafe(ref b, i));
                i += 16;
            }

            sum = HorizontalSum(s0 + s1);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var s0 = Vector256<float>.Zero;
            var s1 = Vector256<float>.Zero;
            for (; i + 16 <= len; i += 16)
            {
                s0 = TTerm.Accumulate(s0, Vector256.LoadUnsafe(ref a, i), Vector256.LoadUnsafe(ref b, i));
                s1 = TTerm.Accumulate(s1, Vector256.LoadUnsafe(ref a, i + 8), Vector256.LoadUnsafe(ref b, i + 8));
            }

            if (i + 8 <= len)
            {
                s0 = TTerm.Accumulate(s0, Vector256.LoadUnsafe(ref a, i), Vector256.LoadUnsafe(ref b, i));
                i += 8;
            }

            sum = Vector256.Sum(s0 + s1);
        }

        for (; i < len; i++)
        {
            sum = TTerm.Accumulate(sum, Unsafe.Add(ref a, i), Unsafe.Add(ref b, i));
        }

        return sum;
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
