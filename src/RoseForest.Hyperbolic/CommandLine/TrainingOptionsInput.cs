using System.CommandLine;
using RoseForest.Core;
using RoseForest.Hyperbolic.Training;

namespace RoseForest.Hyperbolic.CommandLine;

/// <summary>The trainer's options on the command line.</summary>
internal sealed class TrainingOptionsInput
{
    public Option<string> Model { get; } = new("--model") { Description = "poincare, lorentz or euclid.", DefaultValueFactory = _ => "poincare" };

    public Option<int> Dim { get; } = new("--dim") { Description = "The embedding dimension n (lorentz rows have n+1 coordinates).", DefaultValueFactory = _ => 10 };

    public Option<int> Epochs { get; } = new("--epochs") { Description = "Training epochs, burn-in included.", DefaultValueFactory = _ => 200 };

    public Option<int> Negatives { get; } = new("--negatives") { Description = "Negatives sampled per edge.", DefaultValueFactory = _ => 50 };

    public Option<double?> LearningRate { get; } = new("--lr") { Description = "Per-edge learning rate (default: 0.1)." };

    public Option<int> BurnIn { get; } = new("--burn-in") { Description = "Burn-in epochs (learning rate x0.1, negatives by in-degree).", DefaultValueFactory = _ => 20 };

    public Option<int> Threads { get; } = new("--threads") { Description = "Training threads.", DefaultValueFactory = _ => Environment.ProcessorCount };

    public Option<int> Seed { get; } = new("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 42 };

    public Option<string?> Init { get; } = new("--init") { Description = "Continue from this embeddings file (same model and dimension) instead of a random start; pair with --burn-in 0." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Model, Dim, Epochs, Negatives, LearningRate, BurnIn, Threads, Seed, Init })
        {
            command.Options.Add(option);
        }
    }

    public TrainerOptions Build(ParseResult parse)
    {
        if (!EmbeddingFile.TryParseModel(parse.GetValue(Model), out var model))
        {
            throw new ValidationException("model", $"expected poincare, lorentz or euclid, got '{parse.GetValue(Model)}'.");
        }

        var options = new TrainerOptions
        {
            Model = model,
            Dimension = parse.GetValue(Dim),
            Epochs = parse.GetValue(Epochs),
            Negatives = parse.GetValue(Negatives),
            LearningRate = parse.GetValue(LearningRate),
            BurnInEpochs = parse.GetValue(BurnIn),
            Threads = parse.GetValue(Threads),
            Seed = parse.GetValue(Seed),
        };
        options.Validate();
        return options;
    }

    /// <summary>The starting embeddings of --init, or null for a random start.</summary>
    public Embedding? Initial(ParseResult parse) => parse.GetValue(Init) is { } path ? EmbeddingFile.Read(path) : null;
}
