using Npgsql;

namespace RoseForest.Cluster.Tests;

/// <summary>PostgreSQL unreachable (down, or failing over with no primary yet): requests answer 503, never 500, and the node recovers.</summary>
[Collection(PostgresCollection.Name)]
public class PostgresOutageTests(PostgresFixture pg)
{
    [Fact]
    public async Task Requests_that_need_the_catalogue_answer_503_while_postgres_refuses_connections_and_work_again_after()
    {
        await using var cluster = await ClusterHarness.StartAsync(pg, 1);
        var database = new NpgsqlConnectionStringBuilder(cluster.ConnectionString).Database!;
        var (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Put, "collections/c", """{"vectors":{"size":2,"distance":"Euclid"},"shard_number":1}""");
        Assert.True(status == 200, body.ToString());

        await AllowConnectionsAsync(database, false);
        try
        {
            // An unknown name makes the node re-read the catalogue: it cannot, so the cluster is unavailable.
            (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Get, "collections/missing");
            Assert.True(status == 503, $"{status}: {body}");
            (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Put, "collections/c/points?wait=true", """{"points":[{"id":1,"vector":[1,2]}]}""");
            Assert.True(status == 503, $"{status}: {body}");
        }
        finally
        {
            await AllowConnectionsAsync(database, true);
        }

        await cluster.WaitUntilAsync(
            async () => (await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Put, "collections/c/points?wait=true", """{"points":[{"id":1,"vector":[1,2]}]}""")).Status == 200,
            TimeSpan.FromSeconds(30),
            "writes to work again");
        (status, _, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Get, "collections/missing");
        Assert.Equal(404, status);
    }

    /// <summary>Refuses (and cuts) or allows every connection to the test's database, as a PostgreSQL outage would.</summary>
    private async Task AllowConnectionsAsync(string database, bool allow)
    {
        await using var connection = new NpgsqlConnection(pg.ConnectionString);
        await connection.OpenAsync();
        await using (var alter = new NpgsqlCommand($"ALTER DATABASE {database} ALLOW_CONNECTIONS {(allow ? "true" : "false")}", connection))
        {
            await alter.ExecuteNonQueryAsync();
        }

        if (!allow)
        {
            await using var terminate = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", connection) { Parameters = { new() { Value = database } } };
            await terminate.ExecuteScalarAsync();
        }
    }
}
