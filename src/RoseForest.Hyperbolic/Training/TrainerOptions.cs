using RoseForest.Core;

namespace RoseForest.Hyperbolic.Training;

/// <summary>
/// Settings of the hierarchy trainer (Riemannian SGD on the softmax loss with sampled negatives).
/// The defaults are the ones that reproduce the papers' mammal results on this project's machine;
/// see docs/hyperbolic.md.
/// </summary>
public sealed class TrainerOptions
{
    /// <summary>The model (space) to embed in. Default Poincaré.</summary>
    public EmbeddingModel Model { get; init; } = EmbeddingModel.Poincare;

    /// <summary>The intrinsic dimension n (a Lorentz point has n + 1 coordinates). Default 10.</summary>
    public int Dimension { get; init; } = 10;

    /// <summary>Training epochs, burn-in included. Default 200.</summary>
    public int Epochs { get; init; } = 200;

    /// <summary>Negatives sampled per edge (nodes that are not out-neighbours of the edge's source). Default 50.</summary>
    public int Negatives { get; init; } = 50;

    /// <summary>The per-edge learning rate after burn-in. Default: <see cref="DefaultLearningRate"/> of the model (0.1).</summary>
    public double? LearningRate { get; init; }

    /// <summary>Epochs at the start run with the learning rate times <see cref="BurnInFactor"/> and negatives drawn in proportion to in-degree. Default 20.</summary>
    public int BurnInEpochs { get; init; } = 20;

    /// <summary>The learning-rate multiplier during burn-in. Default 0.1 (the 2017 paper's η/10).</summary>
    public double BurnInFactor { get; init; } = 0.1;

    /// <summary>Worker threads (Hogwild updates of the shared table). Default: the processor count.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>The random seed (initialisation, edge order, negatives). Default 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Initial coordinates are uniform in ±this (for Lorentz: the spatial ones, then lifted). Default 1e-3.</summary>
    public double InitRange { get; init; } = 1e-3;

    /// <summary>The learning rate that applies: <see cref="LearningRate"/> or the model's default.</summary>
    public double EffectiveLearningRate => LearningRate ?? DefaultLearningRate(Model);

    /// <summary>
    /// The default per-edge learning rate of a model: 0.1 for all three (measured on the mammals:
    /// 0.3 and above leave the hyperbolic models noisy, MAP 0.86-0.95 instead of 0.95-0.98).
    /// </summary>
    public static double DefaultLearningRate(EmbeddingModel model) => 0.1;

    /// <summary>Checks every setting; throws <see cref="ValidationException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Model))
        {
            throw new ValidationException("model", $"unknown model {(int)Model}.");
        }

        Require(Dimension is >= 1 and <= 4096, "dimension", $"must be between 1 and 4096, got {Dimension}.");
        Require(Epochs >= 0, "epochs", $"must be >= 0, got {Epochs}.");
        Require(Negatives is >= 1 and <= 10_000, "negatives", $"must be between 1 and 10000, got {Negatives}.");
        Require(double.IsFinite(EffectiveLearningRate) && EffectiveLearningRate > 0, "learning_rate", $"must be a finite number > 0, got {EffectiveLearningRate}.");
        Require(BurnInEpochs >= 0, "burn_in_epochs", $"must be >= 0, got {BurnInEpochs}.");
        Require(double.IsFinite(BurnInFactor) && BurnInFactor > 0, "burn_in_factor", $"must be a finite number > 0, got {BurnInFactor}.");
        Require(Threads is >= 1 and <= 1024, "threads", $"must be between 1 and 1024, got {Threads}.");
        Require(double.IsFinite(InitRange) && InitRange > 0 && InitRange < 0.5, "init_range", $"must be in (0, 0.5), got {InitRange}.");

        static void Require(bool ok, string field, string message)
        {
            if (!ok)
            {
                throw new ValidationException(field, message);
            }
        }
    }
}
