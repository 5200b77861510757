using System.Text.Json;
using RoseForest.Federated.Coordination;
using RoseForest.Federated.Http.Storage;
using RoseForest.Federated.Wire;

namespace RoseForest.Federated.Http.Tasks;

/// <summary>
/// A task's definition as POST /fl/tasks gives it (everything but the initial model), validated.
/// It is stored as <c>task.json</c> in the task's folder and read back the same way on restart.
/// </summary>
internal sealed class TaskSpec
{
    private static readonly string[] Members =
    [
        "task_id", "rounds", "fraction_fit", "min_fit_clients", "min_available_clients", "round_timeout_seconds",
        "max_round_attempts", "strategy", "privacy", "secure_aggregation", "evaluation", "seed", "tensors",
    ];

    public required string Id { get; init; }

    public required int Rounds { get; init; }

    public double FractionFit { get; init; } = 1.0;

    public int MinFitClients { get; init; } = 2;

    public int MinAvailableClients { get; init; } = 2;

    public TimeSpan RoundTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public int MaxRoundAttempts { get; init; } = 3;

    public required StrategySpec Strategy { get; init; }

    public PrivacySpec? Privacy { get; init; }

    public SecureAggregationSpec? SecureAggregation { get; init; }

    public EvaluationSpec? Evaluation { get; init; }

    /// <summary>Seeds selection and DP noise for reproducible experiments; null means the OS CSPRNG.</summary>
    public ulong? Seed { get; init; }

    /// <summary>The number of clients a round selects when exactly <see cref="MinAvailableClients"/> are available.</summary>
    public int ExpectedSelected => Math.Max(MinFitClients, (int)(MinAvailableClients * FractionFit));

    public FederatedTaskOptions ToOptions() => new()
    {
        Rounds = Rounds,
        FractionFit = FractionFit,
        MinFitClients = MinFitClients,
        MinAvailableClients = MinAvailableClients,
        RoundTimeout = RoundTimeout,
        MaxRoundAttempts = MaxRoundAttempts,
        DpNoiseMultiplier = Privacy?.NoiseMultiplier,
        DpDelta = Privacy?.Delta ?? 1e-5,
    };

    /// <summary>Reads a creation request (its <c>tensors</c> member is the model's and is not read here).</summary>
    public static TaskSpec Read(JsonElement body, string? generatedId)
    {
        WireJson.RequireObject(body, string.Empty, Members);
        var id = WireJson.String(body, "task_id", string.Empty) ?? generatedId ?? throw new WireFormatException("task_id", "is required.");
        var minFit = (int)(WireJson.Integer(body, "min_fit_clients", string.Empty, 1, 100_000) ?? 2);
        var minAvailable = (int)(WireJson.Integer(body, "min_available_clients", string.Empty, 1, 100_000) ?? Math.Max(2, minFit));
        if (minAvailable < minFit)
        {
            throw new WireFormatException("min_available_clients", $"must be at least min_fit_clients ({minFit}).");
        }

        var timeout = TimeSpan.FromSeconds(WireJson.Number(body, "round_timeout_seconds", string.Empty, 0.001, 7 * 86400) ?? 300);
        var fraction = WireJson.Number(body, "fraction_fit", string.Empty, 1e-9, 1) ?? 1.0;
        var strategy = StrategySpec.Read(WireJson.Optional(body, "strategy"), "strategy");
        var expectedSelected = Math.Max(minFit, (int)(minAvailable * fraction));
        return new TaskSpec
        {
            Id = TaskFolders.Check(id),
            Rounds = (int)(WireJson.Integer(body, "rounds", string.Empty, 1, 1_000_000) ?? throw new WireFormatException("rounds", "is required.")),
            FractionFit = fraction,
            MinFitClients = minFit,
            MinAvailableClients = minAvailable,
            RoundTimeout = timeout,
            MaxRoundAttempts = (int)(WireJson.Integer(body, "max_round_attempts", string.Empty, 1, 1000) ?? 3),
            Strategy = strategy,
            Seed = WireJson.Integer(body, "seed", string.Empty, 0) is { } seed ? (ulong)seed : null,
            Privacy = WireJson.Optional(body, "privacy") is { } p ? PrivacySpec.Read(p, "privacy", expectedSelected) : null,
            SecureAggregation = WireJson.Optional(body, "secure_aggregation") is { } s ? SecureAggregationSpec.Read(s, "secure_aggregation", minFit, timeout) : null,
            Evaluation = WireJson.Optional(body, "evaluation") is { } e ? EvaluationSpec.Read(e, "evaluation", timeout) : null,
        }.CheckCombination();
    }

    /// <summary>Writes the spec as the JSON object <see cref="Read"/> reads.</summary>
    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("task_id", Id);
        w.WriteNumber("rounds", Rounds);
        w.WriteNumber("fraction_fit", FractionFit);
        w.WriteNumber("min_fit_clients", MinFitClients);
        w.WriteNumber("min_available_clients", MinAvailableClients);
        w.WriteNumber("round_timeout_seconds", RoundTimeout.TotalSeconds);
        w.WriteNumber("max_round_attempts", MaxRoundAttempts);
        w.WritePropertyName("strategy");
        Strategy.Write(w);
        if (Privacy is not null)
        {
            w.WritePropertyName("privacy");
            Privacy.Write(w);
        }

        if (SecureAggregation is not null)
        {
            w.WritePropertyName("secure_aggregation");
            SecureAggregation.Write(w);
        }

        if (Evaluation is not null)
        {
            w.WritePropertyName("evaluation");
            Evaluation.Write(w);
        }

        if (Seed is { } seed)
        {
            w.WriteNumber("seed", seed);
        }

        w.WriteEndObject();
    }

    private TaskSpec CheckCombination()
    {
        if (SecureAggregation is null)
        {
            return this;
        }

        if (!Strategy.IsLinear)
        {
            throw new WireFormatException("secure_aggregation", $"strategy '{Strategy.Name}' needs individual updates; with secure aggregation use fedavg, fedprox, fedadam, fedyogi or fedadagrad.");
        }

        if (Privacy is not null && (Privacy.Adaptive || Privacy.Side != RoseForest.Federated.Privacy.ClippingSide.Client))
        {
            throw new WireFormatException("privacy", "with secure aggregation the server cannot clip: use fixed clipping with side \"client\".");
        }

        return this;
    }
}
