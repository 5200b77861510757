using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RoseForest.Cli.Tests;

/// <summary>
/// <c>roseforest cluster up --nodes 3</c> as a real process: it starts its own PostgreSQL and three
/// nodes; a collection created through one node is written through another and read through the
/// third; SIGINT to <c>cluster up</c> (the only process this test starts) stops every node and
/// PostgreSQL. Needs PostgreSQL's binaries (Debian postgresql-15, which test.sh installs).
/// </summary>
public sealed partial class ClusterUpTests
{
    [Fact]
    public async Task Cluster_up_starts_three_nodes_that_serve_one_collection_and_Ctrl_C_stops_them_all()
    {
        using var dir = new TempDir();
        var data = Path.Combine(dir.Path, "cluster");
        var basePort = FreePortRange(7);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { RoseForestCli.Dll, "cluster", "up", "--nodes", "3", "--data", data, "--port", basePort.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ROSEFOREST_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        var log = new StringBuilder();
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Watch(e.Data);
        process.ErrorDataReceived += (_, e) => Watch(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
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

            if (line.StartsWith("Cluster is up", StringComparison.Ordinal))
            {
                up.TrySetResult();
            }
        }

        try
        {
            var first = await Task.WhenAny(up.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(3)));
            Assert.True(first == up.Task, $"cluster up did not come up:\n{Text(log)}");
            var nodes = NodeLine().Matches(Text(log)).Select(m => (Url: new Uri(m.Groups[2].Value), Pid: int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture))).ToList();
            Assert.Equal(3, nodes.Count);
            Assert.Equal(3, nodes.Select(n => n.Url.Port).Distinct().Count());
            var postmaster = int.Parse(File.ReadLines(Path.Combine(data, "pg", "data", "postmaster.pid")).First(), CultureInfo.InvariantCulture);

            using var a = new HttpClient { BaseAddress = nodes[0].Url, Timeout = TimeSpan.FromSeconds(60) };
            using var b = new HttpClient { BaseAddress = nodes[1].Url, Timeout = TimeSpan.FromSeconds(60) };
            using var c = new HttpClient { BaseAddress = nodes[2].Url, Timeout = TimeSpan.FromSeconds(60) };
            using (var cluster = JsonDocument.Parse(await c.GetStringAsync("cluster")))
            {
                Assert.Equal(3, cluster.RootElement.GetProperty("result").GetProperty("peers").EnumerateObject().Count());
            }

            var create = await a.PutAsync("collections/demo", Json("""{"vectors":{"size":4,"distance":"Dot"},"shard_number":3,"replication_factor":2}"""));
            Assert.True(create.IsSuccessStatusCode, await create.Content.ReadAsStringAsync());
            var upsert = await b.PutAsync("collections/demo/points?wait=true", Json("""
                {"points":[{"id":1,"vector":[1,0,0,0],"payload":{"n":"one"}},{"id":2,"vector":[0,1,0,0],"payload":{"n":"two"}},{"id":3,"vector":[0,0,1,0],"payload":{"n":"three"}}]}
                """));
            Assert.True(upsert.IsSuccessStatusCode, await upsert.Content.ReadAsStringAsync());
            var token = upsert.Headers.GetValues("x-roseforest-consistency-token").Single();

            using var read = new HttpRequestMessage(HttpMethod.Post, "collections/demo/points?consistency=session") { Content = Json("""{"ids":[1,2,3],"with_payload":true}""") };
            read.Headers.Add("x-roseforest-consistency-token", token);
            var response = await c.SendAsync(read);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            using var points = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var names = points.RootElement.GetProperty("result").EnumerateArray().Select(p => p.GetProperty("payload").GetProperty("n").GetString()).Order(StringComparer.Ordinal);
            Assert.Equal(["one", "three", "two"], names);

            using (var info = JsonDocument.Parse(await c.GetStringAsync("collections/demo/cluster")))
            {
                var result = info.RootElement.GetProperty("result");
                Assert.Equal(6, result.GetProperty("local_shards").GetArrayLength() + result.GetProperty("remote_shards").GetArrayLength());
            }

            // Ctrl-C: cluster up stops its nodes and its PostgreSQL, then exits 0.
            Assert.Equal(0, Kill(process.Id, 2));
            using (var exit = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
            {
                await process.WaitForExitAsync(exit.Token);
            }

            Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}:\n{Text(log)}");
            Assert.Contains("Cluster stopped.", Text(log), StringComparison.Ordinal);
            foreach (var (_, pid) in nodes)
            {
                Assert.False(IsRunning(pid), $"node pid {pid} still runs");
            }

            Assert.False(IsRunning(postmaster), "PostgreSQL still runs");
            Assert.False(File.Exists(Path.Combine(data, "pg", "data", "postmaster.pid")));
            Assert.False(File.Exists(Path.Combine(data, "cluster.json")));
        }
        finally
        {
            if (!process.HasExited)
            {
                // Only what this test started: cluster up; then cluster down stops the nodes and PostgreSQL it recorded.
                process.Kill();
                await process.WaitForExitAsync();
                using var down = Process.Start(new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { ArgumentList = { RoseForestCli.Dll, "cluster", "down", "--data", data } })!;
                await down.WaitForExitAsync();
            }
        }
    }

    [Fact]
    public async Task Cluster_down_stops_the_nodes_and_postgres_of_a_cluster_up_that_was_killed()
    {
        using var dir = new TempDir();
        var data = Path.Combine(dir.Path, "cluster");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { RoseForestCli.Dll, "cluster", "up", "--nodes", "2", "--data", data, "--port", FreePortRange(5).ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ROSEFOREST_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        var log = new StringBuilder();
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) =>
        {
            lock (log)
            {
                log.AppendLine(e.Data);
            }

            if (e.Data?.StartsWith("Cluster is up", StringComparison.Ordinal) == true)
            {
                up.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (log)
            {
                log.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var nodes = new List<int>();
        try
        {
            var first = await Task.WhenAny(up.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(3)));
            Assert.True(first == up.Task, $"cluster up did not come up:\n{Text(log)}");
            nodes.AddRange(NodeLine().Matches(Text(log)).Select(m => int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)));
            Assert.Equal(2, nodes.Count);
            var postmaster = int.Parse(File.ReadLines(Path.Combine(data, "pg", "data", "postmaster.pid")).First(), CultureInfo.InvariantCulture);

            // cluster up dies without cleaning up: its nodes and PostgreSQL keep running.
            process.Kill();
            await process.WaitForExitAsync();
            Assert.All(nodes, pid => Assert.True(IsRunning(pid)));
            Assert.True(IsRunning(postmaster));

            using var down = Process.Start(new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { ArgumentList = { RoseForestCli.Dll, "cluster", "down", "--data", data }, RedirectStandardOutput = true })!;
            var output = await down.StandardOutput.ReadToEndAsync();
            await down.WaitForExitAsync();
            Assert.True(down.ExitCode == 0, output);
            Assert.Contains("Cluster stopped.", output, StringComparison.Ordinal);
            await WaitGoneAsync(nodes.Append(postmaster));
            Assert.False(File.Exists(Path.Combine(data, "cluster.json")));

            // Nothing left to stop: down says so.
            using var again = Process.Start(new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { ArgumentList = { RoseForestCli.Dll, "cluster", "down", "--data", data }, RedirectStandardError = true })!;
            var error = await again.StandardError.ReadToEndAsync();
            await again.WaitForExitAsync();
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("no cluster was started", error, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }

            if (File.Exists(Path.Combine(data, "cluster.json")))
            {
                using var cleanup = Process.Start(new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { ArgumentList = { RoseForestCli.Dll, "cluster", "down", "--data", data } })!;
                await cleanup.WaitForExitAsync();
            }
        }
    }

    [Fact]
    public async Task Waiting_for_a_node_keeps_asking_when_a_readiness_probe_times_out()
    {
        // A loaded machine: the node listens but the first /readyz takes longer than the client's timeout.
        using var dir = new TempDir();
        var handler = new SlowThenReady();
        using var http = new HttpClient(handler);
        var node = new RoseForest.Cli.Commands.Cluster.LocalNode(1, dir.Path, 1, 2);
        await node.WaitReadyAsync(http, TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal(2, handler.Calls);
    }

    private sealed class SlowThenReady : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            ++Calls == 1
                ? throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 5 seconds elapsing.", new TimeoutException())
                : Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
    }

    /// <summary>Waits until the processes are gone (a stopped PostgreSQL's postmaster exits a moment after pg_ctl returns).</summary>
    private static async Task WaitGoneAsync(IEnumerable<int> pids)
    {
        for (var i = 0; i < 100 && pids.Any(IsRunning); i++)
        {
            await Task.Delay(100);
        }

        Assert.All(pids, pid => Assert.False(IsRunning(pid), $"pid {pid} still runs"));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string Text(StringBuilder log)
    {
        lock (log)
        {
            return log.ToString();
        }
    }

    /// <summary>Alive and not a zombie (a reaped or exited process is not running).</summary>
    private static bool IsRunning(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        try
        {
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state is not ("Z" or "X");
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>A base port whose next <paramref name="count"/> ports are free now.</summary>
    private static int FreePortRange(int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var basePort = Random.Shared.Next(20_000, 60_000);
            var listeners = new List<TcpListener>();
            try
            {
                for (var p = basePort; p < basePort + count; p++)
                {
                    var l = new TcpListener(IPAddress.Loopback, p);
                    l.Start();
                    listeners.Add(l);
                }

                return basePort;
            }
            catch (SocketException)
            {
            }
            finally
            {
                listeners.ForEach(l => l.Stop());
            }
        }

        throw new InvalidOperationException("no free port range found.");
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [GeneratedRegex(@"^node (\d+): (http://\S+) .*pid (\d+)\)", RegexOptions.Multiline)]
    private static partial Regex NodeLine();
}
