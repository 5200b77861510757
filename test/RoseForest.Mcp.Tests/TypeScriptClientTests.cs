using System.Diagnostics;

namespace RoseForest.Mcp.Tests;

/// <summary>
/// The official MCP TypeScript SDK client (@modelcontextprotocol/sdk, pinned in
/// test/mcp-client/package-lock.json; test.sh runs npm ci) listing the tools and calling each one,
/// over streamable HTTP and over stdio.
/// </summary>
public class TypeScriptClientTests
{
    [Fact]
    public async Task The_typescript_sdk_client_works_over_streamable_http()
    {
        await using var server = await MemoryServer.StartAsync(apiKey: "ts-key");
        await RunAsync("http", server.BaseAddress.ToString().TrimEnd('/'), "ts-key");
    }

    [Fact]
    public async Task The_typescript_sdk_client_works_over_stdio()
    {
        using var dir = new TempDir();
        await RunAsync("stdio", Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", RoseForestCli.Dll, "mcp", "--data", dir.Path, "--embedder", "hashing-256");
    }

    private static async Task RunAsync(params string[] arguments)
    {
        var folder = Path.Combine(RepoRoot(), "test", "mcp-client");
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "@modelcontextprotocol", "sdk")), "run 'npm ci' in test/mcp-client (test.sh does) to install the pinned SDK");
        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("check.mjs");
        foreach (var argument in arguments)
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
