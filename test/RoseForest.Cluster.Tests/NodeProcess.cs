using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace RoseForest.Cluster.Tests;

/// <summary>A real <c>roseforest serve --cluster</c> process on a fixed loopback port (so a restart keeps its URL) and its own data folder.</summary>
internal sealed partial class NodeProcess : IDisposable
{
    private readonly string _connectionString;
    private readonly StringBuilder _log = new();
    private Process? _process;

    public NodeProcess(string connectionString, string dataPath)
    {
        _connectionString = connectionString;
        DataPath = dataPath;
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = new Uri($"http://127.0.0.1:{Port}/");
    }

    public int Port { get; }

    public string DataPath { get; }

    public Uri Url { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public async Task StartAsync()
    {
        var cli = RoseForestCli.Dll;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { cli, "serve", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--grpc-port", "0", "--data", DataPath, "--cluster", _connectionString })
        {
            start.ArgumentList.Add(arg);
        }

        // The tests' own settings (ROSEFOREST_TEST_PG, ...) are not server settings: the server refuses unknown ROSEFOREST_* variables.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ROSEFOREST_TEST", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _process = Process.Start(start)!;
        void Watch(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_log)
            {
                _log.AppendLine(line);
            }

            if (line.Contains("RoseForest listening on", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        }

        _process.OutputDataReceived += (_, e) => Watch(e.Data);
        _process.ErrorDataReceived += (_, e) => Watch(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public void Signal(int signal) => Assert.Equal(0, Kill(_process!.Id, signal));

    public async Task KillAsync()
    {
        Signal(9);
        await _process!.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            Kill(_process.Id, 18); // SIGCONT, in case it is stopped
            Kill(_process.Id, 9);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
