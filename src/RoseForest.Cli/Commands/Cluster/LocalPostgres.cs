using System.Diagnostics;
using System.Globalization;

namespace RoseForest.Cli.Commands.Cluster;

/// <summary>
/// A throwaway PostgreSQL for <c>roseforest cluster up</c>: initdb in a folder of its own (once),
/// listening on loopback on its own port, started and stopped with pg_ctl. initdb refuses to run
/// as root, so as root the server runs as the <c>postgres</c> user (Debian's package creates it).
/// </summary>
internal sealed class LocalPostgres(string folder, int port, string binDirectory)
{
    public string Folder { get; } = folder;

    public int Port { get; } = port;

    public string DataDirectory => Path.Combine(Folder, "data");

    /// <summary>The connection string the nodes use.</summary>
    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres");

    /// <summary>The newest installed PostgreSQL's bin folder (Debian: /usr/lib/postgresql/N/bin), or the one given.</summary>
    public static string FindBinDirectory(string? given)
    {
        if (given is not null)
        {
            return File.Exists(Path.Combine(given, "initdb")) ? given : throw new CliException($"--pg-bin {given} has no initdb.");
        }

        const string debian = "/usr/lib/postgresql";
        if (Directory.Exists(debian))
        {
            var newest = Directory.GetDirectories(debian)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1))
                .Where(d => File.Exists(Path.Combine(d.Dir, "initdb")))
                .OrderByDescending(d => d.Version)
                .FirstOrDefault();
            if (newest.Dir is not null)
            {
                return newest.Dir;
            }
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(dir, "initdb")))
            {
                return dir;
            }
        }

        throw new CliException("PostgreSQL's initdb was not found (install postgresql, e.g. Debian's postgresql-15, or give --pg-bin).");
    }

    /// <summary>Creates the database folder the first time, then starts the server (a server already running there is reused).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        if (IsRoot)
        {
            await RunAsync("chown", ["postgres:postgres", Folder], asPostgres: false, cancellationToken);
        }

        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            await RunAsync(Path.Combine(binDirectory, "initdb"), ["-D", DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"], asPostgres: true, cancellationToken);
            // The cluster's guarantees rest on fsync and synchronous commit; the rest suits a demo on one machine.
            await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), string.Create(CultureInfo.InvariantCulture, $"""

                listen_addresses = '127.0.0.1'
                unix_socket_directories = '{Folder}'
                max_connections = 300
                shared_buffers = 64MB
                fsync = on
                synchronous_commit = on

                """), cancellationToken);
        }

        if (!await IsRunningAsync(cancellationToken))
        {
            await RunAsync(Path.Combine(binDirectory, "pg_ctl"), ["-D", DataDirectory, "-l", Path.Combine(Folder, "server.log"), "-o", string.Create(CultureInfo.InvariantCulture, $"-p {Port}"), "-w", "-t", "60", "start"], asPostgres: true, cancellationToken);
        }
    }

    /// <summary>Stops the server (fast shutdown: sessions are closed, committed data stays).</summary>
    public async Task StopAsync()
    {
        if (File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            await RunAsync(Path.Combine(binDirectory, "pg_ctl"), ["-D", DataDirectory, "-m", "fast", "-w", "stop"], asPostgres: true, CancellationToken.None, allowFailure: true);
        }
    }

    private async Task<bool> IsRunningAsync(CancellationToken cancellationToken) =>
        await RunAsync(Path.Combine(binDirectory, "pg_ctl"), ["-D", DataDirectory, "status"], asPostgres: true, cancellationToken, allowFailure: true) == 0;

    private static bool IsRoot => Environment.UserName == "root";

    private async Task<int> RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgres, CancellationToken cancellationToken, bool allowFailure = false)
    {
        var start = new ProcessStartInfo(asPostgres && IsRoot ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Folder,
        };
        if (asPostgres && IsRoot)
        {
            foreach (var a in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new CliException($"could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 && !allowFailure)
        {
            var log = Path.Combine(Folder, "server.log");
            var tail = File.Exists(log) ? string.Join('\n', (await File.ReadAllLinesAsync(log, CancellationToken.None)).TakeLast(10)) : string.Empty;
            throw new CliException($"{Path.GetFileName(program)} failed (exit {process.ExitCode}): {await output}{await errors}{tail}".Trim());
        }

        return process.ExitCode;
    }
}
