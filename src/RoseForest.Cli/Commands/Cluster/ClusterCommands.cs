using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace RoseForest.Cli.Commands.Cluster;

/// <summary>
/// <c>roseforest cluster up</c> and <c>cluster down</c>: a local cluster for trying cluster mode
/// on one machine: a PostgreSQL of its own (initdb in a folder, its own port) and N
/// <c>serve --cluster</c> nodes, each with its own ports and data folder. <c>up</c> stays in the
/// foreground and stops everything it started on Ctrl-C or SIGTERM; <c>down</c> stops a cluster
/// whose <c>up</c> is gone (or asks the running <c>up</c> to stop), by the process ids <c>up</c>
/// recorded in the folder's <c>cluster.json</c>.
/// </summary>
internal static class ClusterCommands
{
    private const string StateFile = "cluster.json";

    private static readonly Option<string> Data = new("--data") { Description = "The cluster's folder: pg/ (PostgreSQL), node1..nodeN/ (each node's data and serve.log), cluster.json (default ./roseforest-cluster).", DefaultValueFactory = _ => "./roseforest-cluster" };

    public static Command Create()
    {
        var nodes = new Option<int>("--nodes") { Description = "How many nodes (1-16, default 3).", DefaultValueFactory = _ => 3 };
        var port = new Option<int>("--port") { Description = "The first node's REST port (default 6333); node i listens on port+2(i-1) (REST) and port+2(i-1)+1 (gRPC).", DefaultValueFactory = _ => 6333 };
        var pgPort = new Option<int?>("--pg-port") { Description = "PostgreSQL's port (default: the port after the last node's gRPC port)." };
        var pgBin = new Option<string?>("--pg-bin") { Description = "The folder of PostgreSQL's initdb and pg_ctl (default: the newest /usr/lib/postgresql/N/bin, else PATH)." };
        var up = new Command("up", "Start a local PostgreSQL and N cluster nodes, print their URLs, and stop them all on Ctrl-C.") { nodes, port, pgPort, pgBin, Data };
        up.SetAction((parse, ct) => UpAsync(parse.GetValue(Data)!, parse.GetValue(nodes), parse.GetValue(port), parse.GetValue(pgPort), parse.GetValue(pgBin), ct));
        var down = new Command("down", "Stop the local cluster that cluster up started in --data (its nodes and its PostgreSQL).") { Data };
        down.SetAction((parse, ct) => DownAsync(parse.GetValue(Data)!, ct));
        return new Command("cluster", "A local cluster for trying cluster mode on one machine (see docs/cluster.md).") { up, down };
    }

    /// <summary>Whether the command handles SIGINT/SIGTERM itself (System.CommandLine's handler would end the process 2 s after the signal, mid-shutdown).</summary>
    public static bool HandlesOwnSignals(Command command) => command.Name == "up" && command.Parents.OfType<Command>().Any(p => p.Name == "cluster");

    private static async Task<int> UpAsync(string data, int count, int basePort, int? pgPortGiven, string? pgBinGiven, CancellationToken ct)
    {
        if (count is < 1 or > 16)
        {
            throw new CliException($"--nodes must be between 1 and 16, got {count}.");
        }

        var pgPort = pgPortGiven ?? basePort + (2 * count);
        foreach (var p in new[] { basePort, basePort + (2 * count) - 1, pgPort })
        {
            if (p is < 1 or > 65535)
            {
                throw new CliException($"ports must be between 1 and 65535; --port {basePort} with {count} nodes reaches {p}.");
            }
        }

        var folder = Path.GetFullPath(data);
        Directory.CreateDirectory(folder);
        if (await ReadStateAsync(folder) is { } old
            && (ProcessSignals.IsAlive(old.UpPid, "cluster") || old.Nodes.Any(n => ProcessSignals.IsAlive(n.Pid, n.DataPath))))
        {
            throw new CliException($"a cluster started from {folder} is still running; stop it first with: roseforest cluster down --data {data}");
        }

        // Stop on Ctrl-C and SIGTERM, after everything started has been stopped.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        var postgres = new LocalPostgres(Path.Combine(folder, "pg"), pgPort, LocalPostgres.FindBinDirectory(pgBinGiven));
        var nodes = Enumerable.Range(1, count)
            .Select(i => new LocalNode(i, Path.Combine(folder, $"node{i}"), basePort + (2 * (i - 1)), basePort + (2 * (i - 1)) + 1))
            .ToList();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            Console.WriteLine($"Starting PostgreSQL in {postgres.DataDirectory} on port {pgPort}...");
            await postgres.StartAsync(stop.Token);
            foreach (var node in nodes)
            {
                node.Start(postgres.ConnectionString);
            }

            await WriteStateAsync(folder, new ClusterStateFile(Environment.ProcessId, postgres.Folder, pgBinGiven, [.. nodes.Select(n => new NodeEntry(n.Number, n.Pid, n.Url.ToString(), n.DataPath))]));
            await Task.WhenAll(nodes.Select(n => n.WaitReadyAsync(http, TimeSpan.FromSeconds(120), stop.Token)));
            Console.WriteLine($"PostgreSQL: {postgres.ConnectionString}");
            foreach (var node in nodes)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"node {node.Number}: {node.Url} (gRPC port {node.GrpcPort}, data {node.DataPath}, log {node.LogPath}, pid {node.Pid})"));
            }

            Console.WriteLine("Cluster is up. Ctrl-C (or roseforest cluster down) stops every node and PostgreSQL.");
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            Console.WriteLine("Stopping the nodes and PostgreSQL...");
            await Task.WhenAll(nodes.Select(n => n.StopAsync(TimeSpan.FromSeconds(30))));
            await postgres.StopAsync();
            File.Delete(Path.Combine(folder, StateFile));
            Console.WriteLine("Cluster stopped.");
        }

        return 0;
    }

    private static async Task<int> DownAsync(string data, CancellationToken ct)
    {
        var folder = Path.GetFullPath(data);
        var state = await ReadStateAsync(folder) ?? throw new CliException($"no cluster was started from {folder} (no {StateFile}).");
        if (ProcessSignals.IsAlive(state.UpPid, "cluster"))
        {
            // cluster up is still there: it stops what it started.
            await ProcessSignals.SendAsync(state.UpPid, "TERM");
            while (ProcessSignals.IsAlive(state.UpPid, "cluster"))
            {
                await Task.Delay(200, ct);
            }

            Console.WriteLine("Cluster stopped.");
            return 0;
        }

        // cluster up is gone (killed): stop its nodes by their recorded ids, then PostgreSQL.
        foreach (var node in state.Nodes.Where(n => ProcessSignals.IsAlive(n.Pid, n.DataPath)))
        {
            await ProcessSignals.SendAsync(node.Pid, "TERM");
        }

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (state.Nodes.Any(n => ProcessSignals.IsAlive(n.Pid, n.DataPath)) && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(200, ct);
        }

        foreach (var node in state.Nodes.Where(n => ProcessSignals.IsAlive(n.Pid, n.DataPath)))
        {
            await ProcessSignals.SendAsync(node.Pid, "KILL");
        }

        await new LocalPostgres(state.PgFolder, 0, LocalPostgres.FindBinDirectory(state.PgBin)).StopAsync();
        File.Delete(Path.Combine(folder, StateFile));
        Console.WriteLine("Cluster stopped.");
        return 0;
    }

    private static async Task<ClusterStateFile?> ReadStateAsync(string folder)
    {
        var path = Path.Combine(folder, StateFile);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ClusterStateFile>(await File.ReadAllTextAsync(path));
        }
        catch (JsonException e)
        {
            throw new CliException($"{path} is not a cluster state file: {e.Message}");
        }
    }

    private static Task WriteStateAsync(string folder, ClusterStateFile state) =>
        File.WriteAllTextAsync(Path.Combine(folder, StateFile), JsonSerializer.Serialize(state));

    /// <summary>What cluster up started, so cluster down can stop exactly those processes.</summary>
    internal sealed record ClusterStateFile(int UpPid, string PgFolder, string? PgBin, IReadOnlyList<NodeEntry> Nodes);

    internal sealed record NodeEntry(int Number, int Pid, string Url, string DataPath);
}
