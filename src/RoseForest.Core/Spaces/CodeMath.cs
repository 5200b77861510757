using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RoseForest.Core.Spaces;

/// <summary>
/// Kernels over unsigned 8-bit codes (scalar quantization). Rows are padded with zeros to a
/// multiple of 64 bytes, which changes none of these sums. AVX-512BW when present (|a−b| as
/// max−min, widened to 16 bits, squared and pair-summed by vpmaddwd; L1 by vpsadbw), else Vector256/scalar.
/// </summary>
internal static unsafe class CodeMath
{
    /// <summary>Σ (a−b)² over <paramref name="n"/> bytes (n a multiple of 64).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int L2(byte* a, byte* b, int n)
    {
        if (Avx512BW.IsSupported)
        {
            var acc0 = Vector512<int>.Zero;
            var acc1 = Vector512<int>.Zero;
            for (var i = 0; i < n; i += 64)
            {
                var va = Vector512.Load(a + i);
                var vb = Vector512.Load(b + i);
                var d = Vector512.Max(va, vb) - Vector512.Min(va, vb);
                var (lo, hi) = Vector512.Widen(d);
                acc0 += Avx512BW.MultiplyAddAdjacent(lo.AsInt16(), lo.AsInt16());
                acc1 += Avx512BW.MultiplyAddAdjacent(hi.AsInt16(), hi.AsInt16());
            }

            return Vector512.Sum(acc0 + acc1);
        }

        var sum = 0;
        for (var i = 0; i < n; i++)
        {
            var d = a[i] - b[i];
            sum += d * d;
        }

        return sum;
    }

    /// <summary>
    /// Σ (a−b)², or any value above <paramref name="bound"/> once the partial sum passes it
    /// (checked every 256 bytes; exact, since a partial sum of squares never exceeds the whole).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float L2Bounded(byte* a, byte* b, int n, float bound)
    {
        if (!Avx512BW.IsSupported || n <= 256)
        {
            return L2(a, b, n);
        }

        var acc0 = Vector512<int>.Zero;
        var acc1 = Vector512<int>.Zero;
        var i = 0;
        while (true)
        {
            var end = Math.Min(n, i + 256);
            for (; i < end; i += 64)
            {
                var va = Vector512.Load(a + i);
                var vb = Vector512.Load(b + i);
                var d = Vector512.Max(va, vb) - Vector512.Min(va, vb);
                var (lo, hi) = Vector512.Widen(d);
                acc0 += Avx512BW.MultiplyAddAdjacent(lo.AsInt16(), lo.AsInt16());
                acc1 += Avx512BW.MultiplyAddAdjacent(hi.AsInt16(), hi.AsInt16());
            }

            var partial = Vector512.Sum(acc0 + acc1);
            if (i >= n || partial > bound)
            {
                return partial;
            }
        }
    }

    /// <summary>Σ a·b over <paramref name="n"/> bytes (n a multiple of 64).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Dot(byte* a, byte* b, int n)
    {
        if (Avx512BW.IsSupported)
        {
            var acc0 = Vector512<int>.Zero;
            var acc1 = Vector512<int>.Zero;
            for (var i = 0; i < n; i += 64)
            {
                var (alo, ahi) = Vector512.Widen(Vector512.Load(a + i));
                var (blo, bhi) = Vector512.Widen(Vector512.Load(b + i));
                acc0 += Avx512BW.MultiplyAddAdjacent(alo.AsInt16(), blo.AsInt16());
                acc1 += Avx512BW.MultiplyAddAdjacent(ahi.AsInt16(), bhi.AsInt16());
            }

            return Vector512.Sum(acc0 + acc1);
        }

        var sum = 0;
        for (var i = 0; i < n; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>Σ |a−b| over <paramref name="n"/> bytes (n a multiple of 64).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int L1(byte* a, byte* b, int n)
    {
        if (Avx512BW.IsSupported)
        {
            var acc = Vector512<ulong>.Zero;
            for (var i = 0; i < n; i += 64)
            {
                acc += Avx512BW.SumAbsoluteDifferences(Vector512.Load(a + i), Vector512.Load(b + i)).AsUInt64();
            }

            return (int)Vector512.Sum(acc);
        }

        var sum = 0;
        for (var i = 0; i < n; i++)
        {
            sum += Math.Abs(a[i] - b[i]);
        }

        return sum;
    }
}
