using System.Text.Json;
using Npgsql;

namespace RoseForest.Cluster.Tests;

/// <summary>Three nodes of the real host in one process, on one PostgreSQL database: the REST API end to end.</summary>
[Collection(PostgresCollection.Name)]
public class InProcessClusterTests(PostgresFixture pg)
{
    private static string Points(int from, int count, int dim = 4) =>
        "{\"points\":[" + string.Join(',', Enumerable.Range(from, count).Select(i => $"{{\"id\":{i},\"vector\":[{string.Join(',', Enumerable.Range(0, dim).Select(d => ((i * 7 + d * 3) % 11 - 5).ToString(System.Globalization.CultureInfo.InvariantCulture)))}],\"payload\":{{\"n\":{i}}}}}")) + "]}";

    [Fact]
    public async Task Writes_through_one_node_are_read_through_every_node_and_searches_match_a_single_engine()
    {
        await using var cluster = await ClusterHarness.StartAsync(pg, 3);
        var (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Put, "collections/c", """{"vectors":{"size":4,"distance":"Euclid"},"shard_number":3,"replication_factor":2}""");
        Assert.True(status == 200, body.ToString());
        (status, body, var response) = await ClusterHarness.SendAsync(cluster.Http[1], HttpMethod.Put, "collections/c/points?wait=true", Points(1, 200));
        Assert.True(status == 200, body.ToString());
        var token = response.Headers.GetValues("x-roseforest-consistency-token").Single();
        Assert.Equal(3, token.Split(',').Length);

        // Read-your-writes through another node with the session token.
        var headers = new Dictionary<string, string> { ["x-roseforest-consistency-token"] = token };
        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[2], HttpMethod.Post, "collections/c/points/count?consistency=session", "{}", headers);
        Assert.Equal(200, body.GetProperty("result").GetProperty("count").GetInt64());

        // The same points in one embedded collection give the same top 10.
        await using var single = RoseForest.Engine.RoseForestDatabase.CreateInMemory();
        var reference = await single.CreateCollectionAsync("r", new CollectionOptions { Dimension = 4, Geometry = Geometry.Euclid, Durability = Durability.Memory });
        var parsed = RoseForest.Contracts.Qdrant.QdrantJson.ReadUpsert(RoseForest.Contracts.Qdrant.JsonFields.ParseBody(System.Text.Encoding.UTF8.GetBytes(Points(1, 200))), new());
        await reference.UpsertAsync(parsed);
        var expected = await reference.SearchAsync(new SearchRequest { Vector = [1, 0, -2, 3], Limit = 10, Offset = 2, Exact = true });
        foreach (var http in cluster.Http)
        {
            (status, body, _) = await ClusterHarness.SendAsync(http, HttpMethod.Post, "collections/c/points/query?consistency=strong", """{"query":[1,0,-2,3],"limit":10,"offset":2,"params":{"exact":true}}""");
            Assert.True(status == 200, body.ToString());
            var ids = body.GetProperty("result").GetProperty("points").EnumerateArray().Select(p => p.GetProperty("id").GetUInt64()).ToList();
            Assert.Equal(expected.Select(p => p.Id.Number), ids);
        }

        // Scroll pages across shards in id order without gaps or repeats.
        var seen = new List<ulong>();
        string offset = "null";
        do
        {
            (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Post, "collections/c/points/scroll", $"{{\"limit\":37,\"offset\":{offset}}}");
            var result = body.GetProperty("result");
            seen.AddRange(result.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("id").GetUInt64()));
            offset = result.GetProperty("next_page_offset").ValueKind == JsonValueKind.Null ? "null" : result.GetProperty("next_page_offset").GetRawText();
        }
        while (offset != "null");
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (ulong)i), seen);

        // Every replica holds every acknowledged point of its shard.
        await cluster.WaitUntilAsync(() => cluster.CaughtUpAsync("c", 2), TimeSpan.FromSeconds(20), "replicas to catch up");
        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Get, "cluster");
        Assert.Equal(3, body.GetProperty("result").GetProperty("peers").EnumerateObject().Count());
    }

    [Fact]
    public async Task Bad_input_is_refused_before_it_is_logged_and_a_payload_edit_of_a_missing_point_answers_404()
    {
        await using var cluster = await ClusterHarness.StartAsync(pg, 2);
        var (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Put, "collections/c", """{"vectors":{"size":4,"distance":"Cosine"},"shard_number":2,"replication_factor":2}""");
        Assert.True(status == 200, body.ToString());
        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Put, "collections/c/points", """{"points":[{"id":1,"vector":[1,0,0,0]},{"id":2,"vector":[1,0,0]}]}""");
        Assert.Equal(400, status);
        Assert.Contains("points[1].vector", body.GetProperty("status").GetProperty("error").GetString());
        (status, _, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Put, "collections/c/points", """{"points":[{"id":1,"vector":[0,0,0,0]}]}""");
        Assert.Equal(400, status);
        Assert.Equal(0, await LastSeqSumAsync(cluster.ConnectionString));

        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[1], HttpMethod.Post, "collections/c/points/payload?wait=true", """{"payload":{"a":1},"points":[77]}""");
        Assert.True(status == 404, body.ToString());

        // The refused record still counts as applied: later writes go through on every replica.
        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[1], HttpMethod.Put, "collections/c/points?wait=true", """{"points":[{"id":77,"vector":[0,1,0,0]}]}""");
        Assert.True(status == 200, body.ToString());
        await cluster.WaitUntilAsync(() => cluster.CaughtUpAsync("c", 2), TimeSpan.FromSeconds(20), "replicas to catch up");

        (status, _, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Put, "collections/c2", """{"vectors":{"size":4,"distance":"Cosine"},"replication_factor":1,"write_consistency_factor":2}""");
        Assert.Equal(400, status);
        (status, _, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Post, "collections/c/points/count?consistency=sometimes", "{}");
        Assert.Equal(400, status);
    }

    [Fact]
    public async Task A_retried_append_with_the_same_idempotency_key_is_logged_once()
    {
        await using var cluster = await ClusterHarness.StartAsync(pg, 1);
        var headers = new Dictionary<string, string> { ["x-roseforest-idempotency-key"] = "write-1" };
        var (status, _, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Put, "collections/c", """{"vectors":{"size":4,"distance":"Euclid"},"shard_number":1}""");
        Assert.Equal(200, status);
        (status, var first, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Put, "collections/c/points?wait=true", Points(1, 5), headers);
        Assert.Equal(200, status);
        (status, var second, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Put, "collections/c/points?wait=true", Points(1, 5), headers);
        Assert.Equal(200, status);
        Assert.Equal(first.GetProperty("result").GetProperty("operation_id").GetInt64(), second.GetProperty("result").GetProperty("operation_id").GetInt64());
        Assert.Equal(1, await LastSeqSumAsync(cluster.ConnectionString));
    }

    [Fact]
    public async Task Custom_sharding_keeps_each_keys_points_in_its_own_shards()
    {
        await using var cluster = await ClusterHarness.StartAsync(pg, 2);
        var (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Put, "collections/t", """{"vectors":{"size":4,"distance":"Euclid"},"sharding_method":"custom","replication_factor":2}""");
        Assert.True(status == 200, body.ToString());
        foreach (var key in new[] { "\"a\"", "\"b\"" })
        {
            (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[1], HttpMethod.Put, "collections/t/shards", $"{{\"shard_key\":{key}}}");
            Assert.True(status == 200, body.ToString());
        }

        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Put, "collections/t/points?wait=true", Points(1, 10));
        Assert.Equal(400, status); // a custom collection's write needs its key
        await cluster.WaitUntilAsync(async () => (await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Put, "collections/t/points?wait=true", Points(1, 10)[..^1] + ",\"shard_key\":\"a\"}")).Status == 200, TimeSpan.FromSeconds(20), "shard a to take writes");
        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[1], HttpMethod.Put, "collections/t/points?wait=true", Points(11, 5)[..^1] + ",\"shard_key\":\"b\"}");
        Assert.True(status == 200, body.ToString());
        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[1], HttpMethod.Post, "collections/t/points/count?consistency=strong", """{"shard_key":"b"}""");
        Assert.True(status == 200, body.ToString());
        Assert.Equal(5, body.GetProperty("result").GetProperty("count").GetInt64());
        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Post, "collections/t/points/count?consistency=strong", "{}");
        Assert.Equal(15, body.GetProperty("result").GetProperty("count").GetInt64());
        (status, _, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Post, "collections/t/points/count", """{"shard_key":"zzz"}""");
        Assert.Equal(400, status);
    }

    [Fact]
    public async Task A_replica_added_after_the_log_was_truncated_catches_up_from_a_peer_snapshot()
    {
        await using var cluster = await ClusterHarness.StartAsync(pg, 1);
        var (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Put, "collections/c", """{"vectors":{"size":4,"distance":"Euclid"},"shard_number":1,"replication_factor":1}""");
        Assert.True(status == 200, body.ToString());
        for (var i = 0; i < 300; i++)
        {
            (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Put, "collections/c/points?wait=true", Points(i * 2, 2));
            Assert.True(status == 200, body.ToString());
        }

        await cluster.WaitUntilAsync(async () => await TruncatedAsync(cluster.ConnectionString) > 0, TimeSpan.FromSeconds(20), "the controller to truncate the log");
        await cluster.AddNodeAsync();
        var second = cluster.Nodes[1].Cluster!.Id;
        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Post, "collections/c/cluster", $"{{\"replicate_shard\":{{\"shard_id\":0,\"from_peer_id\":{cluster.Nodes[0].Cluster!.Id},\"to_peer_id\":{second}}}}}");
        Assert.True(status == 200, body.ToString());
        await cluster.WaitUntilAsync(() => cluster.CaughtUpAsync("c", 2), TimeSpan.FromSeconds(30), "the new replica to catch up");

        var local = cluster.Nodes[1].Database.GetCollection(cluster.Nodes[1].Database.ListCollections().Single());
        Assert.Equal(600, await local.CountAsync());
        Assert.Equal(300, local.Recovery!.SnapshotLsn); // opened from the snapshot the peer sent (its checksum was verified)
    }

    private static async Task<long> LastSeqSumAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT coalesce(sum(last_seq), 0)::bigint FROM roseforest.shards", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> TruncatedAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT coalesce(max(truncated_seq), 0) FROM roseforest.shards", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
