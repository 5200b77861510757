using Microsoft.Extensions.Time.Testing;
using RoseForest.Federated.Accounting;
using RoseForest.Federated.Coordination;
using RoseForest.Federated.Model;
using RoseForest.Federated.Privacy;
using RoseForest.Federated.Randomness;
using RoseForest.Federated.Strategies;
using RoseForest.Federated.Validation;
using static RoseForest.Federated.Tests.Coordination.SimulatedClients;
using static RoseForest.Federated.Tests.Model.Updates;

namespace RoseForest.Federated.Tests.Coordination;

public sealed class FederatedCoordinatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private static FederatedCoordinator Create(
        FederatedTaskOptions options,
        FakeTimeProvider time,
        IFederatedStateStore? store = null,
        IAggregationStrategy? strategy = null,
        int clients = 10)
    {
        var coordinator = new FederatedCoordinator("task-1", TwoTensorModel([0, 0, 0, 0], [0, 0]), strategy ?? FederatedStrategies.FedAvg(), options, time, store ?? new InMemoryFederatedStateStore(), new SeededRandomSource(99));
        foreach (var id in Ids(clients))
        {
            coordinator.RegisterClient(id);
        }

        return coordinator;
    }

    private static FederatedTaskOptions Options(int rounds = 3, double fraction = 0.5, int minFit = 3, int minAvailable = 4, int attempts = 2, double? z = null) =>
        new() { Rounds = rounds, FractionFit = fraction, MinFitClients = minFit, MinAvailableClients = minAvailable, RoundTimeout = Timeout, MaxRoundAttempts = attempts, DpNoiseMultiplier = z };

    [Theory]
    [InlineData(0.5, 3, 5)]  // ⌊10 · 0.5⌋ = 5
    [InlineData(0.1, 3, 3)]  // ⌊10 · 0.1⌋ = 1, raised to the minimum of 3
    [InlineData(1.0, 3, 10)]
    public void Selection_takes_the_fraction_of_available_clients_but_at_least_min_fit(double fraction, int minFit, int expected)
    {
        using var coordinator = Create(Options(fraction: fraction, minFit: minFit), new FakeTimeProvider(Start));
        var plan = coordinator.StartRound()!;
        Assert.Equal(expected, plan.Clients.Count);
        Assert.Equal(plan.Clients.Count, plan.Clients.Distinct().Count());
        Assert.Equal(Start + Timeout, plan.Deadline);
    }

    [Fact]
    public void A_round_does_not_start_with_fewer_available_clients_than_the_minimum()
    {
        using var coordinator = Create(Options(minAvailable: 4), new FakeTimeProvider(Start), clients: 3);
        Assert.Null(coordinator.StartRound());
        coordinator.RegisterClient("c03");
        Assert.NotNull(coordinator.StartRound());
    }

    [Fact]
    public void The_round_closes_with_the_strategy_aggregate_when_every_selected_client_has_answered()
    {
        using var coordinator = Create(Options(), new FakeTimeProvider(Start));
        var plan = coordinator.StartRound()!;
        var updates = plan.Clients.Select(c => Train(c, 1, plan.Model)).ToList();
        Assert.Equal([.. Enumerable.Repeat(false, updates.Count - 1), true], updates.Select(coordinator.Submit));

        var expected = Strategies.Reference.WeightedMean([.. updates.Select(u => u.Tensors.Flatten())], [.. updates.Select(u => u.SampleCount)]);
        var model = coordinator.Model.Flatten();
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], model[i], 1e-6);
        }

        var record = Assert.Single(coordinator.History);
        Assert.Equal(updates.Sum(u => (double)u.Metrics.Loss * u.SampleCount) / updates.Sum(u => u.SampleCount), record.Loss, 1e-9);
        Assert.Equal(plan.Clients, record.Participants);
        Assert.Equal(2, coordinator.Round);
        Assert.Equal(FederatedTaskStatus.Idle, coordinator.Status);
    }

    [Fact]
    public void At_the_timeout_a_round_with_enough_updates_closes_with_what_arrived()
    {
        var time = new FakeTimeProvider(Start);
        using var coordinator = Create(Options(minFit: 3), time);
        var plan = coordinator.StartRound()!;
        foreach (var c in plan.Clients.Take(3))
        {
            coordinator.Submit(Train(c, 1, plan.Model));
        }

        time.Advance(Timeout - TimeSpan.FromSeconds(1));
        Assert.Equal(FederatedTaskStatus.RoundOpen, coordinator.Status);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(FederatedTaskStatus.Idle, coordinator.Status);
        Assert.Equal(plan.Clients.Take(3), Assert.Single(coordinator.History).Participants);
    }

    [Fact]
    public void At_the_timeout_a_round_with_too_few_updates_is_reopened_and_fails_after_the_last_attempt()
    {
        var time = new FakeTimeProvider(Start);
        using var coordinator = Create(Options(minFit: 3, attempts: 2), time);
        var opened = new List<RoundPlan>();
        coordinator.RoundOpened += opened.Add;
        var first = coordinator.StartRound()!;
        coordinator.Submit(Train(first.Clients[0], 1, first.Model));

        time.Advance(Timeout);
        Assert.Equal(2, opened.Count);
        var second = coordinator.CurrentPlan!;
        Assert.Equal((1, 2), (second.Round, second.Attempt));
        Assert.Equal(Start + Timeout + Timeout, second.Deadline);
        Assert.Throws<RoundMismatchException>(() => coordinator.Submit(Train(second.Clients[0], 0, second.Model)));

        time.Advance(Timeout);
        Assert.Equal(FederatedTaskStatus.Failed, coordinator.Status);
        Assert.Empty(coordinator.History);
        Assert.Throws<InvalidOperationException>(() => coordinator.StartRound());
    }

    [Fact]
    public void Updates_from_unselected_clients_twice_from_one_client_or_for_another_round_are_rejected()
    {
        using var coordinator = Create(Options(fraction: 0.3), new FakeTimeProvider(Start));
        var plan = coordinator.StartRound()!;
        var outsider = Ids(10).First(c => !plan.Clients.Contains(c));
        Assert.Equal("clientId", Assert.Throws<UpdateValidationException>(() => coordinator.Submit(Train(outsider, 1, plan.Model))).Field);
        Assert.Throws<RoundMismatchException>(() => coordinator.Submit(Train(plan.Clients[0], 2, plan.Model)));
        coordinator.Submit(Train(plan.Clients[0], 1, plan.Model));
        Assert.Throws<DuplicateUpdateException>(() => coordinator.Submit(Train(plan.Clients[0], 1, plan.Model)));
    }

    [Fact]
    public void The_task_completes_after_its_rounds_and_records_the_dp_epsilon_of_each()
    {
        const double z = 1.2;
        var strategy = FederatedStrategies.FedAvg().WithFixedClippingDp(new FixedClippingOptions { NoiseMultiplier = z, ClippingNorm = 1, SampledClients = 5 }, new SeededRandomSource(5));
        using var coordinator = Create(Options(rounds: 3, z: z), new FakeTimeProvider(Start), strategy: strategy);
        RunRounds(coordinator, 3);
        Assert.Equal(FederatedTaskStatus.Completed, coordinator.Status);

        var reference = new RdpAccountant();
        reference.Step(z, 0.5, 3); // 5 of 10 clients each round
        Assert.Equal(reference.GetEpsilon(1e-5).Epsilon, coordinator.History[^1].Epsilon!.Value, 1e-12);
        Assert.True(coordinator.History[0].Epsilon < coordinator.History[1].Epsilon);
    }

    [Fact]
    public void A_coordinator_restarted_from_its_saved_state_mid_round_continues_identically()
    {
        static IAggregationStrategy Strategy() => FederatedStrategies.FedAdam().WithFixedClippingDp(new FixedClippingOptions { NoiseMultiplier = 0.8, ClippingNorm = 0.5, SampledClients = 5 }, new SeededRandomSource(17));

        // Uninterrupted run.
        using var reference = Create(Options(rounds: 4, z: 0.8), new FakeTimeProvider(Start), strategy: Strategy());
        RunRounds(reference, 4);

        // The same task, stopped in round 3 after one update, then restored into a fresh coordinator
        // (fresh strategy, fresh random source with another seed, fresh time provider).
        var store = new InMemoryFederatedStateStore();
        var first = Create(Options(rounds: 4, z: 0.8), new FakeTimeProvider(Start), store, Strategy());
        RunRounds(first, 2);
        var plan = first.StartRound()!;
        first.Submit(Train(plan.Clients[0], 3, plan.Model));
        first.Dispose();

        using var restored = new FederatedCoordinator("task-1", TwoTensorModel([9, 9, 9, 9], [9, 9]), Strategy(), Options(rounds: 4, z: 0.8), new FakeTimeProvider(Start), store, new SeededRandomSource(12345));
        Assert.True(restored.TryRestore());
        Assert.Equal((3, FederatedTaskStatus.RoundOpen), (restored.Round, restored.Status));
        Assert.Equal(plan.Clients, restored.CurrentPlan!.Clients);
        foreach (var c in plan.Clients.Skip(1))
        {
            restored.Submit(Train(c, 3, restored.CurrentPlan!.Model));
        }

        RunRounds(restored, 1);
        Assert.Equal(FederatedTaskStatus.Completed, restored.Status);
        Assert.Equal(reference.Model.Flatten(), restored.Model.Flatten());
        Assert.Equal(reference.History.Select(h => (h.Round, h.Loss, h.Samples, h.Epsilon, string.Join(",", h.Participants))), restored.History.Select(h => (h.Round, h.Loss, h.Samples, h.Epsilon, string.Join(",", h.Participants))));
        Assert.Equal(reference.ModelHash(), restored.ModelHash());
    }

    [Fact]
    public void A_snapshot_of_another_format_version_is_refused()
    {
        var store = new InMemoryFederatedStateStore();
        using var coordinator = Create(Options(), new FakeTimeProvider(Start), store);
        var snapshot = store.Load("task-1")!;
        snapshot[4] = 0xFF; // the u16 version after "RFFL"
        store.Save("task-1", snapshot);
        using var other = Create(Options(), new FakeTimeProvider(Start), store, clients: 0);
        Assert.Throws<SnapshotFormatException>(() => other.TryRestore());
        Assert.False(Create(Options(), new FakeTimeProvider(Start), new InMemoryFederatedStateStore(), clients: 0).TryRestore());
    }

    private static void RunRounds(FederatedCoordinator coordinator, int rounds)
    {
        for (var r = 0; r < rounds; r++)
        {
            var plan = coordinator.StartRound()!;
            foreach (var c in plan.Clients)
            {
                coordinator.Submit(Train(c, plan.Round, plan.Model));
            }
        }
    }
}
