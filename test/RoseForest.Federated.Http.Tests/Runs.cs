using System.Text.Json.Nodes;
using RoseForest.Federated.Client;
using RoseForest.Federated.Coordination;
using RoseForest.Federated.Model;
using RoseForest.Federated.Randomness;
using RoseForest.Federated.Strategies;

namespace RoseForest.Federated.Http.Tests;

/// <summary>Task specs, lock-step client runs and the in-process reference run.</summary>
internal static class Runs
{
    public static string[] Ids(int n) => [.. Enumerable.Range(0, n).Select(i => $"client-{i}")];

    public static JsonObject Spec(string id, int rounds, int clients, JsonObject? strategy = null, Action<JsonObject>? more = null)
    {
        var spec = new JsonObject
        {
            ["task_id"] = id,
            ["rounds"] = rounds,
            ["min_fit_clients"] = clients,
            ["min_available_clients"] = clients,
            ["round_timeout_seconds"] = 600,
            ["seed"] = 7,
            ["strategy"] = strategy ?? new JsonObject { ["name"] = "fedavg" },
        };
        more?.Invoke(spec);
        return spec;
    }

    public static List<FederatedClientRunner> Runners(FederatedHttpClient http, string taskId, int clients, bool binary = false) =>
        [.. Ids(clients).Select((id, i) => new FederatedClientRunner(http, taskId, id, new LinearLearner(i), new FederatedRunnerOptions { BinaryTensors = binary, PollInterval = TimeSpan.FromMilliseconds(5) }))];

    /// <summary>Steps every runner in turn until each has seen <c>done</c> (or a step limit is hit).</summary>
    public static async Task StepUntilDoneAsync(IReadOnlyList<FederatedClientRunner> runners, Func<bool>? stop = null, int maxSteps = 10_000)
    {
        var done = new bool[runners.Count];
        for (var step = 0; step < maxSteps && !done.All(d => d); step++)
        {
            for (var i = 0; i < runners.Count; i++)
            {
                if (stop?.Invoke() == true)
                {
                    return;
                }

                if (!done[i])
                {
                    var (action, _) = await runners[i].StepAsync();
                    Assert.NotEqual("failed", action);
                    done[i] = action == "done";
                }
            }
        }

        Assert.True(stop is not null || done.All(d => d), "the task did not complete");
    }

    /// <summary>The same task run directly on a coordinator, with the same learners: the reference model.</summary>
    public static async Task<ModelParameters> ReferenceAsync(int rounds, int clients, IAggregationStrategy strategy)
    {
        using var coordinator = new FederatedCoordinator("ref", LinearLearner.InitialModel(), strategy, new FederatedTaskOptions { Rounds = rounds, MinFitClients = clients, MinAvailableClients = clients }, TimeProvider.System, new InMemoryFederatedStateStore(), new SeededRandomSource(1));
        var learners = Enumerable.Range(0, clients).Select(i => new LinearLearner(i)).ToArray();
        foreach (var id in Ids(clients))
        {
            coordinator.RegisterClient(id);
        }

        for (var r = 1; r <= rounds; r++)
        {
            var plan = coordinator.StartRound()!;
            for (var i = 0; i < clients; i++)
            {
                var fit = await learners[i].FitAsync(plan.Model, plan.Config, default);
                coordinator.Submit(new ClientUpdate(Ids(clients)[i], r, fit.Parameters, fit.SampleCount, UpdateKind.Parameters, fit.Metrics));
            }
        }

        return coordinator.Model;
    }
}
