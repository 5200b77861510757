namespace RoseForest.Hyperbolic.Training;

/// <summary>What training produced.</summary>
/// <param name="Embedding">The coordinates.</param>
/// <param name="Epochs">Epochs run.</param>
/// <param name="Threads">Worker threads used.</param>
/// <param name="Seconds">Wall-clock training time.</param>
/// <param name="FinalLoss">The last epoch's mean loss.</param>
/// <param name="PairsPerSecond">Edges per second over the whole run.</param>
internal sealed record TrainingResult(Embedding Embedding, int Epochs, int Threads, double Seconds, double FinalLoss, double PairsPerSecond);
