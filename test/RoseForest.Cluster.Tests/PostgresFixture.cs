using System.Diagnostics;
using Npgsql;

namespace RoseForest.Cluster.Tests;

/// <summary>
/// A PostgreSQL 15 for the cluster tests, started by <c>test/cluster/pg.sh</c> on its own port
/// and folder (or the one named by ROSEFOREST_TEST_PG, a connection string). Each test gets a
/// database of its own.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"rf-cluster-pg-{Environment.ProcessId}");
    private bool _started;

    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("ROSEFOREST_TEST_PG") is { Length: > 0 } given)
        {
            ConnectionString = given;
            return;
        }

        var port = Environment.GetEnvironmentVariable("ROSEFOREST_TEST_PG_PORT") is { Length: > 0 } p ? p : "54331";
        var (code, output, errors) = await RunAsync("start", _folder, port);
        if (code != 0)
        {
            throw new InvalidOperationException($"test/cluster/pg.sh could not start PostgreSQL (exit {code}): {output}{errors}");
        }

        ConnectionString = output.Trim().Split('\n').Last();
        _started = true;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_started)
        {
            await RunAsync("stop", _folder, null);
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>A fresh, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "rf_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    private static async Task<(int Code, string Output, string Errors)> RunAsync(string command, string folder, string? port)
    {
        var script = Path.Combine(RepoRoot(), "test", "cluster", "pg.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(command);
        start.ArgumentList.Add(folder);
        if (port is not null)
        {
            start.ArgumentList.Add(port);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RoseForest.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("the repository root (RoseForest.slnx) was not found above the test binaries.");
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
