using RoseForest.Core.Spaces;
using RoseForest.Index.Common;
using RoseForest.Index.Hnsw;
using RoseForest.Index.Storage;

namespace RoseForest.Index.Tests;

public class HnswGraphTests
{
    private const double MinRecall = 0.95;
    private const double MaxRecallDrop = 0.01;

    /// <summary>Nodes in the graph and not deleted (detached slots keep their vectors in the store).</summary>
    private readonly struct NotDeleted(HnswGraph graph) : ISlotFilter
    {
        public bool Allows(int slot) => graph.Contains(slot) && !graph.IsDeleted(slot);
    }

    private static double MeasureRecall(HnswGraph graph, VectorStore store, float[][] queries, int n, int ef)
    {
        double total = 0;
        var buffer = new Neighbor[10];
        foreach (var q in queries)
        {
            var truth = HnswTestData.Exact<EuclidSpace, NotDeleted>(store, q, 10, n, new NotDeleted(graph));
            var found = graph.Search<EuclidSpace, NotDeleted>(q, 1, 10, ef, new NotDeleted(graph), buffer);
            total += HnswTestData.Recall(truth, buffer.AsSpan(0, found));
        }

        return total / queries.Length;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Recall_meets_the_floor_for_sequential_and_parallel_builds(int threads)
    {
        var data = HnswTestData.Clustered(4000, 24, seed: 1);
        var queries = HnswTestData.Clustered(100, 24, seed: 2);
        using var store = HnswTestData.Store(data);
        using var graph = new HnswGraph(store, new HnswParameters { M = 12, EfConstruction = 100 });
        Parallel.For(0, data.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => graph.Insert<EuclidSpace>(i));
        Assert.Equal(data.Length, graph.NodeCount);
        Assert.True(MeasureRecall(graph, store, queries, data.Length, 64) >= MinRecall);
        Assert.Empty(graph.FindUnreachable());
    }

    [Fact]
    public void A_serialized_graph_searches_exactly_like_the_original()
    {
        var data = HnswTestData.Clustered(2000, 16, seed: 3);
        using var store = HnswTestData.Store(data);
        using var graph = new HnswGraph(store, new HnswParameters { M = 8, EfConstruction = 64 });
        for (var i = 0; i < data.Length; i++)
        {
            graph.Insert<EuclidSpace>(i);
        }

        for (var i = 0; i < data.Length; i += 7)
        {
            graph.MarkDeleted(i);
        }

        using var loaded = HnswGraph.Deserialize(store, graph.Serialize(data.Length));
        Assert.Equal(graph.NodeCount, loaded.NodeCount);
        Assert.Equal(graph.DeletedCount, loaded.DeletedCount);
        Assert.Equal(graph.EntryNode, loaded.EntryNode);
        var a = new Neighbor[10];
        var b = new Neighbor[10];
        foreach (var q in HnswTestData.Clustered(50, 16, seed: 4))
        {
            var na = graph.Search<EuclidSpace, NotDeleted>(q, 1, 10, 32, new NotDeleted(graph), a);
            var nb = loaded.Search<EuclidSpace, NotDeleted>(q, 1, 10, 32, new NotDeleted(loaded), b);
            Assert.Equal(a.AsSpan(0, na).ToArray(), b.AsSpan(0, nb).ToArray());
        }
    }

    [Fact]
    public void Damaged_graph_images_are_refused()
    {
        var data = HnswTestData.Clustered(300, 8, seed: 5);
        using var store = HnswTestData.Store(data);
        using var graph = new HnswGraph(store, new HnswParameters { M = 8, EfConstruction = 32 });
        for (var i = 0; i < data.Length; i++)
        {
            graph.Insert<EuclidSpace>(i);
        }

        var image = graph.Serialize(data.Length);
        Assert.Throws<InvalidDataException>(() => HnswGraph.Deserialize(store, image.AsSpan(0, image.Length - 3)));
        var badLink = image.ToArray();
        badLink[^1] = 0x7F; // the last id now points past every slot
        Assert.Throws<InvalidDataException>(() => HnswGraph.Deserialize(store, badLink));
    }

    [Fact]
    public void Consolidating_30_percent_deletions_keeps_recall_and_reachability()
    {
        var data = HnswTestData.Clustered(5000, 24, seed: 6);
        var queries = HnswTestData.Clustered(100, 24, seed: 7);
        using var store = HnswTestData.Store(data);
        using var graph = new HnswGraph(store, new HnswParameters { M = 12, EfConstruction = 100 });
        for (var i = 0; i < data.Length; i++)
        {
            graph.Insert<EuclidSpace>(i);
        }

        var rng = new Random(8);
        var doomed = Enumerable.Range(0, data.Length).OrderBy(_ => rng.Next()).Take(data.Length * 3 / 10).ToList();
        foreach (var d in doomed)
        {
            graph.MarkDeleted(d);
        }

        var freed = graph.Consolidate<EuclidSpace>(threads: 2);
        Assert.Equal(doomed.Order(), freed.Order());
        Assert.Equal(data.Length - doomed.Count, graph.NodeCount);
        Assert.Equal(0, graph.DeletedCount);
        Assert.Empty(graph.FindUnreachable());

        // A fresh graph over the survivors, in a store that holds only them, is the reference.
        var survivors = Enumerable.Range(0, data.Length).Except(doomed).ToArray();
        using var freshStore = HnswTestData.Store([.. survivors.Select(s => data[s])]);
        using var fresh = new HnswGraph(freshStore, new HnswParameters { M = 12, EfConstruction = 100 });
        for (var i = 0; i < survivors.Length; i++)
        {
            fresh.Insert<EuclidSpace>(i);
        }

        const int ef = 48;
        var afterDeletes = MeasureRecall(graph, store, queries, data.Length, ef);
        var rebuilt = MeasureRecall(fresh, freshStore, queries, survivors.Length, ef);
        Assert.True(afterDeletes >= MinRecall, $"recall after deletes {afterDeletes}");
        Assert.True(afterDeletes >= rebuilt - MaxRecallDrop, $"recall after deletes {afterDeletes} vs fresh {rebuilt}");
        foreach (var q in queries)
        {
            var hits = new Neighbor[10];
            var n = graph.Search<EuclidSpace, NotDeleted>(q, 1, 10, ef, new NotDeleted(graph), hits);
            Assert.All(hits.AsSpan(0, n).ToArray(), h => Assert.DoesNotContain(h.Slot, doomed));
        }
    }

    [Fact]
    public void Deleted_nodes_never_appear_in_results_before_consolidation()
    {
        var data = HnswTestData.Clustered(1000, 8, seed: 9);
        using var store = HnswTestData.Store(data);
        using var graph = new HnswGraph(store, new HnswParameters { M = 8, EfConstruction = 64 });
        for (var i = 0; i < data.Length; i++)
        {
            graph.Insert<EuclidSpace>(i);
        }

        var buffer = new Neighbor[10];
        for (var i = 0; i < 50; i++)
        {
            var found = graph.Search<EuclidSpace, NotDeleted>(data[i], 1, 1, 16, new NotDeleted(graph), buffer);
            Assert.Equal(i, buffer[0].Slot); // a point is its own nearest neighbour
            graph.MarkDeleted(i);
            found = graph.Search<EuclidSpace, NotDeleted>(data[i], 1, 10, 16, new NotDeleted(graph), buffer);
            Assert.All(buffer.AsSpan(0, found).ToArray(), h => Assert.True(h.Slot > i, $"deleted node {h.Slot} returned"));
        }
    }

    [Fact]
    public void An_empty_or_single_node_graph_works()
    {
        using var store = HnswTestData.Store([[1f, 2f]]);
        using var graph = new HnswGraph(store, new HnswParameters());
        var buffer = new Neighbor[5];
        Assert.Equal(0, graph.Search<EuclidSpace, AllowAll>([0f, 0f], 1, 5, 10, default, buffer));
        graph.Insert<EuclidSpace>(0);
        Assert.Equal(1, graph.Search<EuclidSpace, AllowAll>([0f, 0f], 1, 5, 10, default, buffer));
        Assert.Equal(0, buffer[0].Slot);
    }
}
