using System.Diagnostics;

namespace RoseForest.Grpc.Tests;

/// <summary>
/// Qdrant's official JavaScript gRPC client (@qdrant/js-client-grpc 1.19, pinned in
/// test/js-client/package-lock.json; test.sh runs npm ci) against a real server, as the REST JS
/// client runs in RoseForest.Server.Tests.
/// </summary>
public class JsGrpcClientTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("js-grpc-key")]
    public async Task The_official_javascript_grpc_client_works_against_the_server(string? apiKey)
    {
        var folder = Path.Combine(RepoRoot(), "test", "js-client");
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "@qdrant", "js-client-grpc")), "run 'npm ci' in test/js-client (test.sh does) to install the pinned client");
        await using var s = await GrpcServer.StartAsync(o => o.ApiKey = apiKey);
        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("compat-grpc.mjs");
        start.ArgumentList.Add(s.GrpcAddress.ToString().TrimEnd('/'));
        if (apiKey is not null)
        {
            start.ArgumentList.Add(apiKey);
        }

        using var node = Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
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
