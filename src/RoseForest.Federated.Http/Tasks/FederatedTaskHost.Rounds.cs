using RoseForest.Federated.Coordination;
using RoseForest.Federated.Hashing;
using RoseForest.Federated.Http.Http;
using RoseForest.Federated.Model;
using RoseForest.Federated.Wire;

namespace RoseForest.Federated.Http.Tasks;

/// <summary>Joining, asking for work and submitting updates.</summary>
internal sealed partial class FederatedTaskHost
{
    /// <summary>Registers a client for selection and opens a round if enough clients are now available.</summary>
    public void Join(string clientId)
    {
        CheckClientId(clientId);
        lock (_gate)
        {
            Coordinator.RegisterClient(clientId);
            Sync();
        }
    }

    /// <summary>What <paramref name="clientId"/> should do now.</summary>
    public Instruction Next(string clientId)
    {
        CheckClientId(clientId);
        lock (_gate)
        {
            if (!Coordinator.AvailableClients.Contains(clientId, StringComparer.Ordinal))
            {
                throw FederatedHttpException.Conflict("not_joined", $"Client '{clientId}' has not joined task '{Spec.Id}'.");
            }

            Sync();
            if (_state.Pending is { } evaluation)
            {
                return evaluation.Clients.Contains(clientId, StringComparer.Ordinal) && !evaluation.Results.ContainsKey(clientId)
                    ? new Instruction("evaluate", evaluation.Round, 1, evaluation.Deadline, EvaluationConfig(evaluation.Round), Coordinator.Model)
                    : new Instruction("wait", evaluation.Round, Reason: "an evaluation round is open");
            }

            switch (Coordinator.Status)
            {
                case FederatedTaskStatus.Completed:
                    return new Instruction("done", Coordinator.Round - 1);
                case FederatedTaskStatus.Failed:
                    return new Instruction("failed", Coordinator.Round, Reason: $"round {Coordinator.Round} failed {Spec.MaxRoundAttempts} times");
                case FederatedTaskStatus.Idle:
                    return new Instruction("wait", Coordinator.Round, Reason: $"waiting for {Spec.MinAvailableClients} clients ({Coordinator.AvailableClients.Count} joined)");
            }

            var plan = Coordinator.CurrentPlan!;
            var pending = plan.Clients.Contains(clientId, StringComparer.Ordinal) && (Spec.SecureAggregation is null
                ? !Coordinator.ReceivedFrom.Contains(clientId, StringComparer.Ordinal)
                : !SecureContributed(clientId));
            return pending
                ? new Instruction("fit", plan.Round, plan.Attempt, plan.Deadline, plan.Config, plan.Model)
                : new Instruction("wait", plan.Round, plan.Attempt, plan.Deadline, Reason: plan.Clients.Contains(clientId, StringComparer.Ordinal) ? "update received" : "not selected for this round");
        }
    }

    /// <summary>Accepts a plain (not secure) update; returns whether it closed the round and the update's canonical hash.</summary>
    public (bool RoundClosed, string Hash) Submit(ClientUpdate update)
    {
        CheckClientId(update.ClientId);
        lock (_gate)
        {
            Sync();
            if (Spec.SecureAggregation is not null)
            {
                throw FederatedHttpException.Conflict("secure_aggregation", $"Task '{Spec.Id}' uses secure aggregation: send masked inputs through /secagg, not plain updates.");
            }

            var plan = Coordinator.CurrentPlan ?? throw FederatedHttpException.Conflict("round_mismatch", $"No round is open (the task is {StatusLocked()}).");
            if (!plan.Clients.Contains(update.ClientId, StringComparer.Ordinal))
            {
                throw FederatedHttpException.Conflict("not_selected", $"Client '{update.ClientId}' was not selected for round {plan.Round} (attempt {plan.Attempt}).");
            }

            var closed = Coordinator.Submit(update);
            var hash = UpdateHasher.ComputeHashHex(update);
            if (closed)
            {
                Sync();
            }

            return (closed, hash);
        }
    }

    internal static void CheckClientId(string? clientId, string field = "client_id")
    {
        if (string.IsNullOrEmpty(clientId) || clientId.Length > 128 || clientId.Any(char.IsControl))
        {
            throw new WireFormatException(field, "must be 1-128 characters without control characters.");
        }
    }
}
