using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace RoseForest.Testing;

/// <summary>
/// A real <c>roseforest serve</c> child process on a free loopback port (kept across restarts, so a
/// test can SIGKILL it and start it again), with the caller's arguments after the port and data folder.
/// </summary>
internal sealed partial class ServeProcess : IAsyncDisposable
{
    private readonly StringBuilder _log = new();
    private Process? _process;
    private bool _restarted;

    public ServeProcess(string name, string dataPath, params string[] extraArguments)
    {
        Name = name;
        DataPath = dataPath;
        ExtraArguments = extraArguments;
        Port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}/");
    }

    /// <summary>The name its messages use (a node id, say).</summary>
    public string Name { get; }

    public string DataPath { get; }

    public string[] ExtraArguments { get; }

    public int Port { get; }

    public Uri BaseAddress { get; }

    /// <summary>Set by the test once a killed server is up again (writers wait for it).</summary>
    public bool Restarted
    {
        get => Volatile.Read(ref _restarted);
        set => Volatile.Write(ref _restarted, value);
    }

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
        foreach (var arg in new[] { cli, "serve", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--grpc-port", "0", "--data", DataPath }.Concat(ExtraArguments))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
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

            if (line.Contains("listening on", StringComparison.Ordinal))
            {
                listening.TrySetResult();
            }
        }

        process.OutputDataReceived += (_, e) => Watch(e.Data);
        process.ErrorDataReceived += (_, e) => Watch(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        var first = await Task.WhenAny(listening.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(120)));
        if (first != listening.Task)
        {
            throw new InvalidOperationException($"roseforest serve ({Name}) did not start:\n{Log}");
        }
    }

    /// <summary>Kills the process with SIGKILL: no shutdown, no flush.</summary>
    public async Task KillAsync()
    {
        var process = _process!;
        Assert.Equal(0, Kill(process.Id, 9));
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                _ = Kill(process.Id, 15);
                try
                {
                    await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
                }
                catch (TimeoutException)
                {
                    process.Kill();
                }
            }

            process.Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
