using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RoseForest.Hyperbolic.Training;

/// <summary>
/// The per-coordinate term of a reduction over two padded rows (<see cref="RowMath"/>), scalar
/// and Vector256: the row counterpart of Core's <c>IDistanceTerm</c>, for rows of doubles
/// padded to whole vectors (no tail, one accumulator, no fused multiply-add, so the trainer's
/// arithmetic is what it was).
/// </summary>
internal interface IRowTerm
{
    static abstract double Invoke(double a, double b);

    static abstract Vector256<double> Invoke(Vector256<double> a, Vector256<double> b);
}

/// <summary>a·b.</summary>
internal readonly struct RowProduct : IRowTerm
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Invoke(double a, double b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Invoke(Vector256<double> a, Vector256<double> b) => a * b;
}

/// <summary>(a−b)².</summary>
internal readonly struct RowSquaredDifference : IRowTerm
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Invoke(double a, double b)
    {
        var d = a - b;
        return d * d;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Invoke(Vector256<double> a, Vector256<double> b)
    {
        var d = a - b;
        return d * d;
    }
}
