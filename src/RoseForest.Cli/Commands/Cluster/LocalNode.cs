using System.Diagnostics;
using System.Globalization;

namespace RoseForest.Cli.Commands.Cluster;

/// <summary>
/// One <c>roseforest serve --cluster</c> child process of <c>cluster up</c>: its own REST and
/// gRPC ports and data folder, its output appended to <c>serve.log</c> in that folder (redirected
/// by the shell it is exec'd from, so it keeps logging if <c>cluster up</c> goes away).
/// </summary>
internal sealed class LocalNode(int number, string dataPath, int port, int grpcPort)
{
    public int Number { get; } = number;

    public string DataPath { get; } = dataPath;

    public int Port { get; } = port;

    public int GrpcPort { get; } = grpcPort;

    public Uri Url => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}"));

    public string LogPath => Path.Combine(DataPath, "serve.log");

    public int Pid { get; private set; }

    private Process? _process;

    /// <summary>Starts the node: this same program (the apphost, or dotnet with this assembly) with the serve verb.</summary>
    public void Start(string connectionString)
    {
        Directory.CreateDirectory(DataPath);
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("log=\"$1\"; shift; exec \"$@\" >>\"$log\" 2>&1 </dev/null");
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add(LogPath);
        foreach (var arg in SelfCommand())
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var arg in new[]
        {
            "serve", "--port", Port.ToString(CultureInfo.InvariantCulture), "--grpc-port", GrpcPort.ToString(CultureInfo.InvariantCulture),
            "--data", DataPath, "--cluster", connectionString,
        })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new CliException($"could not start node {Number}.");
        Pid = _process.Id;
    }

    /// <summary>Waits until the node answers /readyz (it joins the cluster before it listens); fails when it exits first.</summary>
    public async Task WaitReadyAsync(HttpClient http, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process is { HasExited: true })
            {
                throw new CliException($"node {Number} exited with code {_process.ExitCode}; its log ({LogPath}) ends with:\n{Tail()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Url, "/readyz"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Listening but slow to answer (a loaded machine): ask again until the deadline.
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new CliException($"node {Number} did not answer on {Url} within {timeout.TotalSeconds:0} s; its log ({LogPath}) ends with:\n{Tail()}");
    }

    /// <summary>Asks the node to stop (SIGTERM: the server flushes and closes), then kills it if it has not exited in time.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        await ProcessSignals.SendAsync(Pid, "TERM");
        using var wait = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            await _process.WaitForExitAsync(CancellationToken.None);
        }
    }

    private string Tail() => File.Exists(LogPath) ? string.Join('\n', File.ReadLines(LogPath).TakeLast(15)) : "(no log)";

    /// <summary>How to run this program again: the apphost itself, or <c>dotnet roseforest.dll</c>.</summary>
    internal static IReadOnlyList<string> SelfCommand()
    {
        var host = Environment.ProcessPath ?? throw new CliException("the path of this program is unknown.");
        return Path.GetFileNameWithoutExtension(host) == "dotnet" ? [host, typeof(LocalNode).Assembly.Location] : [host];
    }
}
