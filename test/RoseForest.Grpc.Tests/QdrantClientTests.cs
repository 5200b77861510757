using Grpc.Core;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;
using RF = RoseForest.Contracts;
using RFId = RoseForest.Core.PointId;

namespace RoseForest.Grpc.Tests;

/// <summary>Qdrant's own .NET client (Qdrant.Client 1.20 from NuGet, unchanged) against RoseForest's gRPC API.</summary>
public class QdrantClientTests
{
    private static RF.IVectorDatabase Db(GrpcServer s) => s.Server.Database;

    private static PointStruct Point(ulong id, float[] vector, string city, long price)
    {
        var p = new PointStruct { Id = id, Vectors = vector };
        p.Payload["city"] = city;
        p.Payload["price"] = price;
        return p;
    }

    private static async Task SeedAsync(QdrantClient client, string name)
    {
        await client.CreateCollectionAsync(name, new VectorParams { Size = 4, Distance = Distance.Cosine });
        await client.UpsertAsync(name,
        [
            Point(1, [0.9f, 0.1f, 0, 0], "London", 10),
            Point(2, [0.1f, 0.9f, 0, 0], "Berlin", 20),
            Point(3, [0, 0, 1, 0], "London", 30),
            Point(4, [0, 0, 0, 1], "Paris", 40),
            Point(5, [0.5f, 0.5f, 0, 0], "Berlin", 50),
        ]);
    }

    [Fact]
    public async Task Collections_can_be_created_listed_described_and_deleted()
    {
        await using var s = await GrpcServer.StartAsync();
        using var client = s.Client();
        var health = await client.HealthAsync();
        Assert.StartsWith("1.19", health.Version, StringComparison.Ordinal);

        await client.CreateCollectionAsync("plain", new VectorParams { Size = 4, Distance = Distance.Dot }, hnswConfig: new HnswConfigDiff { M = 8, EfConstruct = 64 });
        Assert.True(await client.CollectionExistsAsync("plain"));
        Assert.False(await client.CollectionExistsAsync("absent"));
        Assert.Contains("plain", await client.ListCollectionsAsync());
        var info = await client.GetCollectionInfoAsync("plain");
        Assert.Equal(CollectionStatus.Green, info.Status);
        Assert.Equal(4ul, info.Config.Params.VectorsConfig.Params.Size);
        Assert.Equal(Distance.Dot, info.Config.Params.VectorsConfig.Params.Distance);
        Assert.Equal(8ul, info.Config.HnswConfig.M);

        var again = await Assert.ThrowsAsync<RpcException>(() => client.CreateCollectionAsync("plain", new VectorParams { Size = 4, Distance = Distance.Dot }));
        Assert.Equal(StatusCode.AlreadyExists, again.StatusCode);
        var missing = await Assert.ThrowsAsync<RpcException>(() => client.GetCollectionInfoAsync("absent"));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Empty(await client.ListAliasesAsync());

        await client.DeleteCollectionAsync("plain");
        Assert.False(await client.CollectionExistsAsync("plain"));
    }

    [Fact]
    public async Task Upsert_query_with_filter_scroll_count_and_recommend_match_the_embedded_api()
    {
        await using var s = await GrpcServer.StartAsync();
        using var client = s.Client();
        await SeedAsync(client, "walk");

        var nearest = await client.QueryAsync("walk", new float[] { 1, 0, 0, 0 }, limit: 3, payloadSelector: true);
        var embedded = await Db(s).GetCollection("walk").QueryAsync(new RF.QueryRequest { Vector = [1, 0, 0, 0], Limit = 3 });
        Assert.Equal(embedded.Select(p => p.Id.Number), nearest.Select(p => p.Id.Num));
        Assert.Equal(embedded.Select(p => (float)p.Score), nearest.Select(p => p.Score));
        Assert.Equal("London", nearest[0].Payload["city"].StringValue);

        var filtered = await client.QueryAsync("walk", new float[] { 1, 0, 0, 0 }, filter: MatchKeyword("city", "London") & Range("price", new Qdrant.Client.Grpc.Range { Gte = 20 }), limit: 10);
        Assert.Equal([3ul], filtered.Select(p => p.Id.Num));

        var page = await client.ScrollAsync("walk", limit: 2);
        Assert.Equal([1ul, 2ul], page.Result.Select(p => p.Id.Num));
        Assert.Equal(3ul, page.NextPageOffset.Num);
        var rest = await client.ScrollAsync("walk", limit: 10, offset: page.NextPageOffset);
        Assert.Equal(3, rest.Result.Count);
        Assert.Null(rest.NextPageOffset);

        Assert.Equal(5ul, await client.CountAsync("walk"));
        Assert.Equal(2ul, await client.CountAsync("walk", MatchKeyword("city", "Berlin")));

#pragma warning disable CS0618 // the legacy recommend rpc, still served
        var recommended = await client.RecommendAsync("walk", positive: [1ul], negative: [4ul], limit: 2);
#pragma warning restore CS0618
        var embeddedRecommend = await Db(s).GetCollection("walk").QueryAsync(
            new RF.QueryRequest { Query = new RF.RecommendQuery([RFId.FromNumber(1)], [RFId.FromNumber(4)]), Limit = 2 });
        Assert.Equal(embeddedRecommend.Select(p => p.Id.Number), recommended.Select(p => p.Id.Num));

        var byId = await client.QueryAsync("walk", query: 1ul, limit: 2);
        Assert.DoesNotContain(byId, p => p.Id.Num == 1);

        var retrieved = await client.RetrieveAsync("walk", [2ul, 99ul], withPayload: true, withVectors: true);
        var only = Assert.Single(retrieved);
        Assert.Equal(4, only.Vectors.Vector.Dense.Data.Count);
        Assert.Equal("Berlin", only.Payload["city"].StringValue);
    }

    [Fact]
    public async Task Named_sparse_and_multi_vectors_with_prefetch_and_fusion()
    {
        await using var s = await GrpcServer.StartAsync();
        using var client = s.Client();
        var create = new CreateCollection
        {
            CollectionName = "hybrid",
            VectorsConfig = new VectorsConfig
            {
                ParamsMap = new VectorParamsMap
                {
                    Map =
                    {
                        ["dense"] = new VectorParams { Size = 3, Distance = Distance.Cosine },
                        ["colbert"] = new VectorParams { Size = 2, Distance = Distance.Dot, MultivectorConfig = new MultiVectorConfig { Comparator = MultiVectorComparator.MaxSim } },
                    },
                },
            },
            SparseVectorsConfig = new SparseVectorConfig { Map = { ["text"] = new SparseVectorParams() } },
        };
        await client.CreateCollectionAsync(create);
        var points = new List<PointStruct>();
        for (ulong i = 1; i <= 6; i++)
        {
            var f = (float)i;
            points.Add(new PointStruct
            {
                Id = i,
                Vectors = new Dictionary<string, Vector>
                {
                    ["dense"] = new[] { f, 1f, 0.5f },
                    ["colbert"] = new[] { new[] { f, 1f }, new[] { 1f, f } },
                    ["text"] = ([1f, f], [1u, 7u + (uint)i]),
                },
                Payload = { ["group"] = i % 2 == 0 ? "even" : "odd" },
            });
        }

        await client.UpsertAsync("hybrid", points);
        var fused = await client.QueryAsync("hybrid",
            prefetch:
            [
                new PrefetchQuery { Query = new float[] { 6, 1, 0.5f }, Using = "dense", Limit = 4 },
                new PrefetchQuery { Query = ([1f, 1f], [1u, 13u]), Using = "text", Limit = 4 },
            ],
            query: Fusion.Rrf,
            filter: MatchKeyword("group", "even"),
            limit: 3);
        var embedded = await Db(s).GetCollection("hybrid").QueryAsync(new RF.QueryRequest
        {
            Prefetch =
            [
                new RF.Prefetch { Query = new RF.NearestQuery(new float[] { 6, 1, 0.5f }), Using = "dense", Limit = 4 },
                new RF.Prefetch { Query = new RF.NearestQuery(new RF.SparseVector([1u, 13u], [1f, 1f])), Using = "text", Limit = 4 },
            ],
            Query = RF.FusionQuery.Rrf,
            Filter = RoseForest.Core.Filters.Filter.Where(RoseForest.Core.Filters.Condition.Match("group", "even")),
            Limit = 3,
        });
        Assert.NotEmpty(fused);
        Assert.Equal(embedded.Select(p => p.Id.Number), fused.Select(p => p.Id.Num));

        var multi = await client.QueryAsync("hybrid", query: new[] { new[] { 6f, 1f } }, usingVector: "colbert", limit: 1, vectorsSelector: true);
        Assert.Equal(6ul, multi[0].Id.Num);
        Assert.Equal(2, multi[0].Vectors.Vectors.Vectors["colbert"].MultiDense.Vectors.Count);
        Assert.Equal(2, multi[0].Vectors.Vectors.Vectors["text"].Sparse.Indices.Count);
    }

    [Fact]
    public async Task Payload_edits_deletes_and_snapshots()
    {
        await using var s = await GrpcServer.StartAsync();
        using var client = s.Client();
        await SeedAsync(client, "edits");

        await client.SetPayloadAsync("edits", new Dictionary<string, Value> { ["tag"] = "new" }, 1ul);
        await client.OverwritePayloadAsync("edits", new Dictionary<string, Value> { ["only"] = true }, 2ul);
        await client.DeletePayloadAsync("edits", ["price"], 3ul);
        await client.ClearPayloadAsync("edits", 4ul);
        var records = await Db(s).GetCollection("edits").GetAsync([1ul, 2ul, 3ul, 4ul], RF.PayloadSelector.All);
        Assert.Equal("new", records[0].Payload!.Value.GetProperty("tag").GetString());
        Assert.Equal("London", records[0].Payload!.Value.GetProperty("city").GetString());
        Assert.Equal("""{"only":true}""", records[1].Payload!.Value.GetRawText());
        Assert.False(records[2].Payload!.Value.TryGetProperty("price", out _));
        Assert.True(records[3].Payload is null || records[3].Payload!.Value.EnumerateObject().Any() == false);

        await client.DeleteAsync("edits", MatchKeyword("city", "Berlin"));
        await client.DeleteAsync("edits", 1ul);

        // Point 2's payload was overwritten (no city), so the filter deleted only point 5.
        Assert.Equal([2ul, 3ul, 4ul], (await client.ScrollAsync("edits")).Result.Select(p => p.Id.Num));

        var snapshot = await client.CreateSnapshotAsync("edits");
        Assert.Contains(await client.ListSnapshotsAsync("edits"), d => d.Name == snapshot.Name);
        await client.DeleteSnapshotAsync("edits", snapshot.Name);
        Assert.DoesNotContain(await client.ListSnapshotsAsync("edits"), d => d.Name == snapshot.Name);
        var gone = await Assert.ThrowsAsync<RpcException>(() => client.DeleteSnapshotAsync("edits", snapshot.Name));
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);

        var index = await client.CreatePayloadIndexAsync("edits", "city");
        Assert.Equal(UpdateStatus.Completed, index.Status);
    }

    [Fact]
    public async Task Keys_are_required_and_the_read_only_key_cannot_write()
    {
        await using var s = await GrpcServer.StartAsync(o =>
        {
            o.ApiKey = "full-key";
            o.ReadOnlyApiKey = "read-key";
        });
        using (var anonymous = s.Client())
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => anonymous.ListCollectionsAsync());
            Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
            Assert.StartsWith("1.19", (await anonymous.HealthAsync()).Version, StringComparison.Ordinal);
        }

        using (var wrong = s.Client("nope"))
        {
            Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => wrong.ListCollectionsAsync())).StatusCode);
        }

        using var full = s.Client("full-key");
        await SeedAsync(full, "keys");
        using var reader = s.Client("read-key");
        Assert.Equal(5ul, await reader.CountAsync("keys"));
        Assert.NotEmpty(await reader.QueryAsync("keys", new float[] { 1, 0, 0, 0 }));
        var denied = await Assert.ThrowsAsync<RpcException>(() => reader.UpsertAsync("keys", [Point(9, [1, 1, 1, 1], "Rome", 1)]));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => reader.DeleteCollectionAsync("keys"))).StatusCode);
        Assert.Equal(5ul, await full.CountAsync("keys"));
    }

    [Fact]
    public async Task Bad_input_answers_invalid_argument_and_writes_nothing()
    {
        await using var s = await GrpcServer.StartAsync();
        using var client = s.Client();
        await SeedAsync(client, "strict");
        var before = await Db(s).GetCollectionInfoAsync("strict");

        var wrongSize = await Assert.ThrowsAsync<RpcException>(() => client.UpsertAsync("strict", [Point(1, [1, 2, 3, 4], "X", 1), Point(7, [1, 2], "Y", 2)]));
        Assert.Equal(StatusCode.InvalidArgument, wrongSize.StatusCode);
        var badFilter = await Assert.ThrowsAsync<RpcException>(() => client.CountAsync("strict", new Filter { Must = { new Condition { Field = new FieldCondition { Key = "city" } } } }));
        Assert.Equal(StatusCode.InvalidArgument, badFilter.StatusCode);
        Assert.Contains("filter", badFilter.Status.Detail, StringComparison.Ordinal);
        var noVector = await Assert.ThrowsAsync<RpcException>(() => client.UpsertAsync("strict", [new PointStruct { Id = 8 }]));
        Assert.Equal(StatusCode.InvalidArgument, noVector.StatusCode);
        var bigLimit = await Assert.ThrowsAsync<RpcException>(() => client.QueryAsync("strict", new float[] { 1, 0, 0, 0 }, limit: 1_000_000));
        Assert.Equal(StatusCode.InvalidArgument, bigLimit.StatusCode);
        var badName = await Assert.ThrowsAsync<RpcException>(() => client.CreateCollectionAsync("bad name!", new VectorParams { Size = 2, Distance = Distance.Cosine }));
        Assert.Equal(StatusCode.InvalidArgument, badName.StatusCode);
        var noDistance = await Assert.ThrowsAsync<RpcException>(() => client.CreateCollectionAsync("nodistance", new VectorParams { Size = 2 }));
        Assert.Equal(StatusCode.InvalidArgument, noDistance.StatusCode);
        Assert.False(await client.CollectionExistsAsync("nodistance"));

        var after = await Db(s).GetCollectionInfoAsync("strict");
        Assert.Equal(before.PointsCount, after.PointsCount);
        Assert.Equal(before.LastLsn, after.LastLsn);
        var p1 = await Db(s).GetCollection("strict").GetAsync([1ul], RF.PayloadSelector.All);
        Assert.Equal("London", p1[0].Payload!.Value.GetProperty("city").GetString());
    }
}
