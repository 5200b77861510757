using RoseForest.Hyperbolic.Evaluation;
using RoseForest.Hyperbolic.Graphs;
using RoseForest.Hyperbolic.Training;

namespace RoseForest.Hyperbolic.Tests;

/// <summary>
/// The WordNet mammal closure embedded once per test run in the Poincaré ball and on the
/// hyperboloid, dimension 5, with scaled-down epochs so the suite stays short (the full runs are
/// benchmarks: docs/benchmarks.md).
/// </summary>
public sealed class MammalEmbeddings
{
    public MammalEmbeddings()
    {
        Graph = HierarchySource.LoadWordNet("mammals");
        Poincare = HierarchyTrainer.Train(Graph, new TrainerOptions { Model = EmbeddingModel.Poincare, Dimension = 5, Epochs = 150, Threads = 2, Seed = 1 });
        Lorentz = HierarchyTrainer.Train(Graph, new TrainerOptions { Model = EmbeddingModel.Lorentz, Dimension = 5, Epochs = 200, Threads = 2, Seed = 1 });
        PoincareReport = ReconstructionEvaluator.Evaluate(Graph, Poincare.Embedding);
        LorentzReport = ReconstructionEvaluator.Evaluate(Graph, Lorentz.Embedding);
    }

    internal Digraph Graph { get; }

    internal TrainingResult Poincare { get; }

    internal TrainingResult Lorentz { get; }

    internal ReconstructionReport PoincareReport { get; }

    internal ReconstructionReport LorentzReport { get; }
}
