using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace RoseForest.Cli.Tests;

/// <summary>A real <c>roseforest serve</c> child process on a free loopback port, for tests that kill it.</summary>
internal sealed partial class ServerProcess(Process process, Uri address, System.Text.StringBuilder log) : IAsyncDisposable
{
    /// <summary>What the process printed so far.</summary>
    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    public Process Process { get; } = process;

    public Uri Address { get; } = address;

    public HttpClient Http { get; } = new() { BaseAddress = address };

    /// <summary>Starts <c>roseforest serve</c> on a free port over <paramref name="data"/> and waits until it listens.</summary>
    public static async Task<ServerProcess> StartAsync(string data)
    {
        var cli = RoseForestCli.Dll;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { cli, "serve", "--port", "0", "--data", data })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
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

        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != listening.Task)
        {
            process.Kill();
            process.Dispose();
            throw new InvalidOperationException($"roseforest serve did not start:\n{log}");
        }

        return new ServerProcess(process, new Uri(await listening.Task), log);
    }


    /// <summary>Sends a signal (9 SIGKILL, 15 SIGTERM, 19 SIGSTOP, 18 SIGCONT).</summary>
    public void Signal(int signal) => Assert.Equal(0, Kill(Process.Id, signal));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!Process.HasExited)
        {
            Process.Kill();
            await Process.WaitForExitAsync();
        }

        Process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [GeneratedRegex(@"listening on (http://\S+/)")]
    private static partial Regex ListeningPattern();
}
