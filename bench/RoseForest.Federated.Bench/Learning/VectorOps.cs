using System.Numerics;
using System.Runtime.InteropServices;

namespace RoseForest.Federated.Bench.Learning;

/// <summary>The two kernels the models need: a dot product and y += a·x, with Vector&lt;float&gt; and a scalar tail.</summary>
internal static class VectorOps
{
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var va = MemoryMarshal.Cast<float, Vector<float>>(a);
        var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
        var acc = Vector<float>.Zero;
        for (var i = 0; i < va.Length; i++)
        {
            acc += va[i] * vb[i];
        }

        var sum = Vector.Sum(acc);
        for (var i = va.Length * Vector<float>.Count; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    public static void AddScaled(Span<float> y, float a, ReadOnlySpan<float> x)
    {
        var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
        var va = new Vector<float>(a);
        for (var i = 0; i < vy.Length; i++)
        {
            vy[i] += va * vx[i];
        }

        for (var i = vy.Length * Vector<float>.Count; i < y.Length; i++)
        {
            y[i] += a * x[i];
        }
    }
}
