using System.Numerics;

namespace RoseForest.Hyperbolic.Manifolds;

/// <summary>Small double-precision vector helpers shared by the manifolds.</summary>
internal static class SpanMath
{
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (var i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }

        return s;
    }

    /// <summary>‖a − b‖², with SIMD for long vectors (the evaluation ranks every pair of nodes).</summary>
    public static double SquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= 2 * Vector<double>.Count)
        {
            var acc = Vector<double>.Zero;
            for (; i <= a.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                var d = new Vector<double>(a[i..]) - new Vector<double>(b[i..]);
                acc += d * d;
            }

            s = Vector.Sum(acc);
        }

        for (; i < a.Length; i++)
        {
            var d = a[i] - b[i];
            s += d * d;
        }

        return s;
    }

    /// <summary>result = alpha·a + beta·b (result may alias a or b).</summary>
    public static void Combine(double alpha, ReadOnlySpan<double> a, double beta, ReadOnlySpan<double> b, Span<double> result)
    {
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = (alpha * a[i]) + (beta * b[i]);
        }
    }

    public static void Scale(double alpha, ReadOnlySpan<double> a, Span<double> result)
    {
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = alpha * a[i];
        }
    }

    /// <summary>artanh(x) for 0 ≤ x &lt; 1, accurate near 0.</summary>
    public static double Artanh(double x) => 0.5 * Core.Spaces.GeometryMath.Log1P(2 * x / (1 - x));

    /// <summary>Throws when two spans that must have the same length do not.</summary>
    public static void CheckSameLength(int a, int b, string what)
    {
        if (a != b)
        {
            throw new ArgumentException($"{what}: lengths differ ({a} and {b}).");
        }
    }
}
