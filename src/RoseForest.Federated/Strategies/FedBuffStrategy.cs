using RoseForest.Federated.Model;
using RoseForest.Federated.Validation;

namespace RoseForest.Federated.Strategies;

/// <summary>
/// FedBuff (Nguyen et al. 2022): each arriving delta Δ trained from version τ is weighted by
/// s = 1/√(1 + staleness), staleness = current version − τ, and added to a buffer; after K
/// arrivals the model moves by η_g · (Σ sᵢΔᵢ) / K and the version increases.
/// </summary>
internal sealed class FedBuffStrategy : IAsynchronousStrategy
{
    private static readonly HashSet<string> NoClients = [];
    private readonly FedBuffOptions _options;
    private double[] _buffer;
    private int _count;

    public FedBuffStrategy(ModelParameters initial, FedBuffOptions options)
    {
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BufferSize);
        Model = initial.Clone();
        _options = options;
        _buffer = new double[initial.ValueCount];
    }

    public int Version { get; private set; }

    public ModelParameters Model { get; private set; }

    public static double StalenessWeight(int staleness) => 1.0 / Math.Sqrt(1.0 + staleness);

    public bool Submit(ClientUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.Kind != UpdateKind.Delta)
        {
            throw new UpdateValidationException("kind", "FedBuff takes deltas from the version the client trained on.");
        }

        if (update.Round > Version)
        {
            throw new RoundMismatchException("round", $"The update claims version {update.Round}; the server is at {Version}.");
        }

        var staleness = Version - update.Round;
        if (staleness > _options.MaxStaleness)
        {
            throw new RoundMismatchException("round", $"The update is {staleness} versions stale; at most {_options.MaxStaleness} are accepted.");
        }

        UpdateValidator.Validate(Model, update, update.Round, NoClients);
        var weight = StalenessWeight(staleness);
        var delta = update.Tensors.Flatten();
        for (var i = 0; i < delta.Length; i++)
        {
            _buffer[i] += weight * delta[i];
        }

        if (++_count < _options.BufferSize)
        {
            return false;
        }

        var x = UpdateMath.ToDouble(Model.Flatten());
        for (var i = 0; i < x.Length; i++)
        {
            x[i] += _options.ServerLearningRate * _buffer[i] / _options.BufferSize;
        }

        Model = UpdateMath.ToModel(Model, x);
        Version++;
        _buffer = new double[_buffer.Length];
        _count = 0;
        return true;
    }
}
