using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using RoseForest.Federated.Client;
using RoseForest.Federated.Strategies;
using static RoseForest.Federated.Http.Tests.Runs;

namespace RoseForest.Federated.Http.Tests;

/// <summary>Secure aggregation through the HTTP coordinator: the same model as plain FedAvg within quantization, with and without a dropout.</summary>
public sealed class SecureAggregationTests
{
    private static JsonObject SecureSpec(string id, int rounds, int clients, int threshold, double stageTimeout = 600) =>
        Spec(id, rounds, clients, more: s => s["secure_aggregation"] = new JsonObject { ["threshold"] = threshold, ["max_samples"] = 100, ["stage_timeout_seconds"] = stageTimeout });

    [Fact]
    public async Task A_secure_task_ends_with_the_plain_FedAvg_model_within_quantization_and_the_coordinator_never_holds_an_update()
    {
        await using var server = await FlServer.StartAsync();
        var http = server.Client();
        await http.CreateTaskAsync(SecureSpec("sec", rounds: 2, clients: 4, threshold: 3), LinearLearner.InitialModel());
        var runners = Runners(http, "sec", 4);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var run = Task.WhenAll(runners.Select(r => r.RunAsync(cancel.Token)));
        var receivedSeen = 0;
        while (!run.IsCompleted)
        {
            var current = (await http.GetTaskAsync("sec")).GetProperty("current");
            receivedSeen += current.ValueKind == System.Text.Json.JsonValueKind.Object ? current.GetProperty("received").GetInt32() : 0;
            await Task.Delay(5);
        }

        Assert.All(await run, Assert.True);
        Assert.Equal(0, receivedSeen);
        var model = (await http.GetModelAsync("sec")).Flatten();
        var reference = (await ReferenceAsync(2, 4, FederatedStrategies.FedAvg())).Flatten();
        for (var i = 0; i < model.Length; i++)
        {
            Assert.Equal(reference[i], model[i], 1e-3); // 2^-16 steps, 4 clients, 2 rounds, weights 0.2
        }

        var (rounds, _) = await http.GetHistoryAsync("sec");
        Assert.All(rounds, r => Assert.Equal(Ids(4), r.Participants));
        Assert.Equal(80, rounds[0].Samples);
    }

    [Fact]
    public async Task A_client_that_drops_after_sharing_keys_is_unmasked_away_at_the_stage_timeout()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await FlServer.StartAsync(configure: o => o.TimeProvider = time);
        var http = server.Client();
        var spec = SecureSpec("drop", rounds: 1, clients: 4, threshold: 3, stageTimeout: 30);
        spec["min_fit_clients"] = 3; // the round may close with the three survivors
        await http.CreateTaskAsync(spec, LinearLearner.InitialModel());
        var runners = Runners(http, "drop", 4);

        // All four advertise and share; then client-3 vanishes before masking.
        foreach (var r in runners)
        {
            await r.JoinAsync();
        }

        var view = await http.GetSecureViewAsync("drop", "client-0");
        Assert.Equal("advertise", view.Stage);
        var clients = runners.Select((r, i) => new Federated.SecureAggregation.SecAggClient(r.ClientId, view.Options!)).ToArray();
        for (var i = 0; i < 4; i++)
        {
            await http.PostKeysAsync("drop", view.Session, clients[i].AdvertiseKeys());
        }

        var share = await http.GetSecureViewAsync("drop", "client-0");
        Assert.Equal("share", share.Stage);
        for (var i = 0; i < 4; i++)
        {
            await http.PostSharesAsync("drop", share.Session, clients[i].ShareKeys(share.Roster!));
        }

        var global = LinearLearner.InitialModel();
        var inputs = new List<float[]>();
        for (var i = 0; i < 3; i++)
        {
            var mask = await http.GetSecureViewAsync("drop", runners[i].ClientId);
            Assert.Equal("mask", mask.Stage);
            clients[i].ReceiveShares(mask.Shares!);
            var fit = await new LinearLearner(i).FitAsync(global, new Dictionary<string, double>(), default);
            var input = FederatedClientRunner.SecureInput(global, new Model.ClientUpdate(runners[i].ClientId, 1, fit.Parameters, fit.SampleCount, Model.UpdateKind.Parameters, fit.Metrics), 100);
            inputs.Add(input);
            await http.PostMaskedAsync("drop", mask.Session, clients[i].MaskInput(input));
        }

        Assert.Equal("mask", (await http.GetSecureViewAsync("drop", "client-0")).Stage);
        time.Advance(TimeSpan.FromSeconds(30));
        var unmask = await http.GetSecureViewAsync("drop", "client-0");
        Assert.Equal("unmask", unmask.Stage);
        Assert.Equal(["client-3"], unmask.Request!.Dropped);
        for (var i = 0; i < 3; i++)
        {
            await http.PostUnmaskAsync("drop", unmask.Session, clients[i].Unmask(unmask.Request));
        }

        var (rounds, _) = await http.GetHistoryAsync("drop");
        Assert.Equal(Ids(3), Assert.Single(rounds).Participants);
        var model = (await http.GetModelAsync("drop")).Flatten();
        var weights = inputs.Sum(x => x[^1]);
        for (var k = 0; k < model.Length; k++)
        {
            Assert.Equal(inputs.Sum(x => x[k]) / weights, model[k], 1e-3);
        }

        foreach (var c in clients)
        {
            c.Dispose();
        }
    }

    [Fact]
    public async Task A_stage_that_times_out_below_the_threshold_aborts_and_a_new_session_starts_on_the_same_round()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await FlServer.StartAsync(configure: o => o.TimeProvider = time);
        var http = server.Client();
        await http.CreateTaskAsync(SecureSpec("abort", rounds: 1, clients: 4, threshold: 3, stageTimeout: 30), LinearLearner.InitialModel());
        foreach (var id in Ids(4))
        {
            await http.JoinAsync("abort", id);
        }

        var first = await http.GetSecureViewAsync("abort", "client-0");
        var options = first.Options!;
        using var a = new Federated.SecureAggregation.SecAggClient("client-0", options);
        using var b = new Federated.SecureAggregation.SecAggClient("client-1", options);
        await http.PostKeysAsync("abort", first.Session, a.AdvertiseKeys());
        await http.PostKeysAsync("abort", first.Session, b.AdvertiseKeys());
        var again = await Assert.ThrowsAsync<FederatedRequestException>(() => http.PostKeysAsync("abort", first.Session, a.AdvertiseKeys()));
        Assert.Equal("duplicate_update", again.Code);

        time.Advance(TimeSpan.FromSeconds(30)); // two of four advertised; the threshold is three
        var next = await http.GetSecureViewAsync("abort", "client-0");
        Assert.Equal(("advertise", first.Round, first.Attempt), (next.Stage, next.Round, next.Attempt));
        Assert.True(next.Session > first.Session);
        Assert.False(next.Sent);
        var stale = await Assert.ThrowsAsync<FederatedRequestException>(() => http.PostKeysAsync("abort", first.Session, a.AdvertiseKeys()));
        Assert.Equal("session_mismatch", stale.Code);
        Assert.Empty((await http.GetHistoryAsync("abort")).Rounds);
    }

    [Fact]
    public async Task Plain_updates_are_refused_by_a_secure_task()
    {
        await using var server = await FlServer.StartAsync();
        var http = server.Client();
        await http.CreateTaskAsync(SecureSpec("s", 1, 2, 2), LinearLearner.InitialModel());
        await http.JoinAsync("s", "client-0");
        await http.JoinAsync("s", "client-1");
        var e = await Assert.ThrowsAsync<FederatedRequestException>(() => http.SubmitUpdateAsync("s", new Model.ClientUpdate("client-0", 1, LinearLearner.InitialModel(), 5)));
        Assert.Equal((409, "secure_aggregation"), (e.Status, e.Code));
    }
}
