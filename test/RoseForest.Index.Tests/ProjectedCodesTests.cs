using RoseForest.Core.Spaces;
using RoseForest.Index.Common;
using RoseForest.Index.Hnsw;
using RoseForest.Index.Quantization;

namespace RoseForest.Index.Tests;

/// <summary>
/// Issue 20's projected int8 codes (a collection's <c>scalar.projection_rank</c>): the walk reads
/// codes of the first principal components, the re-rank uses the floats.
/// </summary>
public class ProjectedCodesTests
{
    private const int Dim = 64;

    /// <summary>Vectors near a <paramref name="rank"/>-dimensional subspace of R^64 (plus a little isotropic noise), offset from the origin.</summary>
    private static float[][] LowRank(int count, int rank, int seed, double noise = 0.01)
    {
        var basis = new Random(99); // the same subspace for every call
        var a = Enumerable.Range(0, Dim).Select(_ => Enumerable.Range(0, rank).Select(_ => Gaussian(basis)).ToArray()).ToArray();
        var rng = new Random(seed);
        var rows = new float[count][];
        for (var i = 0; i < count; i++)
        {
            var z = Enumerable.Range(0, rank).Select(_ => Gaussian(rng)).ToArray();
            rows[i] = new float[Dim];
            for (var d = 0; d < Dim; d++)
            {
                double s = 3; // an offset: the projection must remove the mean
                for (var r = 0; r < rank; r++)
                {
                    s += a[d][r] * z[r];
                }

                rows[i][d] = (float)(s + (noise * Gaussian(rng)));
            }
        }

        return rows;
    }

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static double L2(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double s = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = (double)a[i] - b[i];
            s += d * d;
        }

        return s;
    }

    [Fact]
    public void The_projection_never_lengthens_a_distance_and_keeps_almost_all_of_it_on_low_rank_data()
    {
        var data = LowRank(2000, rank: 6, seed: 1);
        var projection = CodeProjection.Fit(data, rank: 8);
        var projected = data.Select(v =>
        {
            var y = new float[8];
            projection.Project(v, y);
            return y;
        }).ToArray();

        // Centred: the offset is gone.
        for (var j = 0; j < 8; j++)
        {
            Assert.True(Math.Abs(projected.Average(y => y[j])) < 0.05, $"coordinate {j} has mean {projected.Average(y => y[j])}");
        }

        var rng = new Random(2);
        for (var t = 0; t < 500; t++)
        {
            var i = rng.Next(data.Length);
            var j = rng.Next(data.Length);
            var full = L2(data[i], data[j]);
            var sub = L2(projected[i], projected[j]);
            Assert.True(sub <= (full * 1.0001) + 1e-6, $"pair ({i}, {j}): {sub} in the subspace > {full}");
            Assert.True(sub >= full * 0.98, $"pair ({i}, {j}): only {sub} of {full} in the subspace");
        }
    }

    [Fact]
    public unsafe void The_bounded_code_kernel_is_exact_below_the_bound_and_abandons_only_above_it()
    {
        const int n = 832; // 13 blocks of 64: checks after 256, 512 and 768 bytes, then the end
        var rng = new Random(4);
        var a = new byte[n];
        var b = new byte[n];
        for (var t = 0; t < 300; t++)
        {
            rng.NextBytes(a);
            rng.NextBytes(b);
            var zeroFrom = rng.Next(n); // sometimes most of the difference sits in the tail
            for (var i = zeroFrom; i < n && t % 2 == 0; i++)
            {
                b[i] = a[i];
            }

            long exact = 0;
            for (var i = 0; i < n; i++)
            {
                exact += (a[i] - b[i]) * (a[i] - b[i]);
            }

            fixed (byte* pa = a, pb = b)
            {
                Assert.Equal(exact, CodeMath.L2(pa, pb, n));
                Assert.Equal(exact, (long)CodeMath.L2Bounded(pa, pb, n, float.PositiveInfinity));
                Assert.Equal(exact, (long)CodeMath.L2Bounded(pa, pb, n, exact));
                var bound = (float)(exact * rng.NextDouble());
                var d = CodeMath.L2Bounded(pa, pb, n, bound);
                Assert.True(d > bound, $"{d} not above bound {bound} (exact {exact})");
                Assert.True(d <= exact, $"{d} above the exact {exact}");
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_walk_on_projected_codes_finds_the_true_neighbours_and_reports_exact_distances(bool rescore)
    {
        var data = LowRank(3000, rank: 6, seed: 5, noise: 0.05);
        var queries = LowRank(60, rank: 6, seed: 6, noise: 0.05);
        using var store = HnswTestData.Store(data);
        using var graph = new HnswGraph(store, new HnswParameters { M = 12, EfConstruction = 100 });
        for (var i = 0; i < data.Length; i++)
        {
            graph.Insert<EuclidSpace>(i);
        }

        using var codes = QuantizedSearch.BuildCodes(store, data.Length, _ => true, 0.99, projectionRank: 8);
        Assert.NotNull(codes.Projection);
        Assert.Equal(64, codes.Stride); // 8 codes padded to one line, not 64 floats' worth of codes

        var buffer = new Neighbor[10];
        double recall = 0;
        foreach (var q in queries)
        {
            var truth = HnswTestData.Exact<EuclidSpace, AllowAll>(store, q, 10, data.Length, default);
            var found = QuantizedSearch.Search<EuclidSpace, AllowAll>(graph, codes, q, 1, 10, 40, 4, default, buffer, rescore);
            Assert.Equal(10, found);
            recall += HnswTestData.Recall(truth, buffer.AsSpan(0, found));
            for (var i = 0; i < found; i++)
            {
                // Exact distances, closest first, even when the caller asked for no re-rank
                // (projected codes are in the subspace's units, so the re-rank is always on).
                var exact = L2(q, data[buffer[i].Slot]);
                Assert.True(Math.Abs(buffer[i].Distance - exact) <= 1e-3 * Math.Max(exact, 1e-2), $"{buffer[i].Distance} against {exact}");
                Assert.True(i == 0 || buffer[i - 1].Distance <= buffer[i].Distance);
            }
        }

        recall /= queries.Length;
        Assert.True(recall >= 0.95, $"recall {recall}");
    }

    [Fact]
    public void A_projection_that_does_not_fit_the_vectors_is_refused()
    {
        var projection = CodeProjection.Fit(LowRank(100, rank: 4, seed: 7), rank: 4);
        Assert.Throws<ArgumentException>(() => new CodeStore(new ScalarQuantizer(-1, 1), 32, projection));
        Assert.Throws<ArgumentException>(() => projection.Project(new float[32], new float[4]));
    }
}
