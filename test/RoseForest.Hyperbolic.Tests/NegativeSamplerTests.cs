using RoseForest.Hyperbolic.Graphs;
using RoseForest.Hyperbolic.Training;

namespace RoseForest.Hyperbolic.Tests;

public sealed class NegativeSamplerTests
{
    [Fact]
    public void The_alias_table_gives_each_node_its_share_of_in_degree()
    {
        var graph = TestGraphs.Closure(TestGraphs.TreeEdges(3, 3));
        var sampler = new NegativeSampler(graph);
        var weights = DampenedDegrees(graph);
        var total = weights.Sum();
        for (var i = 0; i < graph.NodeCount; i++)
        {
            Assert.Equal(weights[i] / total, sampler.DegreeProbability(i), 12);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Negatives_are_never_the_source_or_its_neighbours_and_follow_their_distribution(bool byDegree)
    {
        var graph = TestGraphs.Closure(TestGraphs.TreeEdges(3, 3));
        Assert.True(graph.TryGetNode("n20", out var u)); // a leaf: three ancestors
        var sampler = new NegativeSampler(graph);
        var weights = byDegree ? DampenedDegrees(graph) : [.. Enumerable.Repeat(1.0, graph.NodeCount)];
        var allowed = Enumerable.Range(0, graph.NodeCount).Where(w => w != u && !graph.HasEdge(u, w)).ToHashSet();
        var allowedTotal = allowed.Sum(w => weights[w]);

        var random = new TrainingRandom(3);
        var counts = new int[graph.NodeCount];
        var buffer = new int[50];
        var draws = 0;
        for (var round = 0; round < 4000; round++)
        {
            var found = sampler.Sample(u, buffer, ref random, byDegree);
            Assert.Equal(buffer.Length, found);
            foreach (var w in buffer)
            {
                Assert.Contains(w, allowed);
                counts[w]++;
                draws++;
            }
        }

        foreach (var w in allowed)
        {
            var p = weights[w] / allowedTotal;
            var sigma = Math.Sqrt(draws * p * (1 - p));
            Assert.True(Math.Abs(counts[w] - (draws * p)) <= (5 * sigma) + 1, $"node {w}: {counts[w]} draws, expected {draws * p:F0}");
        }
    }

    [Fact]
    public void Burn_in_never_draws_a_leaf_so_only_other_branches_hubs_push_a_node_away()
    {
        var graph = TestGraphs.Closure(TestGraphs.TreeEdges(3, 3));
        var leaves = Enumerable.Range(0, graph.NodeCount).Where(w => !graph.EdgeTargets.Contains(w)).ToHashSet();
        Assert.NotEmpty(leaves);
        var sampler = new NegativeSampler(graph);
        var random = new TrainingRandom(5);
        var buffer = new int[50];
        var hubs = 0;
        for (var u = 0; u < graph.NodeCount; u++)
        {
            var found = sampler.Sample(u, buffer, ref random, byDegree: true);
            foreach (var w in buffer.AsSpan(0, found))
            {
                Assert.DoesNotContain(w, leaves);
                hubs++;
            }
        }

        Assert.True(hubs > 0);
    }

    private static double[] DampenedDegrees(Digraph graph)
    {
        var degree = new double[graph.NodeCount];
        for (var e = 0; e < graph.EdgeCount; e++)
        {
            degree[graph.EdgeTargets[e]]++;
        }

        return [.. degree.Select(d => Math.Pow(d, NegativeSampler.Dampening))];
    }
}
