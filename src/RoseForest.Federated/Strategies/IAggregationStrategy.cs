using RoseForest.Federated.Model;

namespace RoseForest.Federated.Strategies;

/// <summary>
/// A synchronous federated strategy: what configuration the round's clients receive, and how the
/// round's accepted updates become the next global model. Create one with
/// <see cref="FederatedStrategies"/>.
/// </summary>
public interface IAggregationStrategy
{
    /// <summary>A short name for logs and history, e.g. <c>FedAvg</c>.</summary>
    string Name { get; }

    /// <summary>The configuration sent to every client selected for a round (e.g. FedProx's <c>proximal_mu</c>).</summary>
    IReadOnlyDictionary<string, double> ConfigureFit(int round);

    /// <summary>
    /// Combines the round's updates into the next global model. Delta updates are first turned
    /// into parameters (<paramref name="current"/> + delta). The updates have been validated.
    /// </summary>
    ModelParameters Aggregate(int round, ModelParameters current, IReadOnlyList<ClientUpdate> updates);

    /// <summary>Writes the strategy's state that carries across rounds (optimizer moments, clipping norm, RNG), for snapshots.</summary>
    void SaveState(BinaryWriter writer);

    /// <summary>Restores the state written by <see cref="SaveState"/>.</summary>
    void LoadState(BinaryReader reader);
}
