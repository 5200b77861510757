using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RoseForest.Hyperbolic.Training;

/// <summary>
/// How the first coordinate enters a row reduction: the sum of the terms is taken after the first
/// block is weighted, so one loop gives the Euclidean sums (all +1), the Minkowski ones (x0 counts
/// −1) and the spatial part of a Lorentz row (x0 left out).
/// </summary>
internal interface IRowSignature
{
    /// <summary>The terms of the first <see cref="RowMath.Lanes"/> coordinates, weighted.</summary>
    static abstract Vector256<double> First(Vector256<double> terms);

    /// <summary>The term of coordinate 0, weighted.</summary>
    static abstract double First(double term);
}

/// <summary>Every coordinate counts +1.</summary>
internal readonly struct EuclideanSignature : IRowSignature
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> First(Vector256<double> terms) => terms;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double First(double term) => term;
}

/// <summary>(−1, 1, 1, …): the Minkowski signature.</summary>
internal readonly struct MinkowskiSignature : IRowSignature
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> First(Vector256<double> terms) => terms * Vector256.Create(-1.0, 1.0, 1.0, 1.0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double First(double term) => -term;
}

/// <summary>(0, 1, 1, …): the spatial part of a Lorentz row.</summary>
internal readonly struct SpatialSignature : IRowSignature
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> First(Vector256<double> terms) => terms * Vector256.Create(0.0, 1.0, 1.0, 1.0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double First(double term) => 0;
}
