using System.Text.Json;
using System.Text.Json.Serialization;
using RoseForest.Hyperbolic.Evaluation;
using RoseForest.Hyperbolic.Graphs;
using RoseForest.Hyperbolic.Training;

namespace RoseForest.Hyperbolic.CommandLine;

/// <summary>The report of one training run and its evaluation (roseforest embed hierarchy's report, roseforest-bench embed's JSON).</summary>
internal sealed record EmbedSummary(
    string Input,
    int Nodes,
    int Edges,
    string Model,
    int Dim,
    int Epochs,
    int BurnIn,
    int Negatives,
    double LearningRate,
    int Threads,
    int Seed,
    double TrainSeconds,
    double? PairsPerSecond,
    double? FinalLoss,
    double MeanRank,
    double Map,
    double EvalSeconds,
    int BytesPerNodeFloat32)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string? Machine { get; init; }

    public string? Embeddings { get; init; }

    public object? Knn { get; init; }

    public static EmbedSummary Of(string input, Digraph graph, TrainerOptions options, TrainingResult training, ReconstructionReport report) => new(
        input, graph.NodeCount, graph.EdgeCount, EmbeddingFile.ModelName(options.Model), options.Dimension, options.Epochs, options.BurnInEpochs,
        options.Negatives, options.EffectiveLearningRate, training.Threads, options.Seed, training.Seconds, Finite(training.PairsPerSecond), Finite(training.FinalLoss),
        report.MeanRank, report.MeanAveragePrecision, report.Seconds, training.Embedding.Stride * sizeof(float));

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>A run of 0 epochs (only evaluating an --init file) has no loss; JSON has no NaN, so it is left out.</summary>
    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
