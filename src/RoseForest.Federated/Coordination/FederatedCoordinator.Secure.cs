using RoseForest.Federated.Model;
using RoseForest.Federated.Validation;

namespace RoseForest.Federated.Coordination;

/// <summary>Closing a round with a securely aggregated sum, for rounds run under secure aggregation.</summary>
public sealed partial class FederatedCoordinator
{
    /// <summary>The client id the strategy sees on the one combined update of a secure round.</summary>
    public const string SecureAggregateClientId = "secagg:aggregate";

    /// <summary>
    /// Closes the open round with the sample-weighted mean delta of <paramref name="contributors"/>,
    /// computed by secure aggregation: the coordinator never sees an individual update. The
    /// strategy aggregates this one combined delta update (so only strategies that are linear in
    /// the mean, FedAvg, FedProx and the FedOpt family, with client-side clipping for DP, make
    /// sense here). <paramref name="round"/> and <paramref name="attempt"/> must name the open
    /// round, the contributors must all have been selected, and there must be at least
    /// <see cref="FederatedTaskOptions.MinFitClients"/> of them.
    /// </summary>
    public void SubmitSecureAggregate(int round, int attempt, IReadOnlyList<string> contributors, ModelParameters meanDelta, long samples, UpdateMetrics meanMetrics)
    {
        ArgumentNullException.ThrowIfNull(contributors);
        ArgumentNullException.ThrowIfNull(meanDelta);
        ArgumentNullException.ThrowIfNull(meanMetrics);
        lock (_gate)
        {
            var plan = CurrentPlan ?? throw new RoundMismatchException("round", $"No round is open (the task is {Status}).");
            if (plan.Round != round || plan.Attempt != attempt)
            {
                throw new RoundMismatchException("round", $"The aggregate is for round {round} attempt {attempt}; round {plan.Round} attempt {plan.Attempt} is open.");
            }

            if (contributors.Count < _options.MinFitClients || contributors.Distinct(StringComparer.Ordinal).Count() != contributors.Count)
            {
                throw new UpdateValidationException("contributors", $"{contributors.Count} distinct contributors are needed: at least {_options.MinFitClients}.");
            }

            if (contributors.FirstOrDefault(c => !plan.Clients.Contains(c, StringComparer.Ordinal)) is { } stranger)
            {
                throw new UpdateValidationException("contributors", $"Client '{stranger}' was not selected for round {Round}.");
            }

            var combined = new ClientUpdate(SecureAggregateClientId, Round, meanDelta, (int)Math.Clamp(samples, 1, int.MaxValue), UpdateKind.Delta, meanMetrics);
            UpdateValidator.Validate(Model, combined, Round, new HashSet<string>(StringComparer.Ordinal));
            Close([combined], [.. contributors.Order(StringComparer.Ordinal)], meanMetrics.Loss, meanMetrics.Accuracy, samples);
        }
    }
}
