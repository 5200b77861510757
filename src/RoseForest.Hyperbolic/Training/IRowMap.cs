using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RoseForest.Hyperbolic.Training;

/// <summary>
/// An element-wise map of two padded rows and two scalars into a result row (<see cref="RowMath"/>),
/// scalar and Vector256.
/// </summary>
internal interface IRowMap
{
    static abstract double Invoke(double a, double b, double alpha, double beta);

    static abstract Vector256<double> Invoke(Vector256<double> a, Vector256<double> b, Vector256<double> alpha, Vector256<double> beta);
}

/// <summary>alpha·a.</summary>
internal readonly struct ScaleMap : IRowMap
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Invoke(double a, double b, double alpha, double beta) => alpha * a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Invoke(Vector256<double> a, Vector256<double> b, Vector256<double> alpha, Vector256<double> beta) => alpha * a;
}

/// <summary>alpha·a + beta·b.</summary>
internal readonly struct CombineMap : IRowMap
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Invoke(double a, double b, double alpha, double beta) => (alpha * a) + (beta * b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Invoke(Vector256<double> a, Vector256<double> b, Vector256<double> alpha, Vector256<double> beta) => (alpha * a) + (beta * b);
}

/// <summary>a + beta·b (an accumulator as a).</summary>
internal readonly struct AddScaledMap : IRowMap
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Invoke(double a, double b, double alpha, double beta) => a + (beta * b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Invoke(Vector256<double> a, Vector256<double> b, Vector256<double> alpha, Vector256<double> beta) => a + (beta * b);
}

/// <summary>a (a copy).</summary>
internal readonly struct CopyMap : IRowMap
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Invoke(double a, double b, double alpha, double beta) => a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Invoke(Vector256<double> a, Vector256<double> b, Vector256<double> alpha, Vector256<double> beta) => a;
}
