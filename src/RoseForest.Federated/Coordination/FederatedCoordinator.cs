using RoseForest.Federated.Accounting;
using RoseForest.Federated.Hashing;
using RoseForest.Federated.Model;
using RoseForest.Federated.Randomness;
using RoseForest.Federated.Strategies;
using RoseForest.Federated.Validation;

namespace RoseForest.Federated.Coordination;

/// <summary>
/// The coordinator's round logic for one federated task, without any transport. Rounds are
/// started by <see cref="StartRound"/>; updates arrive through <see cref="Submit"/>; the round
/// closes when every selected client has answered, or at the timeout (measured with the injected
/// <see cref="TimeProvider"/>) if at least <see cref="FederatedTaskOptions.MinFitClients"/> did.
/// Otherwise the round is reopened with a fresh selection, up to
/// <see cref="FederatedTaskOptions.MaxRoundAttempts"/> times, after which the task fails.
/// Every change of state is saved to the <see cref="IFederatedStateStore"/>, and
/// <see cref="TryRestore"/> continues a task from its last snapshot.
/// </summary>
public sealed partial class FederatedCoordinator : IDisposable
{
    private readonly Lock _gate = new();
    private readonly FederatedTaskOptions _options;
    private readonly IAggregationStrategy _strategy;
    private readonly TimeProvider _time;
    private readonly IFederatedStateStore _store;
    private readonly IRandomSource _random;
    private readonly SortedSet<string> _available = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClientUpdate> _received = new(StringComparer.Ordinal);
    private readonly List<RoundRecord> _history = [];
    private RdpAccountant _accountant = new();
    private ITimer? _deadlineTimer;
    private int _availableAtSelection;

    /// <summary>Creates a coordinator for a new task (or one to restore with <see cref="TryRestore"/>).</summary>
    public FederatedCoordinator(
        string taskId,
        ModelParameters initialModel,
        IAggregationStrategy strategy,
        FederatedTaskOptions options,
        TimeProvider time,
        IFederatedStateStore store,
        IRandomSource random)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        ArgumentNullException.ThrowIfNull(initialModel);
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(random);
        options.Validate();
        TaskId = taskId;
        Model = initialModel.Clone();
        (_strategy, _options, _time, _store, _random) = (strategy, options, time, store, random);
        Round = 1;
    }

    /// <summary>Raised (under the coordinator's lock) whenever a round opens, including a reopened attempt after a timeout.</summary>
    public event Action<RoundPlan>? RoundOpened;

    /// <summary>The task's id (the key of its snapshot).</summary>
    public string TaskId { get; }

    /// <summary>The current global model.</summary>
    public ModelParameters Model { get; private set; }

    /// <summary>The round that is open, or the next one to open.</summary>
    public int Round { get; private set; }

    /// <summary>Where the task stands.</summary>
    public FederatedTaskStatus Status { get; private set; }

    /// <summary>The open round's plan, or null between rounds.</summary>
    public RoundPlan? CurrentPlan { get; private set; }

    /// <summary>The completed rounds.</summary>
    public IReadOnlyList<RoundRecord> History
    {
        get
        {
            lock (_gate)
            {
                return [.. _history];
            }
        }
    }

    /// <summary>The clients available for selection, in ordinal order.</summary>
    public IReadOnlyList<string> AvailableClients
    {
        get
        {
            lock (_gate)
            {
                return [.. _available];
            }
        }
    }

    /// <summary>The clients whose update the open round has accepted so far, in ordinal order.</summary>
    public IReadOnlyList<string> ReceivedFrom
    {
        get
        {
            lock (_gate)
            {
                return [.. _received.Keys.Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Marks a client as available for selection.</summary>
    public void RegisterClient(string clientId)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        lock (_gate)
        {
            if (_available.Add(clientId))
            {
                Save();
            }
        }
    }

    /// <summary>Removes a client from selection (a selected client may still answer the open round).</summary>
    public void UnregisterClient(string clientId)
    {
        lock (_gate)
        {
            if (_available.Remove(clientId))
            {
                Save();
            }
        }
    }

    /// <summary>Opens the next round; null when fewer than <see cref="FederatedTaskOptions.MinAvailableClients"/> clients are available.</summary>
    /// <exception cref="InvalidOperationException">A round is already open, or the task has completed or failed.</exception>
    public RoundPlan? StartRound()
    {
        lock (_gate)
        {
            if (Status != FederatedTaskStatus.Idle)
            {
                throw new InvalidOperationException($"The task is {Status}; a round starts only when it is Idle.");
            }

            if (_available.Count < _options.MinAvailableClients)
            {
                return null;
            }

            return Open(attempt: 1);
        }
    }

    /// <summary>
    /// Accepts one update for the open round after validation (selected client, layout, finite
    /// values, the open round, one per client, positive samples); returns true when it closed the round.
    /// </summary>
    public bool Submit(ClientUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_gate)
        {
            var plan = CurrentPlan ?? throw new RoundMismatchException("round", $"No round is open (the task is {Status}).");
            if (!plan.Clients.Contains(update.ClientId, StringComparer.Ordinal))
            {
                throw new UpdateValidationException("clientId", $"Client '{update.ClientId}' was not selected for round {Round}.");
            }

            UpdateValidator.Validate(Model, update, Round, _received.Keys.ToHashSet(StringComparer.Ordinal));
            _received.Add(update.ClientId, update);
            if (_received.Count == plan.Clients.Count)
            {
                Close();
                return true;
            }

            Save();
            return false;
        }
    }

    /// <summary>Applies the straggler policy if the open round's deadline has passed (the deadline timer calls this too).</summary>
    public void CheckDeadline()
    {
        lock (_gate)
        {
            if (CurrentPlan is not { } plan || _time.GetUtcNow() < plan.Deadline)
            {
                return;
            }

            if (_received.Count >= _options.MinFitClients)
            {
                Close();
            }
            else if (plan.Attempt >= _options.MaxRoundAttempts || _available.Count < _options.MinAvailableClients)
            {
                Status = FederatedTaskStatus.Failed;
                CurrentPlan = null;
                _received.Clear();
                StopTimer();
                Save();
            }
            else
            {
                Open(plan.Attempt + 1);
            }
        }
    }

    /// <summary>The canonical hash of the current model as an update of the coordinator (for audit logs).</summary>
    public string ModelHash()
    {
        lock (_gate)
        {
            return UpdateHasher.ComputeHashHex(new ClientUpdate("coordinator:" + TaskId, Round, Model, 1));
        }
    }

    /// <inheritdoc/>
    public void Dispose() => StopTimer();

    private RoundPlan Open(int attempt)
    {
        var pool = _available.ToList();
        var count = Math.Max(_options.MinFitClients, (int)(pool.Count * _options.FractionFit));
        _random.Shuffle(pool);
        var selected = pool.Take(Math.Min(count, pool.Count)).Order(StringComparer.Ordinal).ToList();
        _received.Clear();
        CurrentPlan = new RoundPlan(Round, attempt, selected, Model, _strategy.ConfigureFit(Round), _time.GetUtcNow() + _options.RoundTimeout);
        Status = FederatedTaskStatus.RoundOpen;
        _availableAtSelection = pool.Count;
        ArmTimer(CurrentPlan.Deadline);
        Save();
        RoundOpened?.Invoke(CurrentPlan);
        return CurrentPlan;
    }

    private void Close()
    {
        var updates = _received.Values.OrderBy(u => u.ClientId, StringComparer.Ordinal).ToList();
        var samples = updates.Sum(u => (long)u.SampleCount);
        Close(
            updates,
            [.. updates.Select(u => u.ClientId)],
            updates.Sum(u => (double)u.Metrics.Loss * u.SampleCount) / samples,
            updates.Sum(u => (double)u.Metrics.Accuracy * u.SampleCount) / samples,
            samples);
    }

    /// <summary>Closes the open round with the strategy's aggregate of <paramref name="updates"/> and the history record of the contributors.</summary>
    private void Close(IReadOnlyList<ClientUpdate> updates, IReadOnlyList<string> participants, double loss, double accuracy, long samples)
    {
        var plan = CurrentPlan!;
        Model = _strategy.Aggregate(Round, Model, updates);
        double? epsilon = null;
        if (_options.DpNoiseMultiplier is { } z)
        {
            _accountant.Step(z, (double)plan.Clients.Count / _availableAtSelection);
            epsilon = _accountant.GetEpsilon(_options.DpDelta).Epsilon;
        }

        _history.Add(new RoundRecord(Round, plan.Attempt, participants, loss, accuracy, samples, epsilon));
        _received.Clear();
        CurrentPlan = null;
        StopTimer();
        Round++;
        Status = Round > _options.Rounds ? FederatedTaskStatus.Completed : FederatedTaskStatus.Idle;
        Save();
    }

    private void ArmTimer(DateTimeOffset deadline)
    {
        StopTimer();
        var due = deadline - _time.GetUtcNow();
        _deadlineTimer = _time.CreateTimer(_ => CheckDeadline(), null, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    private void StopTimer()
    {
        _deadlineTimer?.Dispose();
        _deadlineTimer = null;
    }
}
