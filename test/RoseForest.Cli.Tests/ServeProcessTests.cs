using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using RoseForest.Engine;

namespace RoseForest.Cli.Tests;

/// <summary>The real <c>roseforest serve</c> process: SIGTERM shuts it down cleanly (log flushed, snapshot taken, exit 0).</summary>
public partial class ServeProcessTests
{
    [Fact]
    public async Task Sigterm_flushes_takes_snapshots_and_exits_zero()
    {
        using var tmp = new TempDir();
        var cli = Path.Combine(AppContext.BaseDirectory, "roseforest.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { cli, "serve", "--port", "0", "--data", tmp.Path })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new System.Text.StringBuilder();
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

            if (ListeningPattern().Match(line) is { Success: true } m)
            {
                listening.TrySetResult(m.Groups[1].Value);
            }
        }

        var url = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        using (var http = new HttpClient { BaseAddress = new Uri(url) })
        {
            Assert.True((await http.PutAsync("collections/t", new StringContent("""{"vectors":{"size":2,"distance":"Euclid"}}"""))).IsSuccessStatusCode);
            Assert.True((await http.PutAsync("collections/t/points?wait=true", new StringContent("""{"points":[{"id":1,"vector":[1,2]},{"id":2,"vector":[3,4]}]}"""))).IsSuccessStatusCode);
        }

        Assert.Equal(0, Kill(process.Id, 15)); // SIGTERM
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}\n{log}");

        var checkpoints = Path.Combine(tmp.Path, "collections", "t", "checkpoints");
        Assert.Single(Directory.GetFiles(checkpoints, "*.snapshot"));
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var t = db.GetCollection("t");
        Assert.Equal(0, t.Recovery!.Wal.RecordsReplayed); // everything was in the shutdown snapshot
        Assert.Equal(2, await t.CountAsync());
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [GeneratedRegex(@"listening on (http://\S+/)")]
    private static partial Regex ListeningPattern();
}
