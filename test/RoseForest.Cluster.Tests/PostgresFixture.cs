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
        var (code, output, errors) = await PgScript.RunAsync("start", _folder, port);
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
            await PgScript.RunAsync("stop", _folder, null);
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
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
