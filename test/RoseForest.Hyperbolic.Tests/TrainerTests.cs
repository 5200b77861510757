using RoseForest.Hyperbolic.Evaluation;
using RoseForest.Hyperbolic.Training;

namespace RoseForest.Hyperbolic.Tests;

public sealed class TrainerTests(MammalEmbeddings mammals) : IClassFixture<MammalEmbeddings>
{
    /// <summary>The floor: the papers report MR 1.26 / MAP 0.927 (Poincaré, mammals).</summary>
    [Fact]
    public void Poincare_mammals_in_five_dimensions_reach_map_090_and_mean_rank_15()
    {
        Assert.True(mammals.PoincareReport.MeanAveragePrecision >= 0.90, $"MAP {mammals.PoincareReport.MeanAveragePrecision}");
        Assert.True(mammals.PoincareReport.MeanRank <= 1.5, $"mean rank {mammals.PoincareReport.MeanRank}");
        Assert.Equal(6_540, mammals.PoincareReport.Edges);
    }

    [Fact]
    public void Lorentz_mammals_in_five_dimensions_reach_map_090_and_mean_rank_15()
    {
        Assert.True(mammals.LorentzReport.MeanAveragePrecision >= 0.90, $"MAP {mammals.LorentzReport.MeanAveragePrecision}");
        Assert.True(mammals.LorentzReport.MeanRank <= 1.5, $"mean rank {mammals.LorentzReport.MeanRank}");
    }

    [Fact]
    public void Trained_points_satisfy_their_model_constraints()
    {
        var ball = mammals.Poincare.Embedding;
        for (var i = 0; i < ball.Count; i++)
        {
            var row = ball.Row(i);
            Assert.True(Math.Sqrt(Dot(row, row)) <= 1 - Manifolds.PoincareBall.BoundaryEpsilon + 1e-12);
        }

        var hyperboloid = mammals.Lorentz.Embedding;
        for (var i = 0; i < hyperboloid.Count; i++)
        {
            var row = hyperboloid.Row(i);
            Assert.True(Math.Abs(Manifolds.LorentzModel.MinkowskiDot(row, row) + 1) <= 1e-12 * row[0] * row[0], $"row {i} is off the hyperboloid");
        }
    }

    [Fact]
    public void One_thread_and_a_seed_give_bit_identical_embeddings()
    {
        var graph = TestGraphs.Closure(TestGraphs.TreeEdges(3, 4));
        foreach (var model in Enum.GetValues<EmbeddingModel>())
        {
            var options = new TrainerOptions { Model = model, Dimension = 3, Epochs = 15, BurnInEpochs = 5, Threads = 1, Seed = 9 };
            var a = HierarchyTrainer.Train(graph, options).Embedding.Coordinates;
            var b = HierarchyTrainer.Train(graph, options).Embedding.Coordinates;
            Assert.Equal(a, b);
            var c = HierarchyTrainer.Train(graph, new TrainerOptions { Model = model, Dimension = 3, Epochs = 15, BurnInEpochs = 5, Threads = 1, Seed = 10 }).Embedding.Coordinates;
            Assert.NotEqual(a, c);
        }
    }

    [Fact]
    public void Every_model_learns_a_small_tree_and_hyperbolic_beats_euclid_in_two_dimensions()
    {
        var graph = TestGraphs.Closure(TestGraphs.TreeEdges(4, 4));
        var map = new Dictionary<EmbeddingModel, double>();
        foreach (var model in Enum.GetValues<EmbeddingModel>())
        {
            var result = HierarchyTrainer.Train(graph, new TrainerOptions { Model = model, Dimension = 2, Epochs = 100, Threads = 1, Seed = 3 });
            map[model] = ReconstructionEvaluator.Evaluate(graph, result.Embedding).MeanAveragePrecision;
            Assert.True(double.IsFinite(result.FinalLoss));
        }

        var all = string.Join(", ", map.Select(kv => $"{kv.Key} {kv.Value:F3}"));
        Assert.True(map[EmbeddingModel.Euclid] > 0.05, all); // chance is about 0.01
        Assert.True(map[EmbeddingModel.Poincare] > 0.6 && map[EmbeddingModel.Poincare] > map[EmbeddingModel.Euclid], all);
        Assert.True(map[EmbeddingModel.Lorentz] > 0.6 && map[EmbeddingModel.Lorentz] > map[EmbeddingModel.Euclid], all);
    }

    [Fact]
    public void Training_can_continue_from_earlier_embeddings_and_refuses_a_different_model()
    {
        var graph = TestGraphs.Closure(TestGraphs.TreeEdges(3, 3));
        var options = new TrainerOptions { Model = EmbeddingModel.Lorentz, Dimension = 3, Epochs = 30, Threads = 1, Seed = 2 };
        var first = HierarchyTrainer.Train(graph, options);
        var second = HierarchyTrainer.Train(graph, new TrainerOptions { Model = EmbeddingModel.Lorentz, Dimension = 3, Epochs = 30, BurnInEpochs = 0, Threads = 1, Seed = 3 }, initial: first.Embedding);
        Assert.True(second.FinalLoss < first.FinalLoss, $"loss {first.FinalLoss} then {second.FinalLoss}");
        Assert.Equal("init", Assert.Throws<ValidationException>(() => HierarchyTrainer.Train(graph, new TrainerOptions { Model = EmbeddingModel.Poincare, Dimension = 3 }, initial: first.Embedding)).Field);
    }

    [Fact]
    public void Bad_options_are_refused_with_the_field_named()
    {
        var graph = TestGraphs.Closure(TestGraphs.TreeEdges(2, 2));
        Assert.Equal("dimension", Assert.Throws<ValidationException>(() => HierarchyTrainer.Train(graph, new TrainerOptions { Dimension = 0 })).Field);
        Assert.Equal("learning_rate", Assert.Throws<ValidationException>(() => HierarchyTrainer.Train(graph, new TrainerOptions { LearningRate = -1 })).Field);
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (var i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }

        return s;
    }
}
