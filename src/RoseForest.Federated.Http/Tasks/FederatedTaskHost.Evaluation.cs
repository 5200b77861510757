using RoseForest.Federated.Http.Http;
using RoseForest.Federated.Randomness;
using RoseForest.Federated.Wire;

namespace RoseForest.Federated.Http.Tasks;

/// <summary>
/// Evaluation rounds: after a due fit round, a fraction of the available clients evaluate the
/// new global model on their own data; the round closes when all of them answered or at its
/// timeout with whatever arrived (possibly nothing). It never fails the task.
/// </summary>
internal sealed partial class FederatedTaskHost
{
    /// <summary>The configuration sent with an evaluation instruction.</summary>
    private static Dictionary<string, double> EvaluationConfig(int round) => new() { ["round"] = round };

    /// <summary>The finished evaluation rounds.</summary>
    public IReadOnlyList<EvaluationRecord> Evaluations
    {
        get
        {
            lock (_gate)
            {
                return [.. _state.Evaluations];
            }
        }
    }

    /// <summary>Records one client's evaluation; returns whether it closed the evaluation round.</summary>
    public bool SubmitEvaluation(string clientId, int round, double loss, double accuracy, long samples)
    {
        CheckClientId(clientId);
        if (samples <= 0)
        {
            throw new WireFormatException("sample_count", $"must be positive; got {samples}.");
        }

        lock (_gate)
        {
            Sync();
            var pending = _state.Pending;
            if (pending is null || pending.Round != round)
            {
                throw FederatedHttpException.Conflict("round_mismatch", pending is null ? "No evaluation round is open." : $"Evaluation round {pending.Round} is open, not {round}.");
            }

            if (!pending.Clients.Contains(clientId, StringComparer.Ordinal))
            {
                throw FederatedHttpException.Conflict("not_selected", $"Client '{clientId}' was not asked to evaluate round {round}.");
            }

            if (!pending.Results.TryAdd(clientId, new EvaluationResult(clientId, loss, accuracy, samples)))
            {
                throw FederatedHttpException.Conflict("duplicate_update", $"Client '{clientId}' already evaluated round {round}.");
            }

            if (pending.Results.Count == pending.Clients.Count)
            {
                CloseEvaluation();
                return true;
            }

            SaveState();
            return false;
        }
    }

    private void OpenEvaluation(int round, EvaluationSpec spec)
    {
        var pool = Coordinator.AvailableClients.ToList();
        var count = Math.Min(pool.Count, Math.Max(spec.MinClients, (int)(pool.Count * spec.Fraction)));
        IRandomSource random = Spec.Seed is { } seed ? new SeededRandomSource(seed ^ (0x9E3779B97F4A7C15UL * (ulong)round)) : SecureRandomSource.Instance;
        random.Shuffle(pool);
        var deadline = _time.GetUtcNow() + spec.Timeout;
        _state.Pending = new PendingEvaluation(round, [.. pool.Take(count).Order(StringComparer.Ordinal)], deadline);
        SaveState();
        ArmEvaluationTimer(deadline);
    }

    private void CloseEvaluation()
    {
        var pending = _state.Pending!;
        var results = pending.Results.Values.OrderBy(r => r.ClientId, StringComparer.Ordinal).ToList();
        var samples = results.Sum(r => r.Samples);
        _state.Evaluations.Add(new EvaluationRecord(
            pending.Round,
            [.. results.Select(r => r.ClientId)],
            samples == 0 ? null : results.Sum(r => r.Loss * r.Samples) / samples,
            samples == 0 ? null : results.Sum(r => r.Accuracy * r.Samples) / samples,
            samples));
        _state.EvaluatedThrough = pending.Round;
        _state.Pending = null;
        _evaluationTimer?.Dispose();
        _evaluationTimer = null;
        SaveState();
        Sync();
    }

    private void ArmEvaluationTimer(DateTimeOffset deadline)
    {
        _evaluationTimer?.Dispose();
        var due = deadline - _time.GetUtcNow();
        _evaluationTimer = _time.CreateTimer(_ => OnEvaluationDeadline(), null, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    private void OnEvaluationDeadline()
    {
        lock (_gate)
        {
            if (_state.Pending is { } pending && _time.GetUtcNow() >= pending.Deadline)
            {
                CloseEvaluation();
            }
        }
    }
}
