using RoseForest.Hyperbolic.Graphs;

namespace RoseForest.Hyperbolic.Tests;

public sealed class GraphTests
{
    [Fact]
    public void WordNet_noun_closure_has_the_reference_counts()
    {
        var nouns = Digraph.FromEdges(HypernymClosure.NounEdges(WordNetNouns.Load()));
        Assert.Equal(82_115, nouns.NodeCount);
        Assert.Equal(743_086, nouns.EdgeCount);
        Assert.True(nouns.TryGetNode("dog.n.01", out var dog));
        var ancestors = nouns.OutNeighbours(dog).ToArray().Select(i => nouns.Names[i]).ToHashSet();
        Assert.Contains("canine.n.02", ancestors);
        Assert.Contains("domestic_animal.n.01", ancestors);
        Assert.Contains("entity.n.01", ancestors);
        Assert.True(nouns.TryGetNode("einstein.n.01", out var einstein));
        var einsteinAncestors = nouns.OutNeighbours(einstein).ToArray().Select(i => nouns.Names[i]).ToHashSet();
        Assert.Contains("physicist.n.01", einsteinAncestors);
        Assert.Contains("person.n.01", einsteinAncestors);
    }

    [Fact]
    public void WordNet_mammal_closure_has_the_reference_counts_after_the_filter()
    {
        var mammals = HierarchySource.LoadWordNet("mammals");
        Assert.Equal(1_180, mammals.NodeCount);
        Assert.Equal(6_540, mammals.EdgeCount);
        Assert.True(mammals.TryGetNode("mammal.n.01", out var root));
        Assert.Equal(0, mammals.OutDegree(root));
    }

    [Fact]
    public void The_built_in_mammal_filter_gives_the_reference_counts_without_the_shared_file()
    {
        var nouns = HypernymClosure.NounEdges(WordNetNouns.Load(WordNetNouns.DefaultDirectory));
        var edges = HypernymClosure.MammalEdges(nouns, HierarchySource.BuiltInMammalFilter);
        var mammals = Digraph.FromEdges(edges);
        Assert.Equal(1_180, mammals.NodeCount);
        Assert.Equal(6_540, mammals.EdgeCount);
    }

    [Fact]
    public void A_synset_name_loads_the_closure_of_its_subtree()
    {
        var nouns = HierarchySource.LoadWordNet("nouns");
        var artifacts = HierarchySource.LoadWordNet("artifact.n.01");
        Assert.Equal(10_699, artifacts.NodeCount);
        Assert.Equal(54_657, artifacts.EdgeCount);
        Assert.True(artifacts.TryGetNode("artifact.n.01", out var root));
        Assert.Equal(0, artifacts.OutDegree(root));

        // Every node is the root or has an edge to it, and keeps exactly its ancestors that are
        // also in the subtree (the nouns closure restricted to the members).
        Assert.True(nouns.TryGetNode("artifact.n.01", out var nounRoot));
        for (var u = 0; u < artifacts.NodeCount; u++)
        {
            Assert.True(nouns.TryGetNode(artifacts.Names[u], out var w));
            Assert.True(u == root || artifacts.HasEdge(u, root));
            var expected = nouns.OutNeighbours(w).ToArray().Select(a => nouns.Names[a])
                .Where(a => artifacts.TryGetNode(a, out _)).Order(StringComparer.Ordinal);
            var actual = artifacts.OutNeighbours(u).ToArray().Select(a => artifacts.Names[a]).Order(StringComparer.Ordinal);
            Assert.Equal(expected, actual);
            Assert.True(w == nounRoot || nouns.HasEdge(w, nounRoot));
        }

        Assert.Equal("wordnet", Assert.Throws<ValidationException>(() => HierarchySource.LoadWordNet("no_such_thing.n.01")).Field);
        Assert.Equal("wordnet", Assert.Throws<ValidationException>(() => HierarchySource.LoadWordNet("trees")).Field);
    }

    [Fact]
    public void Edge_lists_are_read_as_tsv_or_csv_with_header_weights_duplicates_and_self_loops_handled()
    {
        using var dir = new TempDir();
        var csv = Path.Combine(dir.Path, "g.csv");
        File.WriteAllText(csv, "id1,id2,weight\na,b,1\na,c,1\n# comment\n\na,b,1\nc,c,1\nb,c,1\n");
        var g = EdgeListReader.Read(csv);
        Assert.Equal(["a", "b", "c"], g.Names);
        Assert.Equal(3, g.EdgeCount);
        Assert.True(g.HasEdge(0, 1) && g.HasEdge(0, 2) && g.HasEdge(1, 2) && !g.HasEdge(2, 2));
        var tsv = Path.Combine(dir.Path, "g.tsv");
        File.WriteAllText(tsv, "x\ty\ny\tz\n");
        Assert.Equal(2, EdgeListReader.Read(tsv).EdgeCount);
        File.WriteAllText(tsv, "lonely\n");
        Assert.Equal("edges", Assert.Throws<ValidationException>(() => EdgeListReader.Read(tsv)).Field);
    }

    [Fact]
    public void Removing_shortcuts_turns_a_tree_closure_back_into_the_tree()
    {
        var tree = TestGraphs.TreeEdges(3, 3);
        var reduced = TestGraphs.Closure(tree).WithoutShortcuts();
        Assert.Equal(tree.Count, reduced.EdgeCount);
        foreach (var (from, to) in tree)
        {
            Assert.True(reduced.TryGetNode(from, out var u) && reduced.TryGetNode(to, out var v) && reduced.HasEdge(u, v));
        }
    }

    [Fact]
    public void Four_point_delta_is_zero_on_a_tree_and_large_on_a_grid()
    {
        var tree = GromovDelta.ForGraph(Digraph.FromEdges(TestGraphs.TreeEdges(3, 5)), points: 100, samples: 50_000);
        Assert.Equal(0, tree.Delta);
        Assert.Equal(50_000, tree.Samples);
        Assert.Equal(10, tree.Diameter);
        var grid = GromovDelta.ForGraph(TestGraphs.Grid(12), points: 144, samples: 200_000);
        Assert.True(grid.RelativeDelta > 0.2, $"grid δ/diam = {grid.RelativeDelta}");
        Assert.Equal(1, GromovDelta.FourPoint(1, 1, 1, 1, 2, 2)); // a 4-cycle: sums 2, 2, 4
    }

    [Fact]
    public void Recommendation_picks_hyperbolic_for_trees_euclid_for_grids_and_cosine_for_equal_norm_noise()
    {
        Assert.Equal("lorentz", GeometryAdvisor.Recommend(GromovDelta.ForGraph(Digraph.FromEdges(TestGraphs.TreeEdges(3, 5))), null).Geometry);
        Assert.Equal("euclid", GeometryAdvisor.Recommend(GromovDelta.ForGraph(TestGraphs.Grid(12)), null).Geometry);

        var random = new Random(3);
        var sphere = Enumerable.Range(0, 300).Select(_ =>
        {
            var v = RandomPoints.Gaussian(random, 64);
            var n = Math.Sqrt(v.Sum(x => x * x));
            return v.Select(x => x / n).ToArray();
        }).ToList();
        var delta = GromovDelta.ForVectors(sphere, (a, b) => Math.Sqrt(a.Zip(b, (x, y) => (x - y) * (x - y)).Sum()));
        Assert.Equal("cosine", GeometryAdvisor.Recommend(delta, normSpread: 0).Geometry);
    }
}
