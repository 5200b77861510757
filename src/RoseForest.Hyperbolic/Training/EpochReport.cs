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
