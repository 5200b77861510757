using System.Diagnostics;

namespace RoseForest.Knowledge.Http.Tests;

/// <summary>
/// On a server with API keys, every knowledge and sync route refuses a caller without a key (the
/// REST key middleware lets these paths through to the part's own check, which must not let them
/// through in turn); and the CLI's sync verb drives a job end to end.
/// </summary>
public sealed class LockedServerTests
{
    private static readonly (string Method, string Path)[] Routes =
    [
        ("POST", "/register?node_id=n&public_key=k"), ("POST", "/knowledge"), ("GET", "/knowledge"), ("GET", "/knowledge/search?q=x"),
        ("GET", "/knowledge/k"), ("PUT", "/knowledge/k"), ("DELETE", "/knowledge/k"), ("POST", "/knowledge/k/evaluate"), ("POST", "/conflict/k/resolve"),
        ("GET", "/sync/node"), ("GET", "/sync/collections"), ("GET", "/sync/collections/c"), ("POST", "/sync/collections/c/prepare"),
        ("GET", "/sync/collections/c/changes"), ("POST", "/sync/collections/c/changes"), ("GET", "/sync/collections/c/checkpoints/x"),
        ("POST", "/sync/collections/c/apply"), ("GET", "/sync/collections/c/conflicts"), ("GET", "/sync/collections/c/hash"),
        ("GET", "/sync/knowledge/changes"), ("POST", "/sync/knowledge/changes"), ("GET", "/sync/knowledge/checkpoints/x"), ("POST", "/sync/knowledge/apply"),
        ("GET", "/sync/knowledge/ack"), ("POST", "/sync/knowledge/ack/x"), ("GET", "/sync/knowledge/hash"),
        ("POST", "/sync/jobs"), ("GET", "/sync/jobs"), ("GET", "/sync/jobs/job-1"), ("POST", "/sync/jobs/job-1/run"), ("DELETE", "/sync/jobs/job-1"),
    ];

    [Fact]
    public async Task Every_knowledge_and_sync_route_answers_401_without_a_key_or_with_a_wrong_one()
    {
        await using var server = await KnowledgeServer.StartAsync(server: s => s.ApiKey = "server-key");
        Assert.Equal(200, (await server.SendAsync(HttpMethod.Put, "/collections/c", """{"vectors":{"size":2,"distance":"Euclid"}}""", apiKey: "server-key")).Status);
        foreach (var (method, path) in Routes)
        {
            var anonymous = await server.SendAsync(new HttpMethod(method), path, "{}");
            var wrong = await server.SendAsync(new HttpMethod(method), path, "{}", authorization: "not-the-key");
            Assert.True(anonymous.Status == 401, $"{method} {path} answered {anonymous.Status} without a key");
            Assert.True(wrong.Status == 401, $"{method} {path} answered {wrong.Status} with a wrong key");
        }
    }

    [Fact]
    public async Task The_cli_sync_verb_runs_a_job_and_reports_what_moved()
    {
        await using var a = await KnowledgeServer.StartAsync(o => o.NodeId = "node-a");
        await using var b = await KnowledgeServer.StartAsync(o => o.NodeId = "node-b");
        await SyncTests.CreateAsync(a, "c", 2, "Euclid");
        await SyncTests.UpsertAsync(a, "c", Enumerable.Range(1, 7).Select(i => SyncTests.Point(i, i, null, dimension: 2)));

        var (code, output) = await RunCliAsync("sync", "--from", a.BaseAddress.ToString(), "--collection", "c", "--url", b.BaseAddress.ToString());
        Assert.True(code == 0, output);
        Assert.Contains("collection:c: pulled 7, pushed 0", output, StringComparison.Ordinal);
        await SyncTests.AssertSameAsync("c", a, b);

        var (failed, message) = await RunCliAsync("sync", "--from", a.BaseAddress.ToString(), "--collection", "missing", "--url", b.BaseAddress.ToString());
        Assert.Equal(1, failed);
        Assert.Contains("exists on neither side", message, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output)> RunCliAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(RoseForestCli.Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout + await stderr);
    }
}
