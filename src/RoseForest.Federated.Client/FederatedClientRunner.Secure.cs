using RoseForest.Federated.Model;
using RoseForest.Federated.SecureAggregation;

namespace RoseForest.Federated.Client;

/// <summary>The client's side of a secure round: the four stages, polled until the session is done or the round moves on.</summary>
public sealed partial class FederatedClientRunner
{
    /// <summary>The vector a client masks: [w·Δ, w·loss, w·accuracy, w] with w = min(samples, max)/max.</summary>
    internal static float[] SecureInput(ModelParameters global, ClientUpdate update, int maxSamples)
    {
        var values = update.Tensors.Flatten();
        var baseline = global.Flatten();
        var weight = Math.Min(update.SampleCount, maxSamples) / (double)maxSamples;
        var input = new float[values.Length + 3];
        for (var i = 0; i < values.Length; i++)
        {
            var delta = update.Kind == UpdateKind.Delta ? values[i] : (double)values[i] - baseline[i];
            input[i] = (float)(weight * delta);
        }

        input[^3] = (float)(weight * update.Metrics.Loss);
        input[^2] = (float)(weight * update.Metrics.Accuracy);
        input[^1] = (float)weight;
        return input;
    }

    private async Task RunSecureAsync(RoundInstruction instruction, SecureAggregationSettings settings, float[] input, CancellationToken cancellationToken)
    {
        SecAggClient? secure = null;
        var session = -1;
        try
        {
            while (true)
            {
                var view = await _http.GetSecureViewAsync(TaskId, ClientId, cancellationToken).ConfigureAwait(false);
                if (view.Stage == "none" || view.Round != instruction.Round || view.Attempt != instruction.Attempt || view.Stage == "done")
                {
                    return;
                }

                if (view.Session != session)
                {
                    secure?.Dispose();
                    secure = new SecAggClient(ClientId, view.Options!);
                    session = view.Session;
                }

                if (view.Expected && !view.Sent)
                {
                    await IgnoringLateAsync(() => ActAsync(secure!, view, input, cancellationToken)).ConfigureAwait(false);
                    continue;
                }

                await Task.Delay(_options.PollInterval, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            secure?.Dispose();
        }
    }

    private Task ActAsync(SecAggClient secure, SecureView view, float[] input, CancellationToken cancellationToken)
    {
        switch (view.Stage)
        {
            case "advertise":
                return _http.PostKeysAsync(TaskId, view.Session, secure.AdvertiseKeys(), cancellationToken);
            case "share":
                return _http.PostSharesAsync(TaskId, view.Session, secure.ShareKeys(view.Roster!), cancellationToken);
            case "mask":
                secure.ReceiveShares(view.Shares!);
                return _http.PostMaskedAsync(TaskId, view.Session, secure.MaskInput(input), cancellationToken);
            case "unmask":
                return _http.PostUnmaskAsync(TaskId, view.Session, secure.Unmask(view.Request!), cancellationToken);
            default:
                return Task.Delay(_options.PollInterval, _options.TimeProvider, cancellationToken);
        }
    }
}
