using BenchmarkDotNet.Attributes;
using RoseForest.Hyperbolic.Training;

namespace RoseForest.Benchmarks;

/// <summary>
/// The hierarchy trainer's row kernels over rows padded to four doubles: 12 is a dimension-10
/// Poincaré or Lorentz row (11 coordinates), 100 a dimension-100 Euclidean one.
/// </summary>
[Config(typeof(BenchConfig))]
public class RowKernelBenchmarks
{
    private double[] _a = [];
    private double[] _b = [];
    private double[] _r = [];

    [Params(12, 100)]
    public int Padded { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _a = [.. Enumerable.Range(0, Padded).Select(_ => random.NextDouble())];
        _b = [.. Enumerable.Range(0, Padded).Select(_ => random.NextDouble())];
        _r = new double[Padded];
    }

    [Benchmark]
    public double Dot() => RowMath.Dot(_a, _b);

    [Benchmark]
    public double SquaredDistance() => RowMath.SquaredDistance(_a, _b);

    [Benchmark]
    public double MinkowskiDot() => RowMath.MinkowskiDot(_a, _b);

    [Benchmark]
    public double MinkowskiSquaredDistance() => RowMath.MinkowskiSquaredDistance(_a, _b);

    [Benchmark]
    public double SpatialSquaredNorm() => RowMath.SpatialSquaredNorm(_a);

    [Benchmark]
    public void Scale() => RowMath.Scale(0.5, _a, _r);

    [Benchmark]
    public void Combine() => RowMath.Combine(0.5, _a, 0.25, _b, _r);

    [Benchmark]
    public void AddScaled() => RowMath.AddScaled(_r, 1e-9, _a);

    [Benchmark]
    public void Copy() => RowMath.Copy(_a, _r);
}
