using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using RoseForest.Federated.Client;
using RoseForest.Federated.Strategies;
using static RoseForest.Federated.Http.Tests.Runs;

namespace RoseForest.Federated.Http.Tests;

/// <summary>Task state survives restarts: a clean one in process, and SIGKILL of the real server process.</summary>
public sealed partial class DurabilityTests
{
    [Fact]
    public async Task A_real_server_killed_with_sigkill_after_two_rounds_and_mid_round_resumes_and_ends_as_an_uninterrupted_run()
    {
        using var dir = new TempDir();
        const int Rounds = 5;
        const int Clients = 3;
        string? finalHash;
        await using (var first = await ServeProcess.StartAsync(dir.Path))
        {
            var http = new FederatedHttpClient(first.Http);
            await http.CreateTaskAsync(Spec("crash", Rounds, Clients), LinearLearner.InitialModel(), binary: true);
            var runners = Runners(http, "crash", Clients, binary: true);
            await StepUntilDoneAsync(runners, () => (http.GetTaskAsync("crash").Result).GetProperty("rounds_completed").GetInt32() >= 2);
            Assert.Equal(2, (await http.GetTaskAsync("crash")).GetProperty("rounds_completed").GetInt32());
            await runners[0].StepAsync(); // client-0's round-3 update is accepted, then the process dies
            Assert.Equal(1, (await http.GetTaskAsync("crash")).GetProperty("current").GetProperty("received").GetInt32());
            first.Kill();
        }

        await using (var second = await ServeProcess.StartAsync(dir.Path))
        {
            var http = new FederatedHttpClient(second.Http);
            var task = await http.GetTaskAsync("crash");
            Assert.Equal((3, 1), (task.GetProperty("round").GetInt32(), task.GetProperty("current").GetProperty("received").GetInt32()));
            await StepUntilDoneAsync(Runners(http, "crash", Clients, binary: true));
            var model = await http.GetModelAsync("crash");
            Assert.Equal((await ReferenceAsync(Rounds, Clients, FederatedStrategies.FedAvg())).Flatten(), model.Flatten());
            var (rounds, _) = await http.GetHistoryAsync("crash");
            Assert.Equal(Enumerable.Range(1, Rounds), rounds.Select(r => r.Round));
            Assert.All(rounds, r => Assert.Equal(Ids(Clients), r.Participants));
            Assert.All(rounds, r => Assert.Equal(1, r.Attempts));
            finalHash = (await http.GetTaskAsync("crash")).GetProperty("model_hash").GetString();
        }

        Assert.Equal(64, finalHash!.Length);
    }

    [Fact]
    public async Task A_clean_restart_keeps_the_open_rounds_updates_the_evaluation_state_and_the_deadline()
    {
        using var dir = new TempDir();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await FlServer.StartAsync(dir.Path, o => o.TimeProvider = time);
        var http = server.Client();
        var spec = Spec("restart", rounds: 2, clients: 3, more: s => s["evaluation"] = new System.Text.Json.Nodes.JsonObject { ["every"] = 1 });
        spec["min_fit_clients"] = 2;
        spec["round_timeout_seconds"] = 60;
        await http.CreateTaskAsync(spec, LinearLearner.InitialModel());
        var runners = Runners(http, "restart", 3);
        foreach (var r in runners.Take(2))
        {
            await r.StepAsync(); // joins
        }

        await runners[2].StepAsync(); // the third joins: the round opens and it fits
        await runners[0].StepAsync();  // client-0 fits too; client-1 is the straggler

        await server.RestartAsync();
        http = server.Client();
        var task = await http.GetTaskAsync("restart");
        Assert.Equal(2, task.GetProperty("current").GetProperty("received").GetInt32());
        time.Advance(TimeSpan.FromSeconds(60)); // the re-armed deadline closes the round with the two updates
        var (rounds, _) = await http.GetHistoryAsync("restart");
        Assert.Equal(["client-0", "client-2"], Assert.Single(rounds).Participants);

        var fresh = Runners(http, "restart", 3);
        Assert.Equal("evaluate", (await fresh[1].StepAsync()).Action);
        await server.RestartAsync();
        http = server.Client();
        fresh = Runners(http, "restart", 3);
        Assert.Equal("wait", (await fresh[1].StepAsync()).Action); // its evaluation survived the restart
        await StepUntilDoneAsync(fresh);
        var (_, evaluations) = await http.GetHistoryAsync("restart");
        Assert.Equal([1, 2], evaluations.Select(e => e.Round));
        Assert.Equal(Ids(3), evaluations[0].Participants);
    }

    [Fact]
    public async Task A_task_whose_state_is_unreadable_answers_503_is_left_on_disk_and_the_others_serve()
    {
        using var dir = new TempDir();
        await using var server = await FlServer.StartAsync(dir.Path);
        var http = server.Client();
        await http.CreateTaskAsync(Spec("good", 1, 2), LinearLearner.InitialModel());
        await http.CreateTaskAsync(Spec("bad", 1, 2), LinearLearner.InitialModel());
        await http.JoinAsync("bad", "client-0");
        var state = Path.Combine(dir.Path, "federated", "bad", Storage.FileFederatedStateStore.FileName);
        Assert.True(File.Exists(state));
        Assert.Empty(Directory.GetFiles(Path.Combine(dir.Path, "federated", "bad"), "*.tmp"));

        await server.RestartAsync();
        await File.WriteAllBytesAsync(state, "RFFL\u0009\u0000garbage"u8.ToArray());
        await server.RestartAsync();
        var (status, body) = await server.SendAsync(HttpMethod.Get, "/fl/tasks/bad");
        Assert.Equal((503, "task_faulted"), (status, body.GetProperty("status").GetProperty("code").GetString()));
        Assert.True(File.Exists(state));
        await StepUntilDoneAsync(Runners(server.Client(), "good", 2));
    }

    /// <summary>The real <c>roseforest serve</c> in a child process.</summary>
    private sealed partial class ServeProcess : IAsyncDisposable
    {
        private readonly Process _process;

        private ServeProcess(Process process, Uri url)
        {
            _process = process;
            Http = new HttpClient { BaseAddress = url };
        }

        public HttpClient Http { get; }

        public static async Task<ServeProcess> StartAsync(string data)
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { RoseForestCli.Dll, "serve", "--port", "0", "--data", data })
            {
                start.ArgumentList.Add(arg);
            }

            var process = Process.Start(start)!;
            var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            var log = new System.Text.StringBuilder();
            void Watch(string? line)
            {
                if (line is null)
                {
                    return;
                }

                lock (log)
                {
                    log.AppendLine(line);
                }

                if (Listening().Match(line) is { Success: true } m)
                {
                    listening.TrySetResult(m.Groups[1].Value);
                }
            }

            process.OutputDataReceived += (_, e) => Watch(e.Data);
            process.ErrorDataReceived += (_, e) => Watch(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var finished = await Task.WhenAny(listening.Task, Task.Delay(TimeSpan.FromSeconds(60)));
            Assert.True(finished == listening.Task, $"the server did not start:\n{log}");
            return new ServeProcess(process, new Uri(listening.Task.Result + "/"));
        }

        public void Kill()
        {
            Assert.Equal(0, SendSignal(_process.Id, 9)); // SIGKILL
            _process.WaitForExit();
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            if (!_process.HasExited)
            {
                Assert.Equal(0, SendSignal(_process.Id, 15));
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }

        [GeneratedRegex(@"listening on (http://[^,\s]+?)/?,")]
        private static partial Regex Listening();

        [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
        private static partial int SendSignal(int pid, int signal);
    }
}
