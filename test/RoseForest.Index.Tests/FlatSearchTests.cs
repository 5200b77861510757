using RoseForest.Core.Spaces;
using RoseForest.Index.Common;
using RoseForest.Index.Flat;
using RoseForest.Index.Storage;

namespace RoseForest.Index.Tests;

public class FlatSearchTests
{
    private readonly struct EvenSlots : ISlotFilter
    {
        public bool Allows(int slot) => slot % 2 == 0;
    }

    [Theory]
    [InlineData(7, 100)]
    [InlineData(64, 3000)]
    [InlineData(784, 6000)] // large enough to take the parallel path
    public void Flat_search_returns_the_exact_top_k(int dim, int n)
    {
        var rng = new Random(dim);
        using var store = new VectorStore(dim, 16);
        store.EnsureCapacity(n);
        var data = new float[n][];
        for (var i = 0; i < n; i++)
        {
            data[i] = [.. Enumerable.Range(0, dim).Select(_ => (float)rng.NextDouble())];
            store.Set(i, data[i], 1);
        }

        for (var q = 0; q < 5; q++)
        {
            var query = Enumerable.Range(0, dim).Select(_ => (float)rng.NextDouble()).ToArray();
            var expected = Enumerable.Range(0, n)
                .Where(i => i % 2 == 0)
                .Select(i => (I: i, D: data[i].Zip(query, (a, b) => ((double)a - b) * ((double)a - b)).Sum()))
                .OrderBy(x => x.D).ThenBy(x => x.I).Take(10).Select(x => x.I);
            var hits = FlatSearch.Search<EuclidSpace, EvenSlots, SlotOrder>(store, query, 1, 10, n, default, default);
            Assert.Equal(expected, hits.Select(h => h.Slot));
        }
    }

    [Fact]
    public void Top_k_keeps_the_best_and_breaks_ties_by_the_tie_breaker()
    {
        var top = new TopK<SlotOrder>(3, default);
        foreach (var (d, s) in new[] { (5f, 1), (1f, 9), (1f, 4), (3f, 2), (1f, 7), (0.5f, 8) })
        {
            top.Offer(d, s);
        }

        Assert.Equal([(0.5f, 8), (1f, 4), (1f, 7)], top.ToSortedArray().Select(n => (n.Distance, n.Slot)));
        Assert.Equal(1f, top.Threshold);
    }

    [Fact]
    public void The_vector_store_keeps_rows_across_growth_and_aligns_them()
    {
        using var store = new VectorStore(100, 4);
        for (var i = 0; i < 1000; i++)
        {
            store.EnsureCapacity(i + 1);
            store.Set(i, [.. Enumerable.Repeat((float)i, 100)], i);
        }

        Assert.Equal(112, store.Stride);
        for (var i = 0; i < 1000; i += 97)
        {
            Assert.All(store.Get(i).ToArray(), x => Assert.Equal(i, x));
            Assert.Equal(i, store.Aux(i));
            unsafe
            {
                Assert.Equal(0, (long)store.Pointer(i) % 64);
            }
        }
    }
}
