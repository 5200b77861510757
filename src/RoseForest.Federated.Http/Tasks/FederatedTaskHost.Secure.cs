using RoseForest.Federated.Coordination;
using RoseForest.Federated.Http.Http;
using RoseForest.Federated.Model;
using RoseForest.Federated.SecureAggregation;

namespace RoseForest.Federated.Http.Tasks;

/// <summary>
/// Secure aggregation wired into the round: the selected clients advertise keys, share them,
/// send masked inputs and answer the unmasking request; the host hands the coordinator only the
/// unmasked sum. Each stage ends when every expected client acted, or at its timeout with at
/// least the threshold (the rest are dropouts); otherwise the session aborts and a new one starts
/// (at most <see cref="MaxSessionsPerAttempt"/> per round attempt; after that the round's own
/// deadline applies).
/// </summary>
internal sealed partial class FederatedTaskHost
{
    private const int MaxSessionsPerAttempt = 3;
    private SecureSession? _secure;
    private int _sessionCounter;
    private int _sessionsThisAttempt;

    /// <summary>The current session (for the GET view), after bringing it up to date.</summary>
    public SecureSession? CurrentSecureSession(string clientId)
    {
        CheckClientId(clientId);
        lock (_gate)
        {
            Sync();
            return _secure;
        }
    }

    /// <summary>Runs <paramref name="act"/> on the current session under the lock, after checking the session number and stage and that the client is expected and has not acted yet.</summary>
    public void SecureStep(int session, SecureStage stage, string clientId, Action<SecureSession> act)
    {
        CheckClientId(clientId);
        lock (_gate)
        {
            Sync();
            var s = _secure;
            if (s is null || s.Number != session)
            {
                throw FederatedHttpException.Conflict("session_mismatch", $"Secure-aggregation session {session} is not current (current: {s?.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}).");
            }

            if (s.Stage != stage)
            {
                throw FederatedHttpException.Conflict("stage_mismatch", $"Session {session} is at stage {s.Stage}, not {stage}.");
            }

            if (!s.Expected.Contains(clientId, StringComparer.Ordinal))
            {
                throw FederatedHttpException.Conflict("not_selected", $"Client '{clientId}' takes no part in stage {stage} of session {session}.");
            }

            if (s.HasPosted(clientId))
            {
                throw FederatedHttpException.Conflict("duplicate_update", $"Client '{clientId}' already acted at stage {stage} of session {session}.");
            }

            act(s);
            Advance(s, deadlinePassed: false);
        }
    }

    /// <summary>Writes what <paramref name="clientId"/> needs to know about the current session (under the lock, so the view is consistent).</summary>
    public void WriteSecureView(System.Text.Json.Utf8JsonWriter w, string clientId)
    {
        CheckClientId(clientId);
        lock (_gate)
        {
            Sync();
            w.WriteStartObject();
            if (_secure is not { } s)
            {
                w.WriteString("stage", "none");
                w.WriteEndObject();
                return;
            }

            w.WriteNumber("session", s.Number);
            w.WriteNumber("round", s.Round);
            w.WriteNumber("attempt", s.Attempt);
            w.WriteString("stage", s.Stage.ToString().ToLowerInvariant());
            w.WriteBoolean("expected", s.Expected.Contains(clientId, StringComparer.Ordinal));
            w.WriteBoolean("sent", s.HasPosted(clientId));
            w.WriteString("deadline", s.StageDeadline);
            w.WriteNumber("threshold", s.Options.Threshold);
            w.WriteNumber("vector_length", s.Options.VectorLength);
            w.WriteNumber("clip_range", s.Options.ClipRange);
            w.WriteNumber("scale_bits", s.Options.ScaleBits);
            w.WriteNumber("max_samples", Spec.SecureAggregation!.MaxSamples);
            if (s.AbortReason is { } reason)
            {
                w.WriteString("reason", reason);
            }

            if (s.Stage == SecureStage.Share)
            {
                w.WriteStartArray("roster");
                foreach (var k in s.Roster!)
                {
                    w.WriteStartObject();
                    Wire.SecAggWire.Write(w, k);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }
            else if (s.Stage == SecureStage.Mask && s.Routed!.TryGetValue(clientId, out var shares))
            {
                Wire.SecAggWire.WriteShares(w, "shares", shares);
            }
            else if (s.Stage == SecureStage.Unmask)
            {
                w.WriteStartObject("request");
                Wire.SecAggWire.Write(w, s.Request!);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }
    }

    private bool SecureContributed(string clientId) => _secure is { } s && s.Stage != SecureStage.Aborted &&
        (s.Stage > SecureStage.Mask ? s.Request!.Survivors.Contains(clientId, StringComparer.Ordinal) : s.Stage == SecureStage.Mask && s.Masked.Contains(clientId));

    private void SyncSecure()
    {
        var plan = Coordinator.CurrentPlan;
        if (plan is null)
        {
            return;
        }

        var sameAttempt = _secure is { } s && s.Round == plan.Round && s.Attempt == plan.Attempt;
        if (!sameAttempt)
        {
            _sessionsThisAttempt = 0;
        }

        if (!sameAttempt || (_secure!.Stage == SecureStage.Aborted && _sessionsThisAttempt < MaxSessionsPerAttempt))
        {
            _secure?.Dispose();
            _sessionsThisAttempt++;
            _secure = new SecureSession(++_sessionCounter, plan.Round, plan.Attempt, plan.Clients, Spec.SecureAggregation!.Options(plan.Model.ValueCount));
            StartStage(_secure);
        }
    }

    private void StartStage(SecureSession s)
    {
        s.Timer?.Dispose();
        s.StageDeadline = _time.GetUtcNow() + Spec.SecureAggregation!.StageTimeout;
        s.Timer = _time.CreateTimer(_ => OnStageDeadline(s), null, Spec.SecureAggregation.StageTimeout, Timeout.InfiniteTimeSpan);
    }

    private void OnStageDeadline(SecureSession s)
    {
        lock (_gate)
        {
            if (ReferenceEquals(s, _secure) && s.Stage < SecureStage.Done && _time.GetUtcNow() >= s.StageDeadline)
            {
                Advance(s, deadlinePassed: true);
                Sync();
            }
        }
    }

    private void Advance(SecureSession s, bool deadlinePassed)
    {
        try
        {
            while (s.Stage < SecureStage.Done)
            {
                var (posted, expected) = (s.Posted, s.Expected.Count);
                if (posted < expected && !(deadlinePassed && posted >= s.Options.Threshold))
                {
                    if (deadlinePassed)
                    {
                        Abort(s, $"only {posted} of {expected} clients acted at stage {s.Stage} before its timeout; the threshold is {s.Options.Threshold}");
                    }

                    return;
                }

                switch (s.Stage)
                {
                    case SecureStage.Advertise:
                        s.Roster = s.Server.CollectKeys(s.Keys.Values);
                        s.Stage = SecureStage.Share;
                        break;
                    case SecureStage.Share:
                        s.Routed = s.Server.RouteShares(s.ShareMessages.Values);
                        s.Stage = SecureStage.Mask;
                        break;
                    case SecureStage.Mask:
                        s.Request = s.Server.BeginUnmasking();
                        s.Stage = SecureStage.Unmask;
                        break;
                    default:
                        FinishSecureRound(s, s.Server.Finish(s.Responses.Values));
                        s.Stage = SecureStage.Done;
                        s.Timer?.Dispose();
                        return;
                }

                deadlinePassed = false;
                StartStage(s);
            }
        }
        catch (Exception e) when (e is SecureAggregationException or ArgumentException or Validation.UpdateValidationException)
        {
            Abort(s, e.Message);
        }
    }

    private static void Abort(SecureSession s, string reason)
    {
        s.Stage = SecureStage.Aborted;
        s.AbortReason = reason;
        s.Timer?.Dispose();
    }

    /// <summary>Turns the sum of [w·Δ, w·loss, w·accuracy, w] into the weighted mean delta and metrics and closes the coordinator's round with them.</summary>
    private void FinishSecureRound(SecureSession s, SecAggResult result)
    {
        var sum = result.Sum;
        var p = sum.Length - 3;
        var weight = (double)sum[p + 2];
        if (weight <= 0)
        {
            throw new SecureAggregationException($"The summed weight is {weight}; a weight must be positive.");
        }

        var mean = new float[p];
        for (var i = 0; i < p; i++)
        {
            mean[i] = (float)(sum[i] / weight);
        }

        var model = Coordinator.Model;
        var metrics = new UpdateMetrics((float)(sum[p] / weight), (float)(sum[p + 1] / weight));
        var samples = (long)Math.Round(weight * Spec.SecureAggregation!.MaxSamples);
        Coordinator.SubmitSecureAggregate(s.Round, s.Attempt, result.Contributors, model.WithFlatValues(mean), samples, metrics);
    }
}
