using System.Text.Json;
using RoseForest.Cluster.Catalog;
using RoseForest.Contracts.Qdrant;
using RoseForest.Core.Filters;
using RoseForest.Engine;
using Record = RoseForest.Contracts.Record;

namespace RoseForest.Cluster.Tests;

/// <summary>
/// The data model and the universal query API across shards, checked against one embedded
/// collection holding the same points: named dense, sparse and multi vectors; every write kind
/// going through the shard logs; every query kind merged exactly, or refused with a 400.
/// </summary>
[Collection(PostgresCollection.Name)]
public class QueryApiTests(PostgresFixture pg)
{
    private static readonly CollectionOptions Shape = new()
    {
        NamedVectors = new Dictionary<string, VectorParams>
        {
            ["a"] = new() { Size = 4, Distance = Geometry.Cosine },
            ["e"] = new() { Size = 3, Distance = Geometry.Euclid },
            ["m"] = new() { Size = 2, Distance = Geometry.Dot, Multivector = MultivectorComparator.MaxSim },
        },
        SparseVectors = new Dictionary<string, SparseVectorParams> { ["s"] = new() },
        Durability = Durability.Sync,
    };

    private static List<PointStruct> Points(int from, int count, int seed)
    {
        var random = new Random(seed);
        float R() => (float)Math.Round((random.NextDouble() * 2) - 1, 3);
        var points = new List<PointStruct>();
        for (var i = from; i < from + count; i++)
        {
            var vectors = new Dictionary<string, VectorData>
            {
                ["a"] = new DenseVector([R(), R(), R(), R()]),
                ["m"] = new MultiVector([[R(), R()], [R(), R()]]),
                ["s"] = new SparseVector([(uint)(i % 5), (uint)(5 + (i % 3))], [R(), R()]),
            };
            if (i % 5 != 0)
            {
                vectors["e"] = new DenseVector([R(), R(), R()]);
            }

            var payload = JsonDocument.Parse($$"""{"g":{{i % 7}},"tag":"{{"xyz"[i % 3]}}","n":{{(i * 37) % 50}},"both":[{{i % 2}},{{10 + (i % 3)}}]}""").RootElement.Clone();
            points.Add(new PointStruct((ulong)i) { Vectors = vectors } with { Payload = payload });
        }

        return points;
    }

    private static IDisposable Strong() => ClusterRequest.Begin(new ClusterRequest { Consistency = new(ReadConsistencyMode.Strong) });

    private static async Task<(ClusterHarness Cluster, IVectorCollection Cluster1, RoseForestDatabase Single, IVectorCollection Reference)> SetUpAsync(PostgresFixture pg)
    {
        var cluster = await ClusterHarness.StartAsync(pg, 3);
        var db = cluster.Nodes[0].Cluster!.Database;
        using (ClusterRequest.Begin(new ClusterRequest { CreateSettings = new ClusterCollectionSettings(3, 2, 1, ShardingMethod.Auto) }))
        {
            await db.CreateCollectionAsync("c", Shape);
            await db.CreateCollectionAsync("other", new CollectionOptions { NamedVectors = new Dictionary<string, VectorParams> { ["a"] = new() { Size = 4, Distance = Geometry.Cosine } } });
        }

        var single = RoseForestDatabase.CreateInMemory();
        var reference = await single.CreateCollectionAsync("c", Shape.WithDurability(Durability.Memory));
        var otherReference = await single.CreateCollectionAsync("other", new CollectionOptions { NamedVectors = new Dictionary<string, VectorParams> { ["a"] = new() { Size = 4, Distance = Geometry.Cosine } }, Durability = Durability.Memory });
        var points = Points(1, 150, 7);
        var collection = db.GetCollection("c");
        await collection.UpsertAsync(points);
        await reference.UpsertAsync(points);
        PointStruct[] others = [new(1000) { Vectors = new Dictionary<string, VectorData> { ["a"] = new DenseVector([0.1f, 0.9f, -0.3f, 0.2f]) } }];
        await db.GetCollection("other").UpsertAsync(others);
        await otherReference.UpsertAsync(others);
        return (cluster, collection, single, reference);
    }

    private static string Json(IEnumerable<ScoredPoint> points) =>
        JsonSerializer.Serialize(points.Select(p => QdrantJson.ToElement(w => QdrantJson.WriteScored(w, p with { Version = 0 }, payloadRequested: true))));

    private static string Json(IEnumerable<Record> records) =>
        JsonSerializer.Serialize(records.Select(r => QdrantJson.ToElement(w => QdrantJson.WriteRecord(w, r with { Version = 0 }, payloadRequested: true))));

    private static async Task<List<Record>> AllAsync(IVectorCollection collection)
    {
        var page = await collection.ScrollAsync(new ScrollRequest { Limit = 10_000, WithPayload = PayloadSelector.All, WithVector = VectorSelector.All });
        return [.. page.Points];
    }

    [Fact]
    public async Task Every_query_kind_across_three_shards_answers_what_one_collection_answers()
    {
        var (cluster, c, single, reference) = await SetUpAsync(pg);
        await using var _ = cluster;
        await using var __ = single;
        var dense = new DenseVector([0.3f, -0.2f, 0.8f, 0.1f]);
        var queries = new List<QueryRequest>
        {
            new() { Query = new NearestQuery(new float[] { 0.3f, -0.2f, 0.8f, 0.1f }), Using = "a", Limit = 7, Exact = true, WithPayload = PayloadSelector.All },
            new() { Query = new NearestQuery(new float[] { 0.1f, 0.1f, -0.5f }), Using = "e", Limit = 5, Offset = 3, Exact = true, WithVector = VectorSelector.Only("e") },
            new() { Query = new NearestQuery(new SparseVector([1, 6], [0.5f, -1f])), Using = "s", Limit = 6 },
            new() { Query = new NearestQuery(new MultiVector([[0.2f, 0.9f], [-0.4f, 0.1f]])), Using = "m", Limit = 6, Exact = true },
            new() { NearestTo = PointId.FromNumber(5), Using = "a", Limit = 5, Exact = true },
            new() { Query = new RecommendQuery([PointId.FromNumber(1), PointId.FromNumber(2)], [PointId.FromNumber(3)]), Using = "a", Limit = 6, Exact = true },
            new() { Query = new RecommendQuery([PointId.FromNumber(4), dense.Values], [PointId.FromNumber(9)], RecommendStrategy.BestScore), Using = "a", Limit = 6 },
            new() { Query = new RecommendQuery([PointId.FromNumber(4)], [PointId.FromNumber(9), PointId.FromNumber(8)], RecommendStrategy.SumScores), Using = "e", Limit = 6 },
            new() { Query = new DiscoverQuery(PointId.FromNumber(11), [new ContextPair(PointId.FromNumber(12), PointId.FromNumber(13))]), Using = "a", Limit = 6 },
            new() { Query = new ContextQuery([new ContextPair(PointId.FromNumber(14), PointId.FromNumber(15)), new ContextPair(dense.Values, PointId.FromNumber(16))]), Using = "a", Limit = 6 },
            new() { Query = new OrderByQuery("n") { Direction = OrderDirection.Desc, StartFrom = OrderValue.FromInteger(40) }, Limit = 9, Filter = new Filter(must: [Condition.Match("tag", "y")]) },
            new() { Query = new OrderByQuery("both"), Limit = 12 },
            new() { Limit = 8, Offset = 20 },
            new() { Query = FusionQuery.Rrf, Limit = 10, Prefetch = [new Prefetch { Query = new NearestQuery(dense.Values), Using = "a", Limit = 25, Exact = true }, new Prefetch { Query = new NearestQuery(new SparseVector([2], [1f])), Using = "s", Limit = 25 }] },
            new() { Query = new FusionQuery(FusionMethod.Rrf) { K = 5, Weights = [2, 0.5] }, Limit = 10, Prefetch = [new Prefetch { Query = new NearestQuery(dense.Values), Using = "a", Limit = 25, Exact = true }, new Prefetch { Query = new OrderByQuery("n"), Limit = 25 }] },
            new() { Query = FusionQuery.Dbsf, Limit = 10, ScoreThreshold = 0.5, Prefetch = [new Prefetch { Query = new NearestQuery(new float[] { 0.5f, 0.5f, 0.5f }), Using = "e", Limit = 20, Exact = true }, new Prefetch { Query = new NearestQuery(dense.Values), Using = "a", Limit = 20, Exact = true }] },
            new() { Query = new NearestQuery(dense.Values), Using = "a", Limit = 5, WithPayload = PayloadSelector.Include("tag"), Prefetch = [new Prefetch { Query = new NearestQuery(new SparseVector([0, 5], [1f, 1f])), Using = "s", Limit = 30, Filter = new Filter(mustNot: [Condition.Match("g", 3L)]) }] },
            new() { Query = new OrderByQuery("n") { Direction = OrderDirection.Desc }, Limit = 6, Prefetch = [new Prefetch { Query = new NearestQuery(PointId.FromNumber(20)), Using = "a", Limit = 15, Exact = true }] },
            new() { Query = new NearestQuery(dense.Values), Using = "a", Limit = 10, ScoreThreshold = 0.2, Exact = true, Filter = new Filter(must: [Condition.Range("n", gte: 10, lt: 40)]) },
            new() { Query = new NearestQuery(PointId.FromNumber(1000)), Using = "a", LookupFrom = new LookupLocation("other"), Limit = 5, Exact = true },
        };

        using (Strong())
        {
            for (var i = 0; i < queries.Count; i++)
            {
                var expected = await reference.QueryAsync(queries[i]);
                var got = await c.QueryAsync(queries[i]);
                Assert.True(expected.Count > 0, $"query {i} finds something");
                Assert.True(Json(expected) == Json(got), $"query {i}:\nexpected {Json(expected)}\ngot      {Json(got)}");
            }

            var batch = await c.QueryBatchAsync(queries.Take(3).ToList());
            Assert.Equal(Json(await reference.QueryAsync(queries[2])), Json(batch[2]));

            // Counts and facets sum over shards; facets keep the engine's order.
            var filter = new Filter(must: [Condition.Match("tag", "x")]);
            Assert.Equal(await reference.CountAsync(filter), await c.CountAsync(filter));
            var facet = new FacetRequest { Key = "both", Limit = 4 };
            Assert.Equal(await reference.FacetAsync(facet), await c.FacetAsync(facet));
            Assert.Equal(await reference.FacetAsync(new FacetRequest { Key = "g", Filter = filter }), await c.FacetAsync(new FacetRequest { Key = "g", Filter = filter }));

            // Groups: by an integer, and by an array (a point joins every group of its values), with a lookup.
            foreach (var (groupBy, size, limit) in new[] { ("g", 2, 4), ("both", 3, 5), ("tag", 5, 2) })
            {
                var request = new QueryGroupsRequest
                {
                    Query = new QueryRequest { Query = new NearestQuery(dense.Values), Using = "a", Exact = true, WithPayload = PayloadSelector.All },
                    GroupBy = groupBy,
                    GroupSize = size,
                    Limit = limit,
                    WithLookup = new WithLookup("c"),
                };
                var expected = await reference.QueryGroupsAsync(request);
                var got = await c.QueryGroupsAsync(request);
                Assert.Equal(expected.Select(g => g.Id.GetRawText()), got.Select(g => g.Id.GetRawText()));
                for (var g = 0; g < expected.Count; g++)
                {
                    Assert.Equal(Json(expected[g].Hits), Json(got[g].Hits));
                    Assert.Equal(expected[g].Lookup?.Id, got[g].Lookup?.Id);
                }
            }

            // A random sample: distinct points that match, as many as asked.
            var sample = await c.QueryAsync(new QueryRequest { Query = SampleQuery.Random, Limit = 20, Filter = filter, WithPayload = PayloadSelector.All });
            Assert.Equal(20, sample.Select(p => p.Id).Distinct().Count());
            Assert.All(sample, p => Assert.Equal("x", p.Payload!.Value.GetProperty("tag").GetString()));

            // The matrix: each sampled point's nearest among the sample, scored as one collection scores them.
            var matrix = await c.SearchMatrixAsync(new SearchMatrixRequest { Sample = 12, Limit = 3, Using = "e" });
            Assert.Equal(12, matrix.Ids.Count);
            Assert.All(matrix.Ids, id => Assert.NotEqual(0UL, id.Number % 5));
            foreach (var a in matrix.Ids)
            {
                var vector = (await reference.GetAsync([a], PayloadSelector.None, VectorSelector.Only("e")))[0].Vectors!["e"];
                var nearest = await reference.QueryAsync(new QueryRequest { Query = new NearestQuery(VectorInput.Of(vector)), Using = "e", Limit = 3, Exact = true, Filter = new Filter(must: [Condition.HasId([.. matrix.Ids.Where(b => b != a)])]) });
                Assert.Equal(nearest.Select(h => (h.Id, h.Score)), matrix.Pairs.Where(p => p.A == a).Select(p => (p.B, p.Score)));
            }
        }
    }

    [Fact]
    public async Task What_cannot_be_merged_exactly_is_refused_with_a_400()
    {
        var (cluster, c, single, _) = await SetUpAsync(pg);
        await using var _ = cluster;
        await using var __ = single;
        var mmr = new QueryRequest { Query = new NearestQuery(new float[] { 1, 0, 0, 0 }) { Mmr = new Mmr { Diversity = 0.5 } }, Using = "a" };
        var e = await Assert.ThrowsAsync<ClusterNotSupportedException>(() => c.QueryAsync(mmr).AsTask());
        Assert.Contains("mmr", e.Message);
        var formula = new QueryRequest { Query = new FormulaQuery("$score"), Prefetch = [new Prefetch { Query = new NearestQuery(new float[] { 1, 0, 0, 0 }), Using = "a" }] };
        await Assert.ThrowsAsync<ClusterNotSupportedException>(() => c.QueryAsync(formula).AsTask());
        var groupsOverPrefetch = new QueryGroupsRequest { Query = new QueryRequest { Query = FusionQuery.Rrf, Prefetch = [new Prefetch { Query = new NearestQuery(new float[] { 1, 0, 0, 0 }), Using = "a" }] }, GroupBy = "g" };
        await Assert.ThrowsAsync<ClusterNotSupportedException>(() => c.QueryGroupsAsync(groupsOverPrefetch).AsTask());

        // Through REST: 400 with the reason.
        var (status, body, _) = await ClusterHarness.SendAsync(cluster.Http[1], HttpMethod.Post, "collections/c/points/query", """{"query":{"nearest":[1,0,0,0],"mmr":{"diversity":0.3}},"using":"a"}""");
        Assert.Equal(400, status);
        Assert.Contains("cluster mode", body.GetProperty("status").GetProperty("error").GetString());
    }

    [Fact]
    public async Task Every_write_kind_goes_through_the_logs_and_leaves_every_replica_as_one_collection_would_be()
    {
        var (cluster, c, single, reference) = await SetUpAsync(pg);
        await using var _ = cluster;
        await using var __ = single;
        static JsonElement Payload(string json) => JsonDocument.Parse(json).RootElement.Clone();
        var changed = Points(1, 9, 99).Select(p => p with { Payload = Payload("""{"tag":"changed"}""") }).ToList();
        changed.Add(Points(700, 1, 3)[0]);
        var tagX = new Filter(must: [Condition.Match("tag", "x")]);
        UpdateOperation[] steps =
        [
            new UpsertOperation(changed, new UpsertOptions { Mode = UpdateMode.InsertOnly }),
            new UpsertOperation(changed, new UpsertOptions { UpdateFilter = tagX }),
            new UpsertOperation(Points(20, 5, 5), new UpsertOptions { Mode = UpdateMode.UpdateOnly }),
            new UpdateVectorsOperation([new PointStruct(5) { Vectors = new Dictionary<string, VectorData> { ["e"] = new DenseVector([1, 2, 3]) } }, new PointStruct(6) { Vectors = new Dictionary<string, VectorData> { ["s"] = new SparseVector([9], [2f]) } }]),
            new UpdateVectorsOperation([new PointStruct(30) { Vectors = new Dictionary<string, VectorData> { ["a"] = new DenseVector([1, 1, 1, 1]) } }, new PointStruct(31) { Vectors = new Dictionary<string, VectorData> { ["a"] = new DenseVector([1, 1, 1, 1]) } }], new Filter(must: [Condition.Match("tag", "y")])),
            new DeleteVectorsOperation(PointSelector.ById([7, 8]), ["e", "s"]),
            new DeleteVectorsOperation(PointSelector.Where(new Filter(must: [Condition.Match("g", 6L)])), ["m"]),
            new SetPayloadOperation(PointSelector.ById([40, 41]), Payload("""{"k":{"deep":1}}""")),
            new SetPayloadOperation(PointSelector.Where(tagX), Payload("""{"deep":2}"""), "k"),
            new DeletePointsOperation(PointSelector.ById([42, 4242])),
        ];
        Assert.Equal(steps.Length, (await c.UpdateBatchAsync(steps)).Count);
        await reference.UpdateBatchAsync(steps);

        // A batch stops at its first failure; the steps before it stay applied, the ones after are not logged.
        UpdateOperation[] failing =
        [
            new SetPayloadOperation(PointSelector.ById([50]), Payload("""{"before":true}""")),
            new SetPayloadOperation(PointSelector.ById([9999]), Payload("""{"missing":true}""")),
            new SetPayloadOperation(PointSelector.ById([51]), Payload("""{"after":true}""")),
        ];
        await Assert.ThrowsAnyAsync<NotFoundException>(() => c.UpdateBatchAsync(failing));
        await Assert.ThrowsAsync<PointNotFoundException>(() => reference.UpdateBatchAsync(failing));

        // Bad vectors the router cannot judge alone are refused by every replica alike: a 400, nothing changed.
        var wrong = new PointStruct(60) { Vectors = new Dictionary<string, VectorData> { ["a"] = new DenseVector([1, 2]) } };
        var refused = await Assert.ThrowsAnyAsync<ValidationException>(() => c.UpsertAsync([wrong]));
        Assert.Contains("a", refused.Message);
        await Assert.ThrowsAnyAsync<ValidationException>(() => c.UpdateVectorsAsync([new PointStruct(61) { Vectors = new Dictionary<string, VectorData> { ["nope"] = new DenseVector([1]) } }]));
        await Assert.ThrowsAnyAsync<NotFoundException>(() => c.UpdateVectorsAsync([new PointStruct(9999) { Vectors = new Dictionary<string, VectorData> { ["a"] = new DenseVector([1, 0, 0, 0]) } }]));

        using (Strong())
        {
            Assert.Equal(Json(await AllAsync(reference)), Json(await AllAsync(c)));
        }

        // Every replica of every shard holds what the cluster answers for it.
        await cluster.WaitUntilAsync(() => cluster.CaughtUpAsync("c", 2), TimeSpan.FromSeconds(30), "replicas to catch up");
        var byShard = new Dictionary<string, List<string>>();
        foreach (var node in cluster.Nodes)
        {
            foreach (var local in node.Database.ListCollections().Where(n => n.StartsWith("shard_", StringComparison.Ordinal)))
            {
                var records = await AllAsync(node.Database.GetCollection(local));
                if (!byShard.TryGetValue(local, out var copies))
                {
                    byShard[local] = copies = [];
                }

                copies.Add(Json(records));
            }
        }

        Assert.Equal(6, byShard.Count);
        Assert.All(byShard.Values, copies =>
        {
            Assert.Equal(2, copies.Count);
            Assert.Single(copies.Distinct());
        });
    }
}
