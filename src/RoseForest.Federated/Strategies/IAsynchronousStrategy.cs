using RoseForest.Federated.Model;

namespace RoseForest.Federated.Strategies;

/// <summary>
/// An asynchronous strategy: clients train on whatever version they last fetched and send deltas
/// whenever they finish; the server folds them in as they arrive. An update's
/// <see cref="ClientUpdate.Round"/> is the model version it was trained from.
/// </summary>
public interface IAsynchronousStrategy
{
    /// <summary>The current model version (0 for the initial model; +1 each time the model changes).</summary>
    int Version { get; }

    /// <summary>The current global model.</summary>
    ModelParameters Model { get; }

    /// <summary>Accepts one delta update; returns true when it completed a buffer and the model advanced.</summary>
    bool Submit(ClientUpdate update);
}
