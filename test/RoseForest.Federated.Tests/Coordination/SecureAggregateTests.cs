using Microsoft.Extensions.Time.Testing;
using RoseForest.Federated.Coordination;
using RoseForest.Federated.Model;
using RoseForest.Federated.Randomness;
using RoseForest.Federated.Strategies;
using RoseForest.Federated.Validation;
using static RoseForest.Federated.Tests.Coordination.SimulatedClients;
using static RoseForest.Federated.Tests.Model.Updates;

namespace RoseForest.Federated.Tests.Coordination;

/// <summary><see cref="FederatedCoordinator.SubmitSecureAggregate"/>: the round closes with the mean delta and the named contributors, and only for the open round's selection.</summary>
public sealed class SecureAggregateTests
{
    private static FederatedCoordinator Open(out RoundPlan plan)
    {
        var coordinator = new FederatedCoordinator("s", TwoTensorModel([1, 1, 1, 1], [0, 0]), FederatedStrategies.FedAvg(), new FederatedTaskOptions { Rounds = 2, MinFitClients = 3, MinAvailableClients = 4 }, new FakeTimeProvider(), new InMemoryFederatedStateStore(), new SeededRandomSource(3));
        foreach (var id in Ids(4))
        {
            coordinator.RegisterClient(id);
        }

        plan = coordinator.StartRound()!;
        return coordinator;
    }

    [Fact]
    public void The_round_closes_with_the_model_plus_the_mean_delta_and_the_contributors_in_the_history()
    {
        using var coordinator = Open(out var plan);
        coordinator.SubmitSecureAggregate(1, 1, [.. plan.Clients.Take(3)], TwoTensorModel([0.5f, 0, 0, -1], [2, 0]), 30, new UpdateMetrics(0.4f, 0.6f));
        Assert.Equal([1.5f, 1, 1, 0, 2, 0], coordinator.Model.Flatten());
        var record = Assert.Single(coordinator.History);
        Assert.Equal(plan.Clients.Take(3), record.Participants);
        Assert.Equal((30L, 0.4f, 0.6f), (record.Samples, (float)record.Loss, (float)record.Accuracy));
        Assert.Empty(coordinator.ReceivedFrom);
    }

    [Fact]
    public void An_aggregate_for_another_attempt_from_strangers_or_from_too_few_clients_is_refused_and_changes_nothing()
    {
        using var coordinator = Open(out var plan);
        var delta = TwoTensorModel([1, 1, 1, 1], [1, 1]);
        var before = coordinator.Model.Flatten();
        Assert.Throws<RoundMismatchException>(() => coordinator.SubmitSecureAggregate(1, 2, [.. plan.Clients], delta, 10, UpdateMetrics.None));
        Assert.Throws<UpdateValidationException>(() => coordinator.SubmitSecureAggregate(1, 1, [.. plan.Clients.Take(2)], delta, 10, UpdateMetrics.None));
        Assert.Throws<UpdateValidationException>(() => coordinator.SubmitSecureAggregate(1, 1, ["c00", "c01", "nobody"], delta, 10, UpdateMetrics.None));
        Assert.Throws<ShapeMismatchException>(() => coordinator.SubmitSecureAggregate(1, 1, [.. plan.Clients], Flat(1, 2), 10, UpdateMetrics.None));
        Assert.Equal(before, coordinator.Model.Flatten());
        Assert.Equal(FederatedTaskStatus.RoundOpen, coordinator.Status);
    }
}
