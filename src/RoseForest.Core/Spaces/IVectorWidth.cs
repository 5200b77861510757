using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RoseForest.Core.Spaces;

/// <summary>
/// One SIMD width of the distance loop: how many floats a vector holds, loading a vector,
/// accumulating a pair of vectors with a term, and the horizontal sum of the two accumulators. With it the
/// loop in <see cref="VectorMath"/> is written once for Vector512 and Vector256 alike; the JIT
/// compiles it per width (and per term) with these inlined.
/// </summary>
/// <typeparam name="TVector">The accumulator: Vector512&lt;float&gt; or Vector256&lt;float&gt;.</typeparam>
internal interface IVectorWidth<TVector>
    where TVector : struct
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    static abstract TVector Zero { get; }

    /// <summary>The vector of floats at offset <paramref name="i"/> (unaligned).</summary>
    static abstract TVector Load(ref float source, nuint i);

    /// <summary>The term's accumulation at this width.</summary>
    static abstract TVector Accumulate<TTerm>(TVector sum, TVector a, TVector b)
        where TTerm : struct, IDistanceTerm;

    /// <summary>The sum of every lane of both accumulators.</summary>
    static abstract float Sum(TVector s0, TVector s1);
}

/// <summary>Vector512: 16 floats.</summary>
internal readonly struct Width512 : IVectorWidth<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    public static Vector512<float> Zero => Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source, nuint i) => Vector512.LoadUnsafe(ref source, i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Accumulate<TTerm>(Vector512<float> sum, Vector512<float> a, Vector512<float> b)
        where TTerm : struct, IDistanceTerm => TTerm.Accumulate(sum, a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> s0, Vector512<float> s1) => VectorMath.HorizontalSum(s0 + s1);
}

/// <summary>Vector256: 8 floats.</summary>
internal readonly struct Width256 : IVectorWidth<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;

    public static Vector256<float> Zero => Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source, nuint i) => Vector256.LoadUnsafe(ref source, i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Accumulate<TTerm>(Vector256<float> sum, Vector256<float> a, Vector256<float> b)
        where TTerm : struct, IDistanceTerm => TTerm.Accumulate(sum, a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> s0, Vector256<float> s1) => Vector256.Sum(s0 + s1);
}
