using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RoseForest.Core.Spaces;

/// <summary>
/// What one pair of coordinates adds to a distance's running sum, at each width the kernels run
/// (Garnet's IBinaryOperator shape). <see cref="VectorMath"/> has one loop generic over it; the
/// JIT compiles that loop once per term with the term inlined, so there is one copy of the loop
/// in the source and no call per element in the machine code. The horizontal reduction of
/// every float term is the plain sum of the lanes.
/// </summary>
internal interface IDistanceTerm
{
    static abstract float Accumulate(float sum, float a, float b);

    static abstract Vector256<float> Accumulate(Vector256<float> sum, Vector256<float> a, Vector256<float> b);

    static abstract Vector512<float> Accumulate(Vector512<float> sum, Vector512<float> a, Vector512<float> b);
}

/// <summary>sum + a·b (dot product; cosine over unit vectors).</summary>
internal readonly struct ProductTerm : IDistanceTerm
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Accumulate(float sum, float a, float b) => sum + (a * b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Accumulate(Vector256<float> sum, Vector256<float> a, Vector256<float> b) => Vector256.MultiplyAddEstimate(a, b, sum);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Accumulate(Vector512<float> sum, Vector512<float> a, Vector512<float> b) => Vector512.MultiplyAddEstimate(a, b, sum);
}

/// <summary>sum + (a−b)² (squared L2).</summary>
internal readonly struct SquaredDifferenceTerm : IDistanceTerm
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Accumulate(float sum, float a, float b)
    {
        var d = a - b;
        return sum + (d * d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Accumulate(Vector256<float> sum, Vector256<float> a, Vector256<float> b)
    {
        var d = a - b;
        return Vector256.MultiplyAddEstimate(d, d, sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Accumulate(Vector512<float> sum, Vector512<float> a, Vector512<float> b)
    {
        var d = a - b;
        return Vector512.MultiplyAddEstimate(d, d, sum);
    }
}

/// <summary>sum + |a−b| (L1).</summary>
internal readonly struct AbsoluteDifferenceTerm : IDistanceTerm
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Accumulate(float sum, float a, float b) => sum + MathF.Abs(a - b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Accumulate(Vector256<float> sum, Vector256<float> a, Vector256<float> b) => sum + Vector256.Abs(a - b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Accumulate(Vector512<float> sum, Vector512<float> a, Vector512<float> b) => sum + Vector512.Abs(a - b);
}
