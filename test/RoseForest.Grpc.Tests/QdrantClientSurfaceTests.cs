using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;
using RF = RoseForest.Contracts;

namespace RoseForest.Grpc.Tests;

/// <summary>The rest of the Points surface through Qdrant.Client, each answer checked against the same request through REST or the embedded API.</summary>
public class QdrantClientSurfaceTests
{
    private static async Task SeedAsync(QdrantClient client, string name, int count = 12)
    {
        await client.CreateCollectionAsync(name, new VectorParams { Size = 3, Distance = Distance.Euclid });
        var points = new List<PointStruct>();
        for (var i = 1; i <= count; i++)
        {
            var p = new PointStruct { Id = (ulong)i, Vectors = new[] { i, i % 3, i % 5 * 0.5f } };
            p.Payload["color"] = (i % 3) switch { 0 => "red", 1 => "green", _ => "blue" };
            p.Payload["n"] = i;
            points.Add(p);
        }

        await client.UpsertAsync(name, points);
    }

    private static async Task<JsonElement> RestAsync(GrpcServer s, string path, object body)
    {
        using var http = new HttpClient { BaseAddress = s.Server.BaseAddress };
        using var response = await http.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result");
    }

#pragma warning disable CS0618 // the legacy search, recommend and discover rpcs, still served
    [Fact]
    public async Task Legacy_search_batch_groups_and_discover_answer_as_rest_does()
    {
        await using var s = await GrpcServer.StartAsync();
        using var client = s.Client();
        await SeedAsync(client, "legacy");

        var search = await client.SearchAsync("legacy", new float[] { 4, 1, 1 }, filter: MatchKeyword("color", "green"), limit: 3);
        var rest = await RestAsync(s, "collections/legacy/points/search", new { vector = new[] { 4f, 1, 1 }, filter = new { must = new[] { new { key = "color", match = new { value = "green" } } } }, limit = 3 });
        Assert.Equal(rest.EnumerateArray().Select(p => p.GetProperty("id").GetUInt64()), search.Select(p => p.Id.Num));

        var batch = await client.SearchBatchAsync("legacy",
        [
            new SearchPoints { CollectionName = "legacy", Vector = { 1, 1, 0.5f }, Limit = 2 },
            new SearchPoints { CollectionName = "legacy", Vector = { 12, 0, 1 }, Limit = 1 },
        ]);
        Assert.Equal([1ul, 2ul], batch[0].Result.Select(p => p.Id.Num).Order());
        Assert.Equal(12ul, batch[1].Result[0].Id.Num);

        var groups = await client.SearchGroupsAsync("legacy", new float[] { 6, 0, 0 }, "color", limit: 3, groupSize: 2);
        var restGroups = await RestAsync(s, "collections/legacy/points/search/groups", new { vector = new[] { 6f, 0, 0 }, group_by = "color", limit = 3, group_size = 2 });
        Assert.Equal(
            restGroups.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("id").GetString() + ":" + string.Join(",", g.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("id").GetUInt64()))),
            groups.Select(g => g.Id.StringValue + ":" + string.Join(",", g.Hits.Select(h => h.Id.Num))));

        var discovered = await client.DiscoverAsync("legacy", new TargetVector { Single = new VectorExample { Id = 6ul } },
            [new ContextExamplePair { Positive = new VectorExample { Id = 7ul }, Negative = new VectorExample { Id = 1ul } }], limit: 3);
        var restDiscover = await RestAsync(s, "collections/legacy/points/discover", new { target = 6, context = new[] { new { positive = 7, negative = 1 } }, limit = 3 });
        Assert.Equal(restDiscover.EnumerateArray().Select(p => p.GetProperty("id").GetUInt64()), discovered.Select(p => p.Id.Num));
    }
#pragma warning restore CS0618

    [Fact]
    public async Task Query_batch_groups_facet_and_matrix_match_the_embedded_api()
    {
        await using var s = await GrpcServer.StartAsync();
        using var client = s.Client();
        await SeedAsync(client, "explore");
        RF.IVectorDatabase db = s.Server.Database;
        var col = db.GetCollection("explore");

        var batch = await client.QueryBatchAsync("explore",
        [
            new QueryPoints { CollectionName = "explore", Query = new float[] { 3, 0, 1.5f }, Limit = 2 },
            new QueryPoints { CollectionName = "explore", Query = new OrderBy { Key = "n", Direction = Direction.Desc }, Limit = 2 },
        ]);
        Assert.Equal(3ul, batch[0].Result[0].Id.Num);
        Assert.Equal([12ul, 11ul], batch[1].Result.Select(p => p.Id.Num));
        Assert.Equal(12, batch[1].Result[0].OrderValue.Int);

        var groups = await client.QueryGroupsAsync("explore", "color", query: new float[] { 9, 0, 2 }, limit: 2, groupSize: 3);
        var embeddedGroups = await col.QueryGroupsAsync(new RF.QueryGroupsRequest { Query = new RF.QueryRequest { Vector = [9, 0, 2] }, GroupBy = "color", Limit = 2, GroupSize = 3 });
        Assert.Equal(embeddedGroups.Select(g => g.Id.GetString()), groups.Select(g => g.Id.StringValue));
        Assert.Equal(embeddedGroups.SelectMany(g => g.Hits).Select(h => h.Id.Number), groups.SelectMany(g => g.Hits).Select(h => h.Id.Num));

        var facet = await client.FacetAsync("explore", "color", filter: Range("n", new Qdrant.Client.Grpc.Range { Lte = 10 }));
        var embeddedFacet = await col.FacetAsync(new RF.FacetRequest { Key = "color", Filter = RoseForest.Core.Filters.Filter.Where(RoseForest.Core.Filters.Condition.Range("n", lte: 10)) });
        Assert.Equal(embeddedFacet.Select(h => (h.Value.KeywordValue, (ulong)h.Count)), facet.Hits.Select((FacetHit h) => (h.Value.StringValue, h.Count)));

        var pairs = await client.SearchMatrixPairsAsync("explore", sample: 12, limit: 2);
        var embeddedMatrix = await col.SearchMatrixAsync(new RF.SearchMatrixRequest { Sample = 12, Limit = 2 });
        Assert.Equal(embeddedMatrix.Pairs.Count, pairs.Pairs.Count);
        Assert.Equal(
            embeddedMatrix.Pairs.Select(p => (p.A.Number, p.B.Number)).Order(),
            pairs.Pairs.Select(p => (p.A.Num, p.B.Num)).Order());
        var offsets = await client.SearchMatrixOffsetsAsync("explore", sample: 12, limit: 2);
        Assert.Equal(12, offsets.Ids.Count);
        Assert.Equal(offsets.OffsetsRow.Count, offsets.Scores.Count);
        Assert.All(offsets.OffsetsCol, c => Assert.InRange(c, 0ul, 11ul));
    }

    [Fact]
    public async Task Update_batch_and_vector_edits_apply_as_the_engine_does()
    {
        await using var s = await GrpcServer.StartAsync();
        using var client = s.Client();
        await client.CreateCollectionAsync("edits", new VectorParamsMap
        {
            Map = { ["a"] = new VectorParams { Size = 2, Distance = Distance.Dot }, ["b"] = new VectorParams { Size = 2, Distance = Distance.Dot } },
        });
        await client.UpsertAsync("edits",
        [
            new PointStruct { Id = 1, Vectors = new Dictionary<string, Vector> { ["a"] = new[] { 1f, 0 }, ["b"] = new[] { 0f, 1 } } },
            new PointStruct { Id = 2, Vectors = new Dictionary<string, Vector> { ["a"] = new[] { 0f, 1 }, ["b"] = new[] { 1f, 0 } } },
        ]);
        await client.UpdateVectorsAsync("edits", [new PointVectors { Id = 1, Vectors = new Dictionary<string, Vector> { ["a"] = new[] { 5f, 5 } } }]);
        await client.DeleteVectorsAsync("edits", ["b"], [2ul]);
        RF.IVectorDatabase db = s.Server.Database;
        var records = await db.GetCollection("edits").GetAsync([1ul, 2ul], withVector: RF.VectorSelector.All);
        Assert.Equal([5f, 5], ((RF.DenseVector)records[0].Vectors!["a"]).Values);
        Assert.Equal([0f, 1], ((RF.DenseVector)records[0].Vectors!["b"]).Values);
        Assert.False(records[1].Vectors!.ContainsKey("b"));

        var results = await client.UpdateBatchAsync("edits",
        [
            new PointsUpdateOperation { Upsert = new PointsUpdateOperation.Types.PointStructList { Points = { new PointStruct { Id = 3, Vectors = new Dictionary<string, Vector> { ["a"] = new[] { 1f, 1 } } } } } },
            new PointsUpdateOperation { SetPayload = new PointsUpdateOperation.Types.SetPayload { Payload = { ["k"] = "v" }, PointsSelector = new PointsSelector { Points = new PointsIdsList { Ids = { 3ul } } } } },
            new PointsUpdateOperation { DeletePoints = new PointsUpdateOperation.Types.DeletePoints { Points = new PointsSelector { Points = new PointsIdsList { Ids = { 2ul } } } } },
        ]);
        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.Equal(UpdateStatus.Completed, r.Status));
        var three = await db.GetCollection("edits").GetAsync([2ul, 3ul], RF.PayloadSelector.All);
        Assert.Equal("v", Assert.Single(three).Payload!.Value.GetProperty("k").GetString());

        // A batch with a malformed operation is refused whole, before its first write.
        var lsn = (await db.GetCollectionInfoAsync("edits")).LastLsn;
        var bad = await Assert.ThrowsAsync<RpcException>(() => client.UpdateBatchAsync("edits",
        [
            new PointsUpdateOperation { DeletePoints = new PointsUpdateOperation.Types.DeletePoints { Points = new PointsSelector { Points = new PointsIdsList { Ids = { 1ul } } } } },
            new PointsUpdateOperation(),
        ]));
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.Equal(lsn, (await db.GetCollectionInfoAsync("edits")).LastLsn);
        Assert.Equal(2ul, await client.CountAsync("edits"));
    }

    [Fact]
    public async Task Aliases_and_scroll_by_a_payload_value_work_as_over_rest()
    {
        await using var s = await GrpcServer.StartAsync();
        using var client = s.Client();
        await SeedAsync(client, "real", 12);
        await client.CreateAliasAsync("live", "real");
        var all = await client.ListAliasesAsync();
        Assert.Equal(("live", "real"), (Assert.Single(all).AliasName, all[0].CollectionName));
        Assert.Equal(["live"], await client.ListCollectionAliasesAsync("real"));
        Assert.Equal(12ul, await client.CountAsync("live"));
        await client.RenameAliasAsync("live", "prod");
        Assert.Equal("prod", Assert.Single(s.Server.Database.ListAliases()).AliasName);
        var missing = await Assert.ThrowsAsync<RpcException>(() => client.CreateAliasAsync("x", "nope"));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        await client.DeleteAliasAsync("prod");
        Assert.Empty(await client.ListAliasesAsync());

        // Payload indexes by field type, the same engine call as REST's PUT …/index.
        await client.CreatePayloadIndexAsync("real", "color", PayloadSchemaType.Keyword);
        await client.CreatePayloadIndexAsync("real", "n", PayloadSchemaType.Integer);
        var schema = s.Server.Database.GetCollectionInfo("real").PayloadSchema;
        Assert.Equal(["color", "n"], schema.Keys.Order());
        Assert.Equal(4ul, await client.CountAsync("real", new Filter { Must = { Conditions.MatchKeyword("color", "green") } }));
        await client.DeletePayloadIndexAsync("real", "color");
        Assert.Equal(["n"], s.Server.Database.GetCollectionInfo("real").PayloadSchema.Keys);
        var withParams = await Assert.ThrowsAsync<RpcException>(() => client.CreatePayloadIndexAsync("real", "t", PayloadSchemaType.Text, new PayloadIndexParams { TextIndexParams = new TextIndexParams { Tokenizer = TokenizerType.Word } }));
        Assert.Equal(StatusCode.Unimplemented, withParams.StatusCode);

        // n = 1..12: descending from 7 gives 7, 6, 5 with their order values.
        var page = await client.ScrollAsync("real", limit: 3, orderBy: new OrderBy { Key = "n", Direction = Direction.Desc, StartFrom = new StartFrom { Integer = 7 } });
        Assert.Equal([7ul, 6ul, 5ul], page.Result.Select(p => p.Id.Num));
        Assert.Equal([7L, 6L, 5L], page.Result.Select(p => p.OrderValue.Int));
        Assert.Null(page.NextPageOffset);
    }

    [Fact]
    public async Task Update_collection_and_vector_names_change_the_collection_as_rest_does()
    {
        await using var s = await GrpcServer.StartAsync();
        using var client = s.Client();
        await SeedAsync(client, "change", 5);
        await client.UpdateCollectionAsync(
            "change",
            new Dictionary<string, Value> { ["owner"] = "grpc" },
            hnswConfig: new HnswConfigDiff { M = 12, EfConstruct = 60 },
            quantizationConfig: new QuantizationConfigDiff { Scalar = new ScalarQuantization { Type = QuantizationType.Int8, Quantile = 0.9f } },
            strictModeConfig: new StrictModeConfig { Enabled = true, UpsertMaxBatchsize = 100 });
        var options = s.Server.Database.GetCollectionInfo("change").Options!;
        Assert.Equal(12, options.Hnsw!.M);
        Assert.Equal(60, options.Hnsw.EfConstruct);
        Assert.Equal(0.9, options.Quantization!.Quantile, 6);
        Assert.Equal("""{"owner":"grpc"}""", JsonSerializer.Serialize(options.Metadata));
        Assert.Equal("""{"enabled":true,"upsert_max_batchsize":100}""", JsonSerializer.Serialize(options.StrictModeConfig));

        await client.CreateVectorNameAsync(new CreateVectorNameRequest { CollectionName = "change", VectorName = "img", DenseConfig = new DenseVectorCreationConfig { Size = 2, Distance = Distance.Dot } });
        await client.CreateVectorNameAsync(new CreateVectorNameRequest { CollectionName = "change", VectorName = "kw", SparseConfig = new SparseVectorCreationConfig { Modifier = Modifier.Idf } });
        options = s.Server.Database.GetCollectionInfo("change").Options!;
        Assert.Equal(RoseForest.Core.Geometry.Dot, options.NamedVectors["img"].Distance);
        Assert.Equal(RF.SparseModifier.Idf, options.SparseVectors["kw"].Modifier);
        var conflict = await Assert.ThrowsAsync<RpcException>(() => client.CreateVectorNameAsync(new CreateVectorNameRequest { CollectionName = "change", VectorName = "img", DenseConfig = new DenseVectorCreationConfig { Size = 3, Distance = Distance.Dot } }));
        Assert.Equal(StatusCode.InvalidArgument, conflict.StatusCode);
        await client.DeleteVectorNameAsync(new DeleteVectorNameRequest { CollectionName = "change", VectorName = "img" });
        Assert.False(s.Server.Database.GetCollectionInfo("change").Options!.NamedVectors.ContainsKey("img"));
        var unknown = await Assert.ThrowsAsync<RpcException>(() => client.UpdateCollectionAsync("change", new VectorParamsDiffMap { Map = { ["nope"] = new VectorParamsDiff { HnswConfig = new HnswConfigDiff { M = 4 } } } }));
        Assert.Equal(StatusCode.InvalidArgument, unknown.StatusCode);
        Assert.Equal(5ul, await client.CountAsync("change"));
    }

    [Fact]
    public async Task Rpcs_roseforest_lacks_answer_unimplemented_with_a_reason()
    {
        await using var s = await GrpcServer.StartAsync();
        using var client = s.Client();
        await SeedAsync(client, "lacks", 3);
        var product = await Assert.ThrowsAsync<RpcException>(() => client.CreateCollectionAsync("pq", new VectorParams { Size = 8, Distance = Distance.Cosine },
            quantizationConfig: new QuantizationConfig { Product = new ProductQuantization { Compression = CompressionRatio.X16 } }));
        Assert.Equal(StatusCode.InvalidArgument, product.StatusCode);
        Assert.Equal(3ul, await client.CountAsync("lacks"));
    }

    [Fact]
    public async Task A_hyperbolic_collection_made_through_rest_reads_through_grpc()
    {
        await using var s = await GrpcServer.StartAsync();
        using var http = new HttpClient { BaseAddress = s.Server.BaseAddress };
        using var created = await http.PutAsJsonAsync("collections/ball", new { vectors = new { size = 2, distance = "Poincare" } });
        created.EnsureSuccessStatusCode();
        using var client = s.Client();
        await client.UpsertAsync("ball", [new PointStruct { Id = 1, Vectors = new[] { 0.1f, 0.2f } }, new PointStruct { Id = 2, Vectors = new[] { -0.5f, 0.3f } }]);
        var info = await client.GetCollectionInfoAsync("ball");
        Assert.Equal(2ul, info.PointsCount);
        Assert.Equal(1001, (int)info.Config.Params.VectorsConfig.Params.Distance); // RoseForest's Poincare value, unknown to Qdrant.Client
        Assert.Equal(2ul, info.Config.Params.VectorsConfig.Params.Size);
        Assert.Equal(1ul, (await client.QueryAsync("ball", new float[] { 0.1f, 0.21f }, limit: 1))[0].Id.Num);
    }
}
