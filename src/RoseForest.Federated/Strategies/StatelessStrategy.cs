using RoseForest.Federated.Model;

namespace RoseForest.Federated.Strategies;

/// <summary>A strategy with no state across rounds and no client configuration.</summary>
internal abstract class StatelessStrategy : IAggregationStrategy
{
    private static readonly Dictionary<string, double> NoConfig = [];

    public abstract string Name { get; }

    public IReadOnlyDictionary<string, double> ConfigureFit(int round) => NoConfig;

    public ModelParameters Aggregate(int round, ModelParameters current, IReadOnlyList<ClientUpdate> updates) =>
        UpdateMath.ToModel(current, Combine(UpdateMath.AsParameters(current, updates), updates));

    public void SaveState(BinaryWriter writer)
    {
    }

    public void LoadState(BinaryReader reader)
    {
    }

    /// <summary>Combines the flat parameter vectors (one per update, in update order).</summary>
    protected abstract double[] Combine(double[][] vectors, IReadOnlyList<ClientUpdate> updates);
}
