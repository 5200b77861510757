using System.Diagnostics;

namespace RoseForest.Communication.Tests;

/// <summary>The official A2A JavaScript SDK (@a2a-js/sdk 1.3.0, pinned in test/a2a-client; test.sh runs npm ci) against the A2A door.</summary>
public class A2aClientTests
{
    [Fact]
    public Task The_a2a_sdk_client_leaves_a_message_for_a_model_and_polls_its_task_until_the_ack() => RunAsync("check.mjs");

    [Fact]
    public Task The_a2a_sdk_json_rpc_client_sends_streams_and_cancels_tasks_in_a2a_1_0_and_0_3() => RunAsync("jsonrpc.mjs");

    private static async Task RunAsync(string script)
    {
        await using var server = await CommServer.StartAsync();
        var aliceKey = await server.RegisterAsync(Fixtures.Contract("alice", "team"));
        var bobKey = await server.RegisterAsync(Fixtures.Contract("bob", "team", capabilities: ["summarize", "translate"]));
        var folder = Path.Combine(RepoRoot(), "test", "a2a-client");
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "@a2a-js", "sdk")), "run 'npm ci' in test/a2a-client (test.sh does) to install the pinned SDK");
        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { script, server.Server.BaseAddress.ToString().TrimEnd('/'), aliceKey, "bob", bobKey })
        {
            start.ArgumentList.Add(argument);
        }

        using var node = Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await node.WaitForExitAsync(timeout.Token);
        Assert.True(node.ExitCode == 0, $"node exited {node.ExitCode}\n{await stdout}\n{await stderr}");
        Assert.Contains("all checks passed", await stdout, StringComparison.Ordinal);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RoseForest.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("run the tests from inside the repository");
    }
}
