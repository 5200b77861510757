using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace RoseForest.Dashboard.Tests;

/// <summary>A real <c>roseforest serve</c> child process on a free loopback port, with a full and a read-only key.</summary>
internal sealed partial class ServeProcess : IAsyncDisposable
{
    public const string AdminKey = "dash-admin-key";
    public const string ReadOnlyKey = "dash-read-only-key";

    private readonly StringBuilder _log = new();
    private Process? _process;

    private readonly string[] _extra;

    public ServeProcess(string dataPath, params string[] extraArguments)
    {
        DataPath = dataPath;
        _extra = extraArguments;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        BaseAddress = new Uri($"http://127.0.0.1:{Port}/");
    }

    public string DataPath { get; }

    public int Port { get; }

    public Uri BaseAddress { get; }

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
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            RoseForestCli.Dll, "serve", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--grpc-port", "0", "--data", DataPath,
            "--api-key", AdminKey, "--read-only-api-key", ReadOnlyKey, "--embedder", "hashing-64", "--knowledge-rate-limit", "0",
        }.Concat(_extra))
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
            throw new InvalidOperationException($"roseforest serve did not start:\n{Log}");
        }
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

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
