using RoseForest.Federated.Model;
using RoseForest.Federated.Privacy;
using RoseForest.Federated.Strategies;

namespace RoseForest.Federated.Client;

/// <summary>
/// Joins a task over HTTP and does what the coordinator asks until the task is done: fit
/// (clipping the delta when the round configuration carries <c>clipping_norm</c>, and under
/// secure aggregation masking it instead of sending it), evaluate, or wait. An update the
/// coordinator already holds (a retry after a lost answer) counts as sent.
/// </summary>
public sealed partial class FederatedClientRunner
{
    private readonly FederatedHttpClient _http;
    private readonly IFederatedClient _client;
    private readonly FederatedRunnerOptions _options;
    private bool _joined;

    /// <summary>Creates a runner for one client of one task.</summary>
    public FederatedClientRunner(FederatedHttpClient http, string taskId, string clientId, IFederatedClient client, FederatedRunnerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentNullException.ThrowIfNull(client);
        (_http, TaskId, ClientId, _client, _options) = (http, taskId, clientId, client, options ?? new FederatedRunnerOptions());
    }

    /// <summary>The task this runner works for.</summary>
    public string TaskId { get; }

    /// <summary>This client's id.</summary>
    public string ClientId { get; }

    /// <summary>The rounds this client trained in, and the evaluation rounds it answered.</summary>
    public int FitCount { get; private set; }

    /// <summary>The evaluation rounds this client answered.</summary>
    public int EvaluateCount { get; private set; }

    /// <summary>Runs until the task completes (true) or fails (false).</summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var (action, worked) = await StepAsync(cancellationToken).ConfigureAwait(false);
            if (action is "done" or "failed")
            {
                return action == "done";
            }

            if (!worked)
            {
                await Task.Delay(_options.PollInterval, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Joins the task (the first <see cref="StepAsync"/> does it too).</summary>
    public async Task JoinAsync(CancellationToken cancellationToken = default)
    {
        await _http.JoinAsync(TaskId, ClientId, cancellationToken).ConfigureAwait(false);
        _joined = true;
    }

    /// <summary>One poll: joins if needed, asks for the instruction and carries it out. Returns the action and whether work was done.</summary>
    public async Task<(string Action, bool Worked)> StepAsync(CancellationToken cancellationToken = default)
    {
        if (!_joined)
        {
            await _http.JoinAsync(TaskId, ClientId, cancellationToken).ConfigureAwait(false);
            _joined = true;
        }

        var instruction = await _http.GetRoundAsync(TaskId, ClientId, _options.BinaryTensors, cancellationToken).ConfigureAwait(false);
        switch (instruction.Action)
        {
            case "fit":
                await FitAsync(instruction, cancellationToken).ConfigureAwait(false);
                return (instruction.Action, true);
            case "evaluate":
                var evaluation = await _client.EvaluateAsync(instruction.Model!, instruction.Config, cancellationToken).ConfigureAwait(false);
                await IgnoringLateAsync(() => _http.SubmitEvaluationAsync(TaskId, ClientId, instruction.Round, evaluation, cancellationToken)).ConfigureAwait(false);
                EvaluateCount++;
                return (instruction.Action, true);
            default:
                return (instruction.Action, false);
        }
    }

    private async Task FitAsync(RoundInstruction instruction, CancellationToken cancellationToken)
    {
        var global = instruction.Model!;
        var fit = await _client.FitAsync(global, instruction.Config, cancellationToken).ConfigureAwait(false);
        var update = new ClientUpdate(ClientId, instruction.Round, fit.Parameters, fit.SampleCount, UpdateKind.Parameters, fit.Metrics, _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        if (instruction.Config.TryGetValue(FederatedStrategies.ClippingNormKey, out var norm))
        {
            update = ClientPrivacy.ClipForServer(global, update, norm);
        }

        FitCount++;
        if (instruction.SecureAggregation is { } secure)
        {
            await RunSecureAsync(instruction, secure, SecureInput(global, update, secure.MaxSamples), cancellationToken).ConfigureAwait(false);
            return;
        }

        await IgnoringLateAsync(() => _http.SubmitUpdateAsync(TaskId, update, _options.BinaryTensors, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Sends a result; a 409 saying it is already there or too late (the round moved on) is not an error.</summary>
    private static async Task IgnoringLateAsync(Func<Task> send)
    {
        try
        {
            await send().ConfigureAwait(false);
        }
        catch (FederatedRequestException e) when (e.Status == 409 && e.Code is "duplicate_update" or "round_mismatch" or "not_selected")
        {
        }
    }
}
