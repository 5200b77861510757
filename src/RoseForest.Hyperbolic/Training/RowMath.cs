using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RoseForest.Hyperbolic.Training;

/// <summary>
/// The trainer's row arithmetic: Vector256 over rows padded with zeros to a multiple of
/// <see cref="Lanes"/> doubles (so there is no tail), and a scalar loop where Vector256 is not
/// accelerated. One reduction loop generic over the term (<see cref="IRowTerm"/>) and the weight
/// of the first coordinate (<see cref="IRowSignature"/>), one map loop generic over
/// <see cref="IRowMap"/>; the named kernels are their instances, specialised by the JIT. Every row and gradient in the training table has the same padded length; the
/// padding stays zero because each operation maps zeros to zeros.
/// </summary>
internal static class RowMath
{
    /// <summary>Doubles per Vector256.</summary>
    public const int Lanes = 4;

    /// <summary>The training stride for <paramref name="stride"/> coordinates: the next multiple of <see cref="Lanes"/>.</summary>
    public static int Padded(int stride) => (stride + Lanes - 1) / Lanes * Lanes;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => Reduce<RowProduct, EuclideanSignature>(a, b);

    /// <summary>‖a − b‖².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => Reduce<RowSquaredDifference, EuclideanSignature>(a, b);

    /// <summary>⟨a, b⟩_L = −a0·b0 + Σ_{i≥1} ai·bi.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double MinkowskiDot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => Reduce<RowProduct, MinkowskiSignature>(a, b);

    /// <summary>‖a − b‖²_L = −(a0−b0)² + Σ_{i≥1} (ai−bi)², which is −2 − 2⟨a,b⟩_L on the hyperboloid, without its cancellation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double MinkowskiSquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => Reduce<RowSquaredDifference, MinkowskiSignature>(a, b);

    /// <summary>Σ_{i≥1} ai²: the squared norm of a Lorentz row's spatial part.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SpatialSquaredNorm(ReadOnlySpan<double> a) => Reduce<RowProduct, SpatialSignature>(a, a);

    /// <summary>result = alpha·a (result may alias a).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scale(double alpha, ReadOnlySpan<double> a, Span<double> result) => Map<ScaleMap>(alpha, a, 0, a, result);

    /// <summary>result = alpha·a + beta·b (result may alias a or b).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Combine(double alpha, ReadOnlySpan<double> a, double beta, ReadOnlySpan<double> b, Span<double> result) => Map<CombineMap>(alpha, a, beta, b, result);

    /// <summary>accumulator += alpha·a.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddScaled(Span<double> accumulator, double alpha, ReadOnlySpan<double> a) => Map<AddScaledMap>(0, accumulator, alpha, a, accumulator);

    /// <summary>Copies a row (both of the padded length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(ReadOnlySpan<double> source, Span<double> destination) => Map<CopyMap>(0, source, 0, source, destination);

    /// <summary>
    /// The one reduction loop: Σ term(ai, bi) with the first block weighted by
    /// <typeparamref name="TSignature"/>, one Vector256 accumulator over the padded row (no tail).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Reduce<TTerm, TSignature>(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
        where TTerm : struct, IRowTerm
        where TSignature : struct, IRowSignature
    {
        if (Vector256.IsHardwareAccelerated)
        {
            CheckPadded(a.Length);
            ref var ra = ref MemoryMarshal.GetReference(a);
            ref var rb = ref MemoryMarshal.GetReference(b);
            var acc = TSignature.First(TTerm.Invoke(Vector256.LoadUnsafe(ref ra), Vector256.LoadUnsafe(ref rb)));
            for (nuint i = Lanes; i < (nuint)a.Length; i += Lanes)
            {
                acc += TTerm.Invoke(Vector256.LoadUnsafe(ref ra, i), Vector256.LoadUnsafe(ref rb, i));
            }

            return Vector256.Sum(acc);
        }

        var s = TSignature.First(TTerm.Invoke(a[0], b[0]));
        for (var i = 1; i < a.Length; i++)
        {
            s += TTerm.Invoke(a[i], b[i]);
        }

        return s;
    }

    /// <summary>The one map loop: result = map(a, b, alpha, beta) element-wise (result may alias a or b).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Map<TMap>(double alpha, ReadOnlySpan<double> a, double beta, ReadOnlySpan<double> b, Span<double> result)
        where TMap : struct, IRowMap
    {
        if (Vector256.IsHardwareAccelerated)
        {
            CheckPadded(result.Length);
            ref var ra = ref MemoryMarshal.GetReference(a);
            ref var rb = ref MemoryMarshal.GetReference(b);
            ref var rr = ref MemoryMarshal.GetReference(result);
            var va = Vector256.Create(alpha);
            var vb = Vector256.Create(beta);
            for (nuint i = 0; i < (nuint)result.Length; i += Lanes)
            {
                TMap.Invoke(Vector256.LoadUnsafe(ref ra, i), Vector256.LoadUnsafe(ref rb, i), va, vb).StoreUnsafe(ref rr, i);
            }

            return;
        }

        for (var i = 0; i < result.Length; i++)
        {
            result[i] = TMap.Invoke(a[i], b[i], alpha, beta);
        }
    }

    /// <summary>
    /// cosh t and sinh(t)/t for 0 ≤ t: Taylor series for t ≤ <see cref="SeriesLimit"/> (every update
    /// of a target row with a learning rate up to that bound), where they are exact to rounding;
    /// the library functions beyond it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double Cosh, double SinhOverT) CoshSinhc(double t)
    {
        if (t <= SeriesLimit)
        {
            // Horner in t² over 1/(2k)! and 1/(2k+1)!, k ≤ 5. The first terms left out, at t = 1/8:
            // t¹²/12! ≈ 3e-20 and t¹²/13! ≈ 2e-21, far below the rounding of numbers near 1.
            const double c2 = 1.0 / 2, c4 = 1.0 / 24, c6 = 1.0 / 720, c8 = 1.0 / 40320, c10 = 1.0 / 3628800;
            const double s2 = 1.0 / 6, s4 = 1.0 / 120, s6 = 1.0 / 5040, s8 = 1.0 / 362880, s10 = 1.0 / 39916800;
            var q = t * t;
            var cosh = 1 + (q * (c2 + (q * (c4 + (q * (c6 + (q * (c8 + (q * c10)))))))));
            var sinhc = 1 + (q * (s2 + (q * (s4 + (q * (s6 + (q * (s8 + (q * s10)))))))));
            return (cosh, sinhc);
        }

        return (Math.Cosh(t), Math.Sinh(t) / t);
    }

    /// <summary>The largest t for which <see cref="CoshSinhc"/> uses its series.</summary>
    public const double SeriesLimit = 0.125;

    [Conditional("DEBUG")]
    private static void CheckPadded(int length) => Debug.Assert(length >= Lanes && length % Lanes == 0, $"a row of {length} doubles is not padded to a non-zero multiple of {Lanes}");
}
