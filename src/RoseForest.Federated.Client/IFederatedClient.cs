using RoseForest.Federated.Model;

namespace RoseForest.Federated.Client;

/// <summary>
/// The learner side of federated training (Flower's NumPyClient in .NET form): it holds the data,
/// trains the global model on it and evaluates it. The runner calls it; it never talks HTTP.
/// </summary>
public interface IFederatedClient
{
    /// <summary>The client's current parameters (e.g. the initial model a task is created with).</summary>
    ModelParameters GetParameters();

    /// <summary>Trains from <paramref name="global"/> with the round's configuration (e.g. <c>proximal_mu</c>, <c>eta_l</c>) and returns the new parameters.</summary>
    Task<FitResult> FitAsync(ModelParameters global, IReadOnlyDictionary<string, double> config, CancellationToken cancellationToken);

    /// <summary>Evaluates <paramref name="global"/> on the client's held-out data.</summary>
    Task<EvaluateResult> EvaluateAsync(ModelParameters global, IReadOnlyDictionary<string, double> config, CancellationToken cancellationToken);
}

/// <summary>What local training produced: the parameters, the number of samples behind them and the training metrics.</summary>
public sealed record FitResult(ModelParameters Parameters, int SampleCount, UpdateMetrics Metrics);

/// <summary>An evaluation: loss, accuracy and the number of samples evaluated.</summary>
public sealed record EvaluateResult(double Loss, double Accuracy, int SampleCount);
