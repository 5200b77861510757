namespace RoseForest.Federated.Coordination;

/// <summary>How a federated task runs: rounds, client selection, the round timeout and the straggler policy, and DP accounting.</summary>
public sealed class FederatedTaskOptions
{
    /// <summary>The number of rounds to complete.</summary>
    public required int Rounds { get; init; }

    /// <summary>The fraction of available clients selected for a round (Flower's fraction_fit).</summary>
    public double FractionFit { get; init; } = 1.0;

    /// <summary>The fewest clients selected for a round, and the fewest updates a round may close with at its timeout.</summary>
    public int MinFitClients { get; init; } = 2;

    /// <summary>A round starts only when at least this many clients are available.</summary>
    public int MinAvailableClients { get; init; } = 2;

    /// <summary>How long a round waits for its selected clients.</summary>
    public TimeSpan RoundTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How many times a round is opened (with a fresh selection) before the task fails.</summary>
    public int MaxRoundAttempts { get; init; } = 3;

    /// <summary>The central-DP noise multiplier z of the strategy; when set, each round is recorded in an RDP accountant (client-level sampling rate = selected / available).</summary>
    public double? DpNoiseMultiplier { get; init; }

    /// <summary>The δ at which the history reports ε.</summary>
    public double DpDelta { get; init; } = 1e-5;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Rounds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MinFitClients);
        ArgumentOutOfRangeException.ThrowIfLessThan(MinAvailableClients, MinFitClients);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxRoundAttempts);
        if (FractionFit is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(FractionFit), FractionFit, "The fraction must be in (0, 1].");
        }

        if (RoundTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RoundTimeout), RoundTimeout, "The round timeout must be positive.");
        }
    }
}
