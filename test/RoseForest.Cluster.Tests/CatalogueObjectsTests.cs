using System.Text.Json;

namespace RoseForest.Cluster.Tests;

/// <summary>Aliases and payload indexes in cluster mode: kept in the catalogue, so they work from any node.</summary>
[Collection(PostgresCollection.Name)]
public class CatalogueObjectsTests(PostgresFixture pg)
{
    private static string Points(int from, int count) =>
        "{\"points\":[" + string.Join(',', Enumerable.Range(from, count).Select(i => $"{{\"id\":{i},\"vector\":[{i % 5},{i % 3},1,{i % 7}],\"payload\":{{\"city\":\"{(i % 4 == 0 ? "Oslo" : "Lima")}\"}}}}")) + "]}";

    private static async Task<long> CountAsync(HttpClient http, string collection, string filter = "{}")
    {
        var (status, body, _) = await ClusterHarness.SendAsync(http, HttpMethod.Post, $"collections/{collection}/points/count?consistency=strong", filter);
        Assert.True(status == 200, body.ToString());
        return body.GetProperty("result").GetProperty("count").GetInt64();
    }

    [Fact]
    public async Task Aliases_changed_through_one_node_resolve_on_every_node_all_or_nothing()
    {
        await using var cluster = await ClusterHarness.StartAsync(pg, 3);
        foreach (var (name, count) in new[] { ("a", 10), ("b", 25) })
        {
            var (s, b, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Put, $"collections/{name}", """{"vectors":{"size":4,"distance":"Euclid"},"shard_number":2,"replication_factor":2}""");
            Assert.True(s == 200, b.ToString());
            (s, b, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Put, $"collections/{name}/points?wait=true", Points(1, count));
            Assert.True(s == 200, b.ToString());
        }

        var (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[1], HttpMethod.Post, "collections/aliases", """{"actions":[{"create_alias":{"collection_name":"a","alias_name":"current"}}]}""");
        Assert.True(status == 200, body.ToString());
        Assert.Equal(10, await CountAsync(cluster.Http[2], "current"));
        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[2], HttpMethod.Get, "aliases");
        Assert.Equal("a", body.GetProperty("result").GetProperty("aliases").EnumerateArray().Single(a => a.GetProperty("alias_name").GetString() == "current").GetProperty("collection_name").GetString());

        // Switched in one request: every node answers from b afterwards.
        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Post, "collections/aliases", """{"actions":[{"delete_alias":{"alias_name":"current"}},{"create_alias":{"collection_name":"b","alias_name":"current"}}]}""");
        Assert.True(status == 200, body.ToString());
        Assert.Equal(25, await CountAsync(cluster.Http[0], "current"));

        // Other nodes follow once they have read the catalogue (NOTIFY, else the 1 s poll).
        foreach (var http in cluster.Http)
        {
            await cluster.WaitUntilAsync(async () => await CountAsync(http, "current") == 25, TimeSpan.FromSeconds(10), "the alias switch to reach every node");
        }

        // Search through an alias on another node, and the collection's alias list.
        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[1], HttpMethod.Post, "collections/current/points/query", """{"query":[1,1,1,1],"limit":3}""");
        Assert.True(status == 200, body.ToString());
        Assert.Equal(3, body.GetProperty("result").GetProperty("points").GetArrayLength());
        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[2], HttpMethod.Get, "collections/b/aliases");
        Assert.Equal(["current"], body.GetProperty("result").GetProperty("aliases").EnumerateArray().Select(a => a.GetProperty("alias_name").GetString()));
        (status, _, _) = await ClusterHarness.SendAsync(cluster.Http[2], HttpMethod.Get, "collections/a/aliases");
        Assert.Equal(200, status);

        // All or nothing: a failing action leaves the earlier ones of the same request undone.
        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[1], HttpMethod.Post, "collections/aliases", """{"actions":[{"create_alias":{"collection_name":"a","alias_name":"other"}},{"create_alias":{"collection_name":"missing","alias_name":"x"}}]}""");
        Assert.Equal(404, status);
        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Get, "aliases");
        Assert.DoesNotContain(body.GetProperty("result").GetProperty("aliases").EnumerateArray(), a => a.GetProperty("alias_name").GetString() == "other");

        // A collection may not take an alias's name, nor an alias a collection's.
        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[2], HttpMethod.Put, "collections/current", """{"vectors":{"size":4,"distance":"Euclid"}}""");
        Assert.True(status == 400, body.ToString());
        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[2], HttpMethod.Post, "collections/aliases", """{"actions":[{"create_alias":{"collection_name":"b","alias_name":"a"}}]}""");
        Assert.Equal(400, status);
        Assert.Contains("already exists", body.GetProperty("status").GetProperty("error").GetString(), StringComparison.Ordinal);

        // Rename, then deleting the collection drops its aliases.
        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Post, "collections/aliases", """{"actions":[{"rename_alias":{"old_alias_name":"current","new_alias_name":"live"}}]}""");
        Assert.True(status == 200, body.ToString());
        Assert.Equal(25, await CountAsync(cluster.Http[2], "live"));
        (status, _, _) = await ClusterHarness.SendAsync(cluster.Http[2], HttpMethod.Post, "collections/current/points/count", "{}");
        Assert.Equal(404, status);
        (status, _, _) = await ClusterHarness.SendAsync(cluster.Http[1], HttpMethod.Delete, "collections/b");
        Assert.Equal(200, status);
        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[2], HttpMethod.Get, "aliases");
        Assert.Empty(body.GetProperty("result").GetProperty("aliases").EnumerateArray());
    }

    [Fact]
    public async Task Payload_indexes_reach_every_replica_including_shards_of_a_key_added_later()
    {
        await using var cluster = await ClusterHarness.StartAsync(pg, 3);
        var (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Put, "collections/c", """{"vectors":{"size":4,"distance":"Euclid"},"shard_number":3,"replication_factor":2}""");
        Assert.True(status == 200, body.ToString());
        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[1], HttpMethod.Put, "collections/c/points?wait=true", Points(1, 100));
        Assert.True(status == 200, body.ToString());

        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[1], HttpMethod.Put, "collections/c/index?wait=true", """{"field_name":"city","field_schema":"keyword"}""");
        Assert.True(status == 200, body.ToString());
        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[2], HttpMethod.Put, "collections/c/index", """{"field_name":"city","field_schema":"no_such_type"}""");
        Assert.True(status == 400, body.ToString());

        await cluster.WaitUntilAsync(() => cluster.CaughtUpAsync("c", 2), TimeSpan.FromSeconds(30), "replicas to apply the index");
        var replicas = await ReplicaSchemasAsync(cluster);
        Assert.Equal(6, replicas.Count);
        Assert.All(replicas, r => Assert.Equal(PayloadSchemaType.Keyword, r.Schema["city"].Schema.Type));
        Assert.Equal(100, replicas.GroupBy(r => r.Shard).Sum(g => g.First().Schema["city"].Points));

        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[2], HttpMethod.Get, "collections/c");
        var schema = body.GetProperty("result").GetProperty("payload_schema").GetProperty("city");
        Assert.Equal("keyword", schema.GetProperty("data_type").GetString());
        Assert.Equal(100, schema.GetProperty("points").GetInt64());
        Assert.Equal(25, await CountAsync(cluster.Http[0], "c", """{"filter":{"must":[{"key":"city","match":{"value":"Oslo"}}]}}"""));

        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Delete, "collections/c/index/city?wait=true");
        Assert.True(status == 200, body.ToString());
        await cluster.WaitUntilAsync(() => cluster.CaughtUpAsync("c", 2), TimeSpan.FromSeconds(30), "replicas to drop the index");
        Assert.All(await ReplicaSchemasAsync(cluster), r => Assert.Empty(r.Schema));
        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[1], HttpMethod.Get, "collections/c");
        Assert.Empty(body.GetProperty("result").GetProperty("payload_schema").EnumerateObject());

        // Custom sharding: a shard key added after the index starts with it.
        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Delete, "collections/c");
        Assert.Equal(200, status);
        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Put, "collections/k", """{"vectors":{"size":4,"distance":"Euclid"},"sharding_method":"custom","replication_factor":2}""");
        Assert.True(status == 200, body.ToString());
        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[2], HttpMethod.Put, "collections/k/index", """{"field_name":"n","field_schema":"integer"}""");
        Assert.True(status == 200, body.ToString());
        (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[1], HttpMethod.Put, "collections/k/shards", """{"shard_key":"eu","shards_number":2}""");
        Assert.True(status == 200, body.ToString());
        // (c's replicas are deleted by their nodes a moment after the collection.)
        await cluster.WaitUntilAsync(async () => await cluster.CaughtUpAsync("k", 2) && (await ReplicaSchemasAsync(cluster)).Count == 4, TimeSpan.FromSeconds(30), "the new shards' replicas");
        var keyed = await ReplicaSchemasAsync(cluster);
        Assert.Equal(4, keyed.Count);
        Assert.All(keyed, r => Assert.Equal(PayloadSchemaType.Integer, r.Schema["n"].Schema.Type));
    }

    /// <summary>Every replica on every node (the nodes' own engines) and its payload schema.</summary>
    private static async Task<List<(string Shard, IReadOnlyDictionary<string, PayloadIndexInfo> Schema)>> ReplicaSchemasAsync(ClusterHarness cluster)
    {
        var result = new List<(string, IReadOnlyDictionary<string, PayloadIndexInfo>)>();
        foreach (var node in cluster.Nodes)
        {
            var engine = node.Cluster!.Engine;
            foreach (var name in engine.ListCollections())
            {
                if (name.StartsWith("shard_", StringComparison.Ordinal))
                {
                    result.Add((name, engine.GetCollectionInfo(name).PayloadSchema));
                }
            }
        }

        return result;
    }
}
