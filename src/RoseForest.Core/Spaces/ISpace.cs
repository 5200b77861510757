using System.Runtime.CompilerServices;

namespace RoseForest.Core.Spaces;

/// <summary>
/// A geometry's ranking kernel: a lower-is-better proxy that is monotone in the true distance
/// (or in minus the similarity). Implemented by structs, so a search loop generic over
/// <c>TSpace : struct, ISpace</c> is specialised by the JIT with no virtual call per distance
/// (Garnet's IBinaryOperator pattern). <c>aux</c> is a per-vector constant computed once at write
/// time (only Poincaré uses it); <c>n</c> is the number of floats compared.
/// </summary>
internal interface ISpace
{
    static abstract Geometry Geometry { get; }

    /// <summary>True when <see cref="Proxy"/> reads the aux values (the caller may skip loading them).</summary>
    static abstract bool UsesAux { get; }

    static abstract float Proxy(ref float a, ref float b, int n, float auxA, float auxB);

    /// <summary>
    /// The proxy, or any value above <paramref name="bound"/> when the true proxy exceeds it
    /// (geometries whose partial sums only grow stop early; the others compute it all).
    /// </summary>
    static abstract float ProxyBounded(ref float a, ref float b, int n, float auxA, float auxB, float bound);
}

/// <summary>Squared L2.</summary>
internal readonly struct EuclidSpace : ISpace
{
    public static Geometry Geometry => Geometry.Euclid;

    public static bool UsesAux => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Proxy(ref float a, ref float b, int n, float auxA, float auxB) => VectorMath.L2Squared(ref a, ref b, n);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ProxyBounded(ref float a, ref float b, int n, float auxA, float auxB, float bound) => VectorMath.L2SquaredBounded(ref a, ref b, n, bound);
}

/// <summary>Minus the dot product of the stored (unit) vectors.</summary>
internal readonly struct CosineSpace : ISpace
{
    public static Geometry Geometry => Geometry.Cosine;

    public static bool UsesAux => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Proxy(ref float a, ref float b, int n, float auxA, float auxB) => -VectorMath.Dot(ref a, ref b, n);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ProxyBounded(ref float a, ref float b, int n, float auxA, float auxB, float bound) => -VectorMath.Dot(ref a, ref b, n);
}

/// <summary>Minus the dot product.</summary>
internal readonly struct DotSpace : ISpace
{
    public static Geometry Geometry => Geometry.Dot;

    public static bool UsesAux => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Proxy(ref float a, ref float b, int n, float auxA, float auxB) => -VectorMath.Dot(ref a, ref b, n);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ProxyBounded(ref float a, ref float b, int n, float auxA, float auxB, float bound) => -VectorMath.Dot(ref a, ref b, n);
}

/// <summary>L1.</summary>
internal readonly struct ManhattanSpace : ISpace
{
    public static Geometry Geometry => Geometry.Manhattan;

    public static bool UsesAux => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Proxy(ref float a, ref float b, int n, float auxA, float auxB) => VectorMath.L1(ref a, ref b, n);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ProxyBounded(ref float a, ref float b, int n, float auxA, float auxB, float bound) => VectorMath.L1Bounded(ref a, ref b, n, bound);
}

/// <summary>
/// ‖u−v‖² / ((1−c‖u‖²)(1−c‖v‖²)): the argument of arcosh up to an affine map, so monotone in the
/// Poincaré distance. aux = 1/(1−c‖v‖²), computed in double when the vector is written.
/// </summary>
internal readonly struct PoincareSpace : ISpace
{
    public static Geometry Geometry => Geometry.Poincare;

    public static bool UsesAux => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Proxy(ref float a, ref float b, int n, float auxA, float auxB) => VectorMath.L2Squared(ref a, ref b, n) * auxA * auxB;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ProxyBounded(ref float a, ref float b, int n, float auxA, float auxB, float bound)
    {
        var scale = auxA * auxB;
        return VectorMath.L2SquaredBounded(ref a, ref b, n, bound / scale) * scale;
    }
}

/// <summary>
/// The squared Lorentz norm of the difference, ‖x−y‖²_L = Σ_{i≥1}(xi−yi)² − (x0−y0)² = −2/c − 2⟨x,y⟩_L:
/// monotone in the hyperbolic distance, and better conditioned than −⟨x,y⟩_L because it works on
/// differences. Summed in double: far from the origin the terms cancel by many orders of
/// magnitude (see VectorMath.LorentzSquaredDouble). No early exit, since the partial sums are
/// not monotone (the time term is subtracted); Lorentz dimensions are small.
/// </summary>
internal readonly struct LorentzSpace : ISpace
{
    public static Geometry Geometry => Geometry.Lorentz;

    public static bool UsesAux => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Proxy(ref float a, ref float b, int n, float auxA, float auxB) => (float)VectorMath.LorentzSquaredDouble(ref a, ref b, n);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ProxyBounded(ref float a, ref float b, int n, float auxA, float auxB, float bound) => (float)VectorMath.LorentzSquaredDouble(ref a, ref b, n);
}
