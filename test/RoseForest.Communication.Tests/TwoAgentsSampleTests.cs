using System.Diagnostics;

namespace RoseForest.Communication.Tests;

/// <summary>Runs samples/TwoAgents as two processes against one server.</summary>
public class TwoAgentsSampleTests
{
    [Fact]
    public async Task Two_agent_processes_exchange_messages_and_agree_on_a_consensus()
    {
        await using var server = await CommServer.StartAsync();
        var dll = Path.Combine(RepoRoot(), "samples", "TwoAgents", "bin", new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "TwoAgents.dll");
        Assert.True(File.Exists(dll), $"build samples/TwoAgents first ({dll})");
        var url = server.Server.BaseAddress.ToString();
        var alice = Run(dll, url, "alice", "bob");
        var bob = Run(dll, url, "bob", "alice");
        var (aliceCode, aliceOut) = await alice;
        var (bobCode, bobOut) = await bob;
        Assert.True(aliceCode == 0, aliceOut);
        Assert.True(bobCode == 0, bobOut);
        Assert.Contains("alice received from bob: hello alice, this is bob", aliceOut, StringComparison.Ordinal);
        Assert.Contains("bob received from alice: hello bob, this is alice", bobOut, StringComparison.Ordinal);
        Assert.Contains("consensus of 2 contributors", aliceOut, StringComparison.Ordinal);
        Assert.Contains("consensus of 2 contributors", bobOut, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output)> Run(string dll, string url, string me, string peer)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { dll, url, CommServer.AdminKey, me, peer })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
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
