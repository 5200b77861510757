using RoseForest.Core.Spaces;
using RoseForest.Index.Common;
using RoseForest.Index.Hnsw;
using RoseForest.Index.Quantization;
using RoseForest.Index.Rotation;
using RoseForest.Index.Storage;

namespace RoseForest.Index.Tests;

/// <summary>The PCA rotation of issue 20: distances kept, variance moved to the front, the walk's results unchanged.</summary>
public class RotationTests
{
    private const int Dim = 64;

    private static float[] Rotated(PcaRotation rotation, float[] v)
    {
        var buffer = new float[rotation.Padded];
        v.CopyTo(buffer, 0);
        rotation.Apply(buffer);
        return buffer[..v.Length];
    }

    private static double L2(float[] a, float[] b)
    {
        double s = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = (double)a[i] - b[i];
            s += d * d;
        }

        return s;
    }

    private static double[] Variances(float[][] rows)
    {
        var dim = rows[0].Length;
        var mean = new double[dim];
        var sq = new double[dim];
        foreach (var r in rows)
        {
            for (var j = 0; j < dim; j++)
            {
                mean[j] += r[j];
                sq[j] += (double)r[j] * r[j];
            }
        }

        return [.. Enumerable.Range(0, dim).Select(j => (sq[j] / rows.Length) - Math.Pow(mean[j] / rows.Length, 2))];
    }

    [Fact]
    public void The_rotation_keeps_distances_and_puts_more_variance_in_front_than_any_original_coordinates()
    {
        var data = HnswTestData.Clustered(1500, Dim, seed: 11);
        var rotation = PcaRotation.Fit(data, rank: 8);
        var rotated = data.Select(v => Rotated(rotation, v)).ToArray();
        var rng = new Random(5);
        for (var t = 0; t < 500; t++)
        {
            var a = rng.Next(data.Length);
            var b = rng.Next(data.Length);
            var before = L2(data[a], data[b]);
            var after = L2(rotated[a], rotated[b]);
            Assert.True(Math.Abs(before - after) <= 1e-4 * Math.Max(before, 1e-3), $"pair ({a}, {b}): {before} became {after}");
        }

        // Principal components capture at least as much variance as any equally many original
        // coordinates (and, on clustered data, clearly more than the first ones in storage order).
        var frontRotated = Variances(rotated).Take(8).Sum();
        var bestOriginal = Variances(data).OrderDescending().Take(8).Sum();
        var firstOriginal = Variances(data).Take(8).Sum();
        Assert.True(frontRotated >= bestOriginal * 0.999, $"rotated front {frontRotated} < best 8 original coordinates {bestOriginal}");
        Assert.True(frontRotated > firstOriginal, $"rotated front {frontRotated} <= first 8 original coordinates {firstOriginal}");
    }

    [Fact]
    public unsafe void The_rotated_kernel_is_exact_below_the_bound_and_abandons_only_above_it()
    {
        var data = HnswTestData.Clustered(400, 80, seed: 12); // 80 floats: a partial 32-float block at the end
        using var store = HnswTestData.Store(data);
        var query = new float[80 + 16];
        data[7].CopyTo(query, 0);
        query[3] += 0.5f;
        fixed (float* q = query)
        {
            var kernel = new RotatedQuery(q, store);
            var rng = new Random(3);
            for (var node = 0; node < data.Length; node++)
            {
                var exact = L2(query[..80], data[node]);
                var bound = (float)(exact * (0.25 + (rng.NextDouble() * 1.5)));
                var d = kernel.Distance(node, bound);
                if (exact * 1.0001 < bound)
                {
                    Assert.True(Math.Abs(d - exact) <= 1e-4 * Math.Max(exact, 1e-3), $"node {node}: {d} against {exact} under bound {bound}");
                }
                else if (exact > bound * 1.0001)
                {
                    Assert.True(d > bound, $"node {node}: {d} not above bound {bound} (exact {exact})");
                }

                Assert.Equal(exact, kernel.Distance(node, float.PositiveInfinity), 1e-4 * Math.Max(exact, 1e-3));
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_graph_over_rotated_vectors_finds_the_true_neighbours_of_the_original_ones(int threads)
    {
        var data = HnswTestData.Clustered(3000, Dim, seed: 13);
        var queries = HnswTestData.Clustered(100, Dim, seed: 14);
        using var original = HnswTestData.Store(data);
        using var plainGraph = new HnswGraph(original, new HnswParameters { M = 12, EfConstruction = 100 });
        using var store = HnswTestData.Store(data);
        var rotation = PcaRotation.Fit(data.Where((_, i) => i % 3 == 0).ToArray(), rank: 16);
        HnswGraph.RotateStored(store, rotation, data.Length);
        using var graph = new HnswGraph(store, new HnswParameters { M = 12, EfConstruction = 100 });
        graph.UseRotation(rotation);
        Parallel.For(0, data.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            graph.Insert<EuclidSpace>(i);
            plainGraph.Insert<EuclidSpace>(i);
        });

        var buffer = new Neighbor[10];
        double rotatedRecall = 0, plainRecall = 0;
        foreach (var q in queries)
        {
            var truth = HnswTestData.Exact<EuclidSpace, AllowAll>(original, q, 10, data.Length, default);
            var found = graph.Search<EuclidSpace, AllowAll>(q, 1, 10, 48, default, buffer);
            rotatedRecall += HnswTestData.Recall(truth, buffer.AsSpan(0, found));
            for (var i = 0; i < found; i++)
            {
                // The distances reported are the original vectors' distances.
                var exact = L2(q, data[buffer[i].Slot]);
                Assert.True(Math.Abs(buffer[i].Distance - exact) <= 1e-3 * Math.Max(exact, 1e-2), $"{buffer[i].Distance} against {exact}");
            }

            found = plainGraph.Search<EuclidSpace, AllowAll>(q, 1, 10, 48, default, buffer);
            plainRecall += HnswTestData.Recall(truth, buffer.AsSpan(0, found));
        }

        rotatedRecall /= queries.Length;
        plainRecall /= queries.Length;
        Assert.True(rotatedRecall >= 0.95, $"recall {rotatedRecall}");
        Assert.True(rotatedRecall >= plainRecall - 0.01, $"rotated {rotatedRecall} against plain {plainRecall}");
        Assert.Empty(graph.FindUnreachable());
    }

    [Fact]
    public void A_rotation_that_does_not_fit_the_store_is_refused_and_quantized_search_refuses_a_rotated_graph()
    {
        var data = HnswTestData.Clustered(300, Dim, seed: 15);
        using var store = HnswTestData.Store(data);
        using var graph = new HnswGraph(store, new HnswParameters { M = 8, EfConstruction = 32 });
        var other = PcaRotation.Fit(HnswTestData.Clustered(100, 32, seed: 16), rank: 4);
        Assert.Throws<ArgumentException>(() => graph.UseRotation(other));

        var rotation = PcaRotation.Fit(data, rank: 4);
        HnswGraph.RotateStored(store, rotation, data.Length);
        graph.UseRotation(rotation);
        for (var i = 0; i < data.Length; i++)
        {
            graph.Insert<EuclidSpace>(i);
        }

        using var codes = QuantizedSearch.BuildCodes(store, data.Length, _ => true, 0.99, null);
        Assert.Throws<NotSupportedException>(() => QuantizedSearch.Search<EuclidSpace, AllowAll>(graph, codes, data[0], 1, 10, 32, 2, default, new Neighbor[10]));
    }
}
