using RoseForest.Core.Spaces;
using RoseForest.Index.Common;
using RoseForest.Index.Hnsw;
using RoseForest.Index.Storage;

namespace RoseForest.Index.Tests;

/// <summary>
/// HNSW over a hierarchy in the Lorentz model: a root and a few branch nodes near the origin,
/// and hundreds of tight leaf clusters near the boundary, the shape trained hierarchy
/// embeddings have. The metric is nearly a tree, so the diversity heuristic keeps about one link
/// per node and only the nodes near the root lead into the clusters — far more clusters than a
/// 2M list holds. Hub lists and keep-pruned links (what collections use for the hyperbolic
/// geometries) are what make the clusters reachable.
/// </summary>
public class HyperbolicHnswTests
{
    private const int SpatialDim = 9;
    private const int Clusters = 400;
    private const int LeavesPerCluster = 8;
    private const int Branches = 10;

    private readonly struct InGraph(HnswGraph graph) : ISlotFilter
    {
        public bool Allows(int slot) => graph.Contains(slot) && !graph.IsDeleted(slot);
    }

    /// <summary>
    /// Root at the origin; <see cref="Branches"/> branches at radius 2-3; under each, 40
    /// sub-branches at radius 5-6 (0.2 rad around the branch); under each sub-branch one cluster
    /// of <see cref="LeavesPerCluster"/> leaves at radius 9-10 (0.003 rad apart). Fan-outs of 10
    /// and 40 exceed a 2M list for M = 8; a quarter of the clusters give a held-out query leaf.
    /// </summary>
    private static (float[][] Points, int[] Queries) Hierarchy(int seed)
    {
        var rng = new Random(seed);
        var points = new List<float[]> { Lift(new double[SpatialDim], 0) };
        var queries = new List<int>();
        var cluster = 0;
        for (var b = 0; b < Branches; b++)
        {
            var branch = RandomDirection(rng);
            points.Add(Lift(branch, 2 + rng.NextDouble()));
            for (var s = 0; s < Clusters / Branches; s++, cluster++)
            {
                var sub = Near(branch, 0.2, rng);
                points.Add(Lift(sub, 5 + rng.NextDouble()));
                var centre = Near(sub, 0.01, rng);
                for (var l = 0; l < LeavesPerCluster; l++)
                {
                    if (l == 0 && cluster % 4 == 0)
                    {
                        queries.Add(points.Count);
                    }

                    points.Add(Lift(Near(centre, 0.003, rng), 9 + rng.NextDouble()));
                }
            }
        }

        return ([.. points], [.. queries]);
    }

    /// <summary>A unit direction within about <paramref name="spread"/> radians of <paramref name="centre"/>.</summary>
    private static double[] Near(double[] centre, double spread, Random rng)
    {
        var u = new double[SpatialDim];
        double norm = 0;
        for (var i = 0; i < SpatialDim; i++)
        {
            u[i] = centre[i] + (spread * ((2 * rng.NextDouble()) - 1));
            norm += u[i] * u[i];
        }

        for (var i = 0; i < SpatialDim; i++)
        {
            u[i] /= Math.Sqrt(norm);
        }

        return u;
    }

    private static double[] RandomDirection(Random rng)
    {
        var u = new double[SpatialDim];
        double norm = 0;
        for (var i = 0; i < SpatialDim; i++)
        {
            u[i] = rng.NextDouble() - 0.5;
            norm += u[i] * u[i];
        }

        for (var i = 0; i < SpatialDim; i++)
        {
            u[i] /= Math.Sqrt(norm);
        }

        return u;
    }

    /// <summary>The point at hyperbolic distance <paramref name="radius"/> from the origin in direction u.</summary>
    private static float[] Lift(double[] u, double radius)
    {
        var x = new float[SpatialDim + 1];
        x[0] = (float)Math.Cosh(radius);
        for (var i = 0; i < SpatialDim; i++)
        {
            x[i + 1] = (float)(Math.Sinh(radius) * u[i]);
        }

        return x;
    }

    /// <summary>Builds over every point but the queries (one thread: reproducible) and measures recall@10 at ef 64.</summary>
    private static (double Recall, int Unreachable, HnswGraph Graph, VectorStore Store) Build(HnswParameters parameters, float[][] points, int[] queries)
    {
        var store = HnswTestData.Store(points, Geometry.Lorentz);
        var graph = new HnswGraph(store, parameters);
        var held = queries.ToHashSet();
        for (var i = 0; i < points.Length; i++)
        {
            if (!held.Contains(i))
            {
                graph.Insert<LorentzSpace>(i);
            }
        }

        return (Recall(graph, store, points, queries), graph.FindUnreachable().Count, graph, store);
    }

    private static double Recall(HnswGraph graph, VectorStore store, float[][] points, int[] queries)
    {
        double total = 0;
        var buffer = new Neighbor[10];
        foreach (var q in queries)
        {
            var truth = HnswTestData.Exact<LorentzSpace, InGraph>(store, points[q], 10, points.Length, new InGraph(graph));
            var found = graph.Search<LorentzSpace, InGraph>(points[q], 1, 10, 64, new InGraph(graph), buffer);
            total += HnswTestData.Recall(truth, buffer.AsSpan(0, found));
        }

        return total / queries.Length;
    }

    [Fact]
    public void Hub_lists_and_kept_pruned_links_make_a_hierarchy_searchable()
    {
        var (points, queries) = Hierarchy(seed: 5);
        var plain = new HnswParameters { M = 8, EfConstruction = 100 };
        var hubs = plain with { HubLinks = 16 * plain.M, KeepPrunedLinks = true };

        var (plainRecall, plainUnreachable, g1, s1) = Build(plain, points, queries);
        var (hubRecall, hubUnreachable, g2, s2) = Build(hubs, points, queries);
        using (g1)
        using (s1)
        using (g2)
        using (s2)
        {
            // The data set has the problem: without hubs whole clusters cannot be reached.
            Assert.True(plainUnreachable > points.Length / 10, $"plain graph: {plainUnreachable} unreachable");
            Assert.True(plainRecall < 0.9, $"plain recall {plainRecall:F4}");

            // With them, the clusters are reachable and the search finds them.
            Assert.True(hubUnreachable < plainUnreachable / 4, $"hub graph: {hubUnreachable} unreachable vs {plainUnreachable}");
            Assert.True(hubRecall >= 0.98, $"hub recall {hubRecall:F4} (plain {plainRecall:F4}), unreachable {hubUnreachable} vs {plainUnreachable}");
        }
    }

    [Fact]
    public void A_graph_with_hubs_survives_serialization()
    {
        var (points, queries) = Hierarchy(seed: 6);
        var parameters = new HnswParameters { M = 8, EfConstruction = 64, HubLinks = 128, KeepPrunedLinks = true };
        var (_, _, graph, store) = Build(parameters, points, queries);
        using (graph)
        using (store)
        {
            var longest = Enumerable.Range(0, points.Length).Where(graph.Contains).Max(n => graph.Links(n, 0)[0]);
            Assert.True(longest > parameters.M0, $"no list grew past 2M (longest {longest}), so the test would not cover hubs");

            using var loaded = HnswGraph.Deserialize(store, graph.Serialize(points.Length));
            Assert.Equal(parameters, loaded.Parameters);
            for (var n = 0; n < points.Length; n++)
            {
                if (graph.Contains(n))
                {
                    Assert.Equal(graph.Links(n, 0)[..(graph.Links(n, 0)[0] + 1)].ToArray(), loaded.Links(n, 0)[..(loaded.Links(n, 0)[0] + 1)].ToArray());
                }
            }

            var a = new Neighbor[10];
            var b = new Neighbor[10];
            foreach (var q in queries)
            {
                var na = graph.Search<LorentzSpace, InGraph>(points[q], 1, 10, 32, new InGraph(graph), a);
                var nb = loaded.Search<LorentzSpace, InGraph>(points[q], 1, 10, 32, new InGraph(loaded), b);
                Assert.Equal(a.AsSpan(0, na).ToArray(), b.AsSpan(0, nb).ToArray());
            }
        }
    }

    /// <summary>
    /// Consolidation repairs what the deletes broke and nothing else. On a graph that leaves many
    /// nodes unreachable over layer 0 (here the plain one; trained WordNet embeddings leave ~15%
    /// even with hubs), relinking all of them after a handful of deletes rewired the graph:
    /// on the nouns embeddings it ran for over ten minutes and, without hubs, took recall from
    /// 0.92 to 0.18.
    /// </summary>
    [Fact]
    public void Consolidation_relinks_only_what_the_deletes_cut_off()
    {
        var (points, queries) = Hierarchy(seed: 7);
        var (recallBefore, unreachableBefore, graph, store) = Build(new HnswParameters { M = 8, EfConstruction = 100 }, points, queries);
        using (graph)
        using (store)
        {
            Assert.True(unreachableBefore > points.Length / 10, $"only {unreachableBefore} unreachable: the test would not cover the case");
            var orphansBefore = graph.FindUnreachable().ToHashSet();

            // Delete one reachable leaf in twenty (never the root, which the walk starts from).
            var doomed = Enumerable.Range(1, points.Length - 1)
                .Where(n => graph.Contains(n) && !orphansBefore.Contains(n) && n % 20 == 0)
                .ToList();
            foreach (var n in doomed)
            {
                graph.MarkDeleted(n);
            }

            var freed = graph.Consolidate<LorentzSpace>();
            Assert.Equal(doomed.Count, freed.Count);

            // Nothing reachable before the deletes was lost ...
            var orphansAfter = graph.FindUnreachable().ToHashSet();
            var lost = orphansAfter.Where(n => !orphansBefore.Contains(n)).ToList();
            Assert.True(lost.Count == 0, $"{lost.Count} nodes reachable before the deletes are not after, e.g. {string.Join(", ", lost.Take(5))}");

            // ... and the repair stayed the size of the damage, not of the graph's old orphans.
            Assert.True(graph.LastRelinked <= doomed.Count, $"relinked {graph.LastRelinked} nodes after {doomed.Count} deletes ({unreachableBefore} unreachable before)");
            var recallAfter = Recall(graph, store, points, queries);
            Assert.True(recallAfter >= recallBefore - 0.05, $"recall {recallBefore:F4} before the deletes, {recallAfter:F4} after");
        }
    }
}
