using RoseForest.Federated.Model;

namespace RoseForest.Federated.Strategies;

/// <summary>
/// FedAvg (McMahan et al. 2017): the average of the clients' parameters weighted by their sample
/// counts. With a proximal term it is FedProx (Li et al. 2020): the aggregation is the same and
/// the clients receive <c>proximal_mu</c> in the round configuration.
/// </summary>
internal sealed class FedAvgStrategy : IAggregationStrategy
{
    private readonly Dictionary<string, double> _config;

    public FedAvgStrategy(double? proximalMu = null)
    {
        _config = [];
        if (proximalMu is { } mu)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(mu);
            _config[FederatedStrategies.ProximalMuKey] = mu;
        }

        Name = proximalMu is null ? "FedAvg" : "FedProx";
    }

    public string Name { get; }

    public IReadOnlyDictionary<string, double> ConfigureFit(int round) => _config;

    public ModelParameters Aggregate(int round, ModelParameters current, IReadOnlyList<ClientUpdate> updates)
    {
        var vectors = UpdateMath.AsParameters(current, updates);
        return UpdateMath.ToModel(current, UpdateMath.WeightedAverage(vectors, UpdateMath.SampleWeights(updates)));
    }

    public void SaveState(BinaryWriter writer)
    {
    }

    public void LoadState(BinaryReader reader)
    {
    }
}
