using RoseForest.Hyperbolic.Evaluation;
using RoseForest.Hyperbolic.Graphs;
using RoseForest.Hyperbolic.Training;

namespace RoseForest.Hyperbolic.Tests;

public sealed class EvaluationTests
{
    [Fact]
    public void Mean_rank_and_map_match_a_hand_computed_example_with_ties()
    {
        // 1-d points a=0, b=1, d=1.5, c=2, e=3. From a: b is 1st (rank 1, precision 1), c comes after
        // the non-neighbour d (rank 2, precision 2/3). From d: b and c (0.5) are strictly closer than e
        // (rank 3); a ties with e at 1.5, so precision at e's distance is 1/4 (as scikit-learn scores ties).
        var graph = Digraph.FromEdges([("a", "b"), ("a", "c"), ("d", "e")]);
        var embedding = new Embedding(EmbeddingModel.Euclid, 1, 1, ["a", "b", "c", "d", "e"], [0, 1, 2, 1.5, 3]);
        var report = ReconstructionEvaluator.Evaluate(graph, embedding, threads: 1);
        Assert.Equal(2, report.Nodes);
        Assert.Equal(3, report.Edges);
        Assert.Equal(2.0, report.MeanRank, 12);
        Assert.Equal(((1 + (2.0 / 3)) / 2 + 0.25) / 2, report.MeanAveragePrecision, 12);
    }

    [Fact]
    public void Rows_are_matched_to_nodes_by_name_whatever_their_order()
    {
        var graph = Digraph.FromEdges([("a", "b"), ("a", "c"), ("d", "e")]);
        var shuffled = new Embedding(EmbeddingModel.Euclid, 1, 1, ["e", "d", "c", "b", "a"], [3, 1.5, 2, 1, 0]);
        Assert.Equal(2.0, ReconstructionEvaluator.Evaluate(graph, shuffled).MeanRank, 12);
    }

    [Fact]
    public void Embeddings_files_round_trip_exactly()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "e.tsv");
        var embedding = new Embedding(EmbeddingModel.Lorentz, 2, 1, ["x.n.01", "y.n.01"], [Math.Sqrt(1.5), 0.5, -0.5, 1.0 / 3, 0.1, 0.2]);
        EmbeddingFile.Write(embedding, path);
        Assert.Equal("# model=lorentz dim=2 curvature=1", File.ReadLines(path).First());
        var back = EmbeddingFile.Read(path);
        Assert.Equal(EmbeddingModel.Lorentz, back.Model);
        Assert.Equal(embedding.Names, back.Names);
        Assert.Equal(embedding.Coordinates, back.Coordinates);
    }
}
