using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using RoseForest.Core.Spaces;

namespace RoseForest.Benchmarks;

/// <summary>
/// The float distance kernels the exact scan and the graph walk call per candidate (through the
/// ISpace structs): squared L2, L1 and dot (cosine is dot over unit vectors), and the
/// early-abandoning L2/L1 the walk uses, once with a bound they never reach (the cost of the
/// checks) and once with a bound a tenth of the distance (the saving when they stop).
/// Rows are 64-byte aligned, as in the vector store.
/// </summary>
[Config(typeof(BenchConfig))]
public unsafe class KernelBenchmarks
{
    private float* _a;
    private float* _b;
    private float _l2Tenth;
    private float _l1Tenth;

    [Params(16, 128, 384, 784)]
    public int Dim { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _a = (float*)NativeMemory.AlignedAlloc((nuint)(Dim * sizeof(float)), 64);
        _b = (float*)NativeMemory.AlignedAlloc((nuint)(Dim * sizeof(float)), 64);
        var random = new Random(42);
        for (var i = 0; i < Dim; i++)
        {
            _a[i] = (float)random.NextDouble();
            _b[i] = (float)random.NextDouble();
        }

        _l2Tenth = VectorMath.L2Squared(ref *_a, ref *_b, Dim) / 10;
        _l1Tenth = VectorMath.L1(ref *_a, ref *_b, Dim) / 10;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        NativeMemory.AlignedFree(_a);
        NativeMemory.AlignedFree(_b);
    }

    [Benchmark]
    public float L2() => VectorMath.L2Squared(ref *_a, ref *_b, Dim);

    [Benchmark]
    public float L1() => VectorMath.L1(ref *_a, ref *_b, Dim);

    [Benchmark]
    public float Dot() => VectorMath.Dot(ref *_a, ref *_b, Dim);

    [Benchmark]
    public float L2Bounded() => VectorMath.L2SquaredBounded(ref *_a, ref *_b, Dim, float.MaxValue);

    [Benchmark]
    public float L1Bounded() => VectorMath.L1Bounded(ref *_a, ref *_b, Dim, float.MaxValue);

    [Benchmark]
    public float L2BoundedAbandons() => VectorMath.L2SquaredBounded(ref *_a, ref *_b, Dim, _l2Tenth);

    [Benchmark]
    public float L1BoundedAbandons() => VectorMath.L1Bounded(ref *_a, ref *_b, Dim, _l1Tenth);
}
