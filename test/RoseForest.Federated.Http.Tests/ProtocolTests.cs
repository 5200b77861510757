using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using RoseForest.Federated.Client;
using RoseForest.Federated.Strategies;
using static RoseForest.Federated.Http.Tests.Runs;

namespace RoseForest.Federated.Http.Tests;

/// <summary>A task run end to end over HTTP with the .NET client: the same model as the in-process coordinator, in both wire forms.</summary>
public sealed class ProtocolTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_task_over_http_ends_with_the_model_of_the_same_task_run_in_process(bool binary)
    {
        await using var server = await FlServer.StartAsync();
        var http = server.Client();
        var created = await http.CreateTaskAsync(Spec("lin", rounds: 3, clients: 3), LinearLearner.InitialModel(), binary);
        Assert.Equal("lin", created.GetProperty("task_id").GetString());
        Assert.Equal("waiting_for_clients", created.GetProperty("status").GetString());

        await StepUntilDoneAsync(Runners(http, "lin", 3, binary));

        var model = await http.GetModelAsync("lin", binary);
        var reference = await ReferenceAsync(3, 3, FederatedStrategies.FedAvg());
        Assert.Equal(reference.Flatten(), model.Flatten());
        var (rounds, _) = await http.GetHistoryAsync("lin");
        Assert.Equal([1, 2, 3], rounds.Select(r => r.Round));
        Assert.All(rounds, r => Assert.Equal(Ids(3), r.Participants));
        Assert.Equal("completed", (await http.GetTaskAsync("lin")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task FedProx_sends_its_proximal_factor_and_FedAdam_its_client_rate_in_the_round_config()
    {
        await using var server = await FlServer.StartAsync();
        var http = server.Client();
        await http.CreateTaskAsync(Spec("prox", 1, 2, new JsonObject { ["name"] = "fedprox", ["proximal_mu"] = 0.25 }), LinearLearner.InitialModel());
        await http.CreateTaskAsync(Spec("adam", 1, 2, new JsonObject { ["name"] = "fedadam", ["eta_l"] = 0.05 }), LinearLearner.InitialModel());
        foreach (var id in Ids(2))
        {
            await http.JoinAsync("prox", id);
            await http.JoinAsync("adam", id);
        }

        var prox = await http.GetRoundAsync("prox", "client-0");
        Assert.Equal(("fit", 1, 1), (prox.Action, prox.Round, prox.Attempt));
        Assert.Equal(0.25, prox.Config["proximal_mu"]);
        Assert.Equal(0.05, (await http.GetRoundAsync("adam", "client-1")).Config["eta_l"]);
    }

    [Fact]
    public async Task Evaluation_rounds_follow_due_fit_rounds_and_the_history_has_the_sample_weighted_loss()
    {
        await using var server = await FlServer.StartAsync();
        var http = server.Client();
        await http.CreateTaskAsync(Spec("eval", 4, 3, more: s => s["evaluation"] = new JsonObject { ["every"] = 2 }), LinearLearner.InitialModel());
        var runners = Runners(http, "eval", 3);
        await StepUntilDoneAsync(runners);

        var (rounds, evaluations) = await http.GetHistoryAsync("eval");
        Assert.Equal(4, rounds.Count);
        Assert.Equal([2, 4], evaluations.Select(e => e.Round));
        Assert.All(runners, r => Assert.Equal(2, r.EvaluateCount));

        var model = await http.GetModelAsync("eval");
        var scores = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => new LinearLearner(i).EvaluateAsync(model, new Dictionary<string, double>(), default)));
        var expected = scores.Sum(s => s.Loss * s.SampleCount) / scores.Sum(s => s.SampleCount);
        Assert.Equal(expected, evaluations[^1].Loss!.Value, 6);
        Assert.True(evaluations[^1].Loss < evaluations[0].Loss, "training should lower the evaluated loss");
    }

    [Fact]
    public async Task An_evaluation_round_closes_at_its_timeout_with_the_answers_it_has_and_the_task_goes_on()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await FlServer.StartAsync(configure: o => o.TimeProvider = time);
        var http = server.Client();
        await http.CreateTaskAsync(Spec("evt", 2, 2, more: s => s["evaluation"] = new JsonObject { ["every"] = 1, ["timeout_seconds"] = 20 }), LinearLearner.InitialModel());
        var runners = Runners(http, "evt", 2);
        await StepUntilDoneAsync(runners, () => http.GetTaskAsync("evt").Result.GetProperty("status").GetString() == "evaluating");
        Assert.Equal("evaluate", (await runners[0].StepAsync()).Action);
        Assert.Equal("wait", (await runners[0].StepAsync()).Action); // client-1 never answers
        time.Advance(TimeSpan.FromSeconds(20));
        var (_, evaluations) = await http.GetHistoryAsync("evt");
        Assert.Equal(["client-0"], Assert.Single(evaluations).Participants);
        Assert.Equal("fit", (await runners[1].StepAsync()).Action); // round 2 is open
    }

    [Fact]
    public async Task Several_tasks_are_listed_and_each_keeps_its_own_state()
    {
        await using var server = await FlServer.StartAsync();
        var http = server.Client();
        await http.CreateTaskAsync(Spec("a", 1, 2), LinearLearner.InitialModel());
        await http.CreateTaskAsync(Spec("b", 2, 2), LinearLearner.InitialModel());
        await StepUntilDoneAsync(Runners(http, "a", 2));
        var list = await http.ListTasksAsync();
        Assert.Equal(["a", "b"], list.EnumerateArray().Select(t => t.GetProperty("task_id").GetString()));
        Assert.Equal(["completed", "waiting_for_clients"], list.EnumerateArray().Select(t => t.GetProperty("status").GetString()));
    }
}
