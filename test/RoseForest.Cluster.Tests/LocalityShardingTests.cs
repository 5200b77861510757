using System.Globalization;
using System.Text.Json;
using RoseForest.Cluster.Locality;

namespace RoseForest.Cluster.Tests;

/// <summary>Locality sharding: points placed by their vector's nearest centroid, queries probing the nearest shards.</summary>
[Collection(PostgresCollection.Name)]
public class LocalityShardingTests(PostgresFixture pg)
{
    private const int Dim = 8;

    /// <summary>Four well-separated blobs: blob b is centred at +12 on axis b.</summary>
    private static float[] BlobVector(int blob, Random random) =>
        [.. Enumerable.Range(0, Dim).Select(d => (float)((d == blob ? 12 : 0) + (random.NextDouble() - 0.5)))];

    private static string Vector(float[] v) => string.Join(',', v.Select(x => x.ToString("R", CultureInfo.InvariantCulture)));

    [Fact]
    public async Task Points_land_in_the_shard_of_their_region_move_with_their_vector_and_probed_queries_visit_the_nearest_shards()
    {
        await using var cluster = await ClusterHarness.StartAsync(pg, 2);
        var http = cluster.Http;
        var (status, body, _) = await ClusterHarness.SendAsync(http[0], HttpMethod.Put, "collections/l", """{"vectors":{"size":8,"distance":"Euclid"},"shard_number":4,"sharding_method":"locality"}""");
        Assert.True(status == 200, body.ToString());
        (status, body, _) = await ClusterHarness.SendAsync(http[0], HttpMethod.Put, "collections/bad", """{"vectors":{"size":8,"distance":"Manhattan"},"shard_number":2,"sharding_method":"locality"}""");
        Assert.Equal(400, status);

        // The first upsert trains the centroids, so it needs at least shard_number points.
        (status, body, _) = await ClusterHarness.SendAsync(http[1], HttpMethod.Put, "collections/l/points?wait=true", """{"points":[{"id":1,"vector":[1,0,0,0,0,0,0,0]}]}""");
        Assert.True(status == 400, body.ToString());

        var random = new Random(3);
        var points = Enumerable.Range(1, 400).Select(i => (Id: i, Blob: i % 4, Vector: BlobVector(i % 4, random))).ToList();
        var upsert = "{\"points\":[" + string.Join(',', points.Select(p => $"{{\"id\":{p.Id},\"vector\":[{Vector(p.Vector)}],\"payload\":{{\"blob\":{p.Blob}}}}}")) + "]}";
        (status, body, _) = await ClusterHarness.SendAsync(http[1], HttpMethod.Put, "collections/l/points?wait=true", upsert);
        Assert.True(status == 200, body.ToString());
        await cluster.WaitUntilAsync(() => cluster.CaughtUpAsync("l", 1), TimeSpan.FromSeconds(30), "replicas to apply");

        // Each shard holds exactly one blob, and the four shards hold the four blobs.
        var shards = await ShardContentsAsync(cluster);
        Assert.Equal(4, shards.Count);
        Assert.All(shards.Values, s => Assert.Single(s.Values.Distinct()));
        Assert.Equal([0, 1, 2, 3], shards.Values.Select(s => s.Values.First()).Order());
        Assert.Equal(400, shards.Values.Sum(s => s.Count));

        // A new vector in another region moves the point: it leaves its old shard in the same write.
        (status, body, var response) = await ClusterHarness.SendAsync(http[0], HttpMethod.Put, "collections/l/points?wait=true", $"{{\"points\":[{{\"id\":4,\"vector\":[{Vector(BlobVector(2, random))}],\"payload\":{{\"blob\":2}}}}]}}");
        Assert.True(status == 200, body.ToString());
        await cluster.WaitUntilAsync(() => cluster.CaughtUpAsync("l", 1), TimeSpan.FromSeconds(30), "replicas to apply the move");
        shards = await ShardContentsAsync(cluster);
        var holders = shards.Where(s => s.Value.ContainsKey(4)).ToList();
        Assert.Single(holders);
        Assert.All(holders[0].Value.Values, blob => Assert.Equal(2, blob));
        Assert.Equal(400, shards.Values.Sum(s => s.Count));

        // A payload edit by id reaches the point wherever it lives; update_vectors is refused (it could move a point).
        (status, body, _) = await ClusterHarness.SendAsync(http[1], HttpMethod.Post, "collections/l/points/payload?wait=true", """{"payload":{"tag":"moved"},"points":[4]}""");
        Assert.True(status == 200, body.ToString());
        (status, body, _) = await ClusterHarness.SendAsync(http[0], HttpMethod.Post, "collections/l/points?consistency=strong", """{"ids":[4],"with_payload":true}""");
        Assert.Equal("moved", body.GetProperty("result")[0].GetProperty("payload").GetProperty("tag").GetString());
        (status, _, _) = await ClusterHarness.SendAsync(http[1], HttpMethod.Put, "collections/l/points/vectors", """{"points":[{"id":5,"vector":[0,0,0,0,0,0,0,1]}]}""");
        Assert.Equal(400, status);

        // probe=1 visits the nearest shard only; near blob 3 that shard holds every true neighbour.
        var query = BlobVector(3, random);
        var exact = points.Where(p => p.Id != 4).Select(p => (p.Id, Distance: p.Vector.Zip(query, (a, b) => (a - b) * (a - b)).Sum())).OrderBy(p => p.Distance).Take(10).Select(p => (ulong)p.Id).ToList();
        foreach (var probe in new[] { "?probe=1", string.Empty })
        {
            (status, body, _) = await ClusterHarness.SendAsync(http[1], HttpMethod.Post, $"collections/l/points/query{probe}", $"{{\"query\":[{Vector(query)}],\"limit\":10,\"params\":{{\"exact\":true}}}}");
            Assert.True(status == 200, body.ToString());
            Assert.Equal(exact, body.GetProperty("result").GetProperty("points").EnumerateArray().Select(p => p.GetProperty("id").GetUInt64()));
        }

        (status, body, _) = await ClusterHarness.SendAsync(http[1], HttpMethod.Post, "collections/l/points/query?probe=0", "{\"query\":[1,1,1,1,1,1,1,1]}");
        Assert.Equal(400, status);
    }

    [Fact]
    public async Task An_append_with_two_records_for_one_shard_is_applied_once_when_retried_with_its_key()
    {
        await using var cluster = await ClusterHarness.StartAsync(pg, 1);
        var (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[0], HttpMethod.Put, "collections/d", """{"vectors":{"size":2,"distance":"Euclid"},"shard_number":2}""");
        Assert.True(status == 200, body.ToString());
        var node = cluster.Nodes[0].Cluster!;
        var shards = node.State.Collections["d"].Shards.Select(s => s.Id).Order().ToArray();
        var upsert = Log.LogOperation.Upsert([new PointStruct(PointId.FromNumber(1), [1, 2])], null);
        var delete = Log.LogOperation.Delete(PointSelector.ById(PointId.FromNumber(2)));
        (long, Log.LogOperation)[] records = [(shards[0], upsert), (shards[0], delete), (shards[1], delete)];

        var first = await node.Log.AppendAsync(records, "key-1", CancellationToken.None);
        var retried = await node.Log.AppendAsync(records, "key-1", CancellationToken.None);
        Assert.Equal(first.OperationId, retried.OperationId);
        Assert.Equal(first.Sequences, retried.Sequences);
        var log0 = await node.Log.ReadAsync(shards[0], 0, 100, CancellationToken.None);
        Assert.Equal([Log.LogOpKind.Upsert, Log.LogOpKind.Delete], log0.Select(e => e.Op.Kind));
        Assert.Equal([1L, 2L], log0.Select(e => e.Seq));
        Assert.Single(await node.Log.ReadAsync(shards[1], 0, 100, CancellationToken.None));
    }

    [Fact]
    public void Kmeans_finds_separated_blobs_and_centroids_round_trip_through_their_stored_form()
    {
        var random = new Random(9);
        var sample = Enumerable.Range(0, 200).Select(i => BlobVector(i % 4, random)).ToList();
        var centroids = KMeans.Train(Geometry.Euclid, sample, 4, seed: 1);
        var labels = sample.Select(v => centroids.Nearest(v)).ToList();
        for (var blob = 0; blob < 4; blob++)
        {
            Assert.Single(labels.Where((_, i) => i % 4 == blob).Distinct());
        }

        Assert.Equal(4, labels.Distinct().Count());
        var back = Centroids.FromBytes(Geometry.Euclid, centroids.ToBytes());
        Assert.Equal(centroids.Vectors, back.Vectors);
        Assert.Equal(labels, sample.Select(v => back.Nearest(v)));
        Assert.Throws<InvalidDataException>(() => Centroids.FromBytes(Geometry.Euclid, centroids.ToBytes()[..^1]));
    }

    /// <summary>Every replica on every node: point id → blob payload.</summary>
    private static async Task<Dictionary<string, Dictionary<ulong, int>>> ShardContentsAsync(ClusterHarness cluster)
    {
        var result = new Dictionary<string, Dictionary<ulong, int>>();
        foreach (var node in cluster.Nodes)
        {
            var engine = node.Cluster!.Engine;
            foreach (var name in engine.ListCollections().Where(n => n.StartsWith("shard_", StringComparison.Ordinal)))
            {
                var page = await engine.GetCollection(name).ScrollAsync(new ScrollRequest { Limit = 1000, WithPayload = PayloadSelector.All });
                result[name] = page.Points.ToDictionary(p => p.Id.Number, p => p.Payload!.Value.GetProperty("blob").GetInt32());
            }
        }

        return result;
    }
}
