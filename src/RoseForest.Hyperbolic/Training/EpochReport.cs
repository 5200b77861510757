namespace RoseForest.Hyperbolic.Training;

/// <summary>Progress after one epoch.</summary>
/// <param name="Epoch">The epoch just finished, from 1.</param>
/// <param name="Epochs">The epochs in the run.</param>
/// <param name="Loss">The mean softmax loss per edge over the epoch.</param>
/// <param name="PairsPerSecond">Edges (positive pairs, each with its negatives) trained per second in this epoch.</param>
/// <param name="Elapsed">Time since training began.</param>
/// <param name="Remaining">The estimated time to the end.</param>
/// <param name="BurnIn">True during the burn-in epochs.</param>
internal sealed record EpochReport(int Epoch, int Epochs, double Loss, double PairsPerSecond, TimeSpan Elapsed, TimeSpan Remaining, bool BurnIn);

/// <summary>What training produced.</summary>
/// <param name="Embedding">The coordinates.</param>
/// <param name="Epochs">Epochs run.</param>
/// <param name="Threads">Worker threads used.</param>
/// <param name="Seconds">Wall-clock training time.</param>
/// <param name="FinalLoss">The last epoch's mean loss.</param>
/// <param name="PairsPerSecond">Edges per second over the whole run.</param>
internal sealed record TrainingResult(Embedding Embedding, int Epochs, int Threads, double Seconds, double FinalLoss, double PairsPerSecond);
