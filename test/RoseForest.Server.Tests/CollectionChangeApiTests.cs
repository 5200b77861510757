using System.Text.Json;

namespace RoseForest.Server.Tests;

/// <summary>
/// Qdrant's create_vector_name and delete_vector_name (<c>PUT</c>/<c>DELETE
/// /collections/{name}/vectors/{vector_name}</c>) and <c>PATCH /collections/{name}</c> over REST:
/// the change is visible in GET collection, effective in searches, kept across a restart, and a
/// refused change leaves the collection as it was.
/// </summary>
public class CollectionChangeApiTests
{
    private static string Error(JsonElement body) => body.GetProperty("status").GetProperty("error").GetString()!;

    private static JsonElement Config(JsonElement info) => info.GetProperty("result").GetProperty("config");

    [Fact]
    public async Task Vectors_are_added_and_removed_and_survive_a_restart()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.PutAsync("/collections/c", """{"vectors":{"a":{"size":2,"distance":"Euclid"}}}""");
        await f.PutAsync("/collections/c/points?wait=true", """{"points":[{"id":1,"vector":{"a":[0,0]}},{"id":2,"vector":{"a":[1,1]}}]}""");

        var (status, created) = await f.PutAsync("/collections/c/vectors/b?wait=true", """{"dense":{"size":3,"distance":"Dot"}}""");
        Assert.Equal(200, status);
        Assert.Equal("completed", created.GetProperty("result").GetProperty("status").GetString());
        Assert.True(created.GetProperty("result").GetProperty("operation_id").GetInt64() > 0);
        Assert.Equal(200, (await f.PutAsync("/collections/c/vectors/s?wait=true", """{"sparse":{"modifier":"idf"}}""")).Status);
        Assert.Equal(200, (await f.PutAsync("/collections/c/vectors/b", """{"dense":{"size":3,"distance":"Dot"}}""")).Status); // the same again: nothing changes

        await f.PutAsync("/collections/c/points/vectors?wait=true", """{"points":[{"id":1,"vector":{"b":[1,0,0],"s":{"indices":[7],"values":[1]}}},{"id":2,"vector":{"b":[2,0,0]}}]}""");
        var hits = (await f.PostAsync("/collections/c/points/query", """{"query":[1,0,0],"using":"b"}""")).Body.GetProperty("result").GetProperty("points");
        Assert.Equal([2, 1], hits.EnumerateArray().Select(p => p.GetProperty("id").GetInt32()));
        Assert.Equal(2.0, hits[0].GetProperty("score").GetDouble(), 6);

        Assert.Equal(200, (await f.SendAsync(HttpMethod.Delete, "/collections/c/vectors/a?wait=true")).Status);
        Assert.Equal(200, (await f.SendAsync(HttpMethod.Delete, "/collections/c/vectors/a?wait=true")).Status); // already gone: fine
        await f.RestartAsync();

        var parameters = Config((await f.GetAsync("/collections/c")).Body).GetProperty("params");
        Assert.Equal(["b"], parameters.GetProperty("vectors").EnumerateObject().Select(p => p.Name));
        Assert.Equal(3, parameters.GetProperty("vectors").GetProperty("b").GetProperty("size").GetInt32());
        Assert.Equal("Dot", parameters.GetProperty("vectors").GetProperty("b").GetProperty("distance").GetString());
        Assert.Equal("idf", parameters.GetProperty("sparse_vectors").GetProperty("s").GetProperty("modifier").GetString());
        var point = (await f.GetAsync("/collections/c/points/1")).Body.GetProperty("result");
        Assert.Equal(["b", "s"], point.GetProperty("vector").EnumerateObject().Select(p => p.Name).Order());
        var (gone, body) = await f.PostAsync("/collections/c/points/query", """{"query":[0,0],"using":"a"}""");
        Assert.Equal(400, gone);
        Assert.Contains("Not existing vector name error: a", Error(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conflicting_vectors_are_refused_and_change_nothing()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.PutAsync("/collections/c", """{"vectors":{"a":{"size":2,"distance":"Euclid"}},"sparse_vectors":{"s":{}}}""");
        var before = Config((await f.GetAsync("/collections/c")).Body).GetRawText();
        foreach (var (path, body, expected) in new[]
        {
            ("/collections/c/vectors/a", """{"dense":{"size":3,"distance":"Euclid"}}""", "already exists with a different configuration"),
            ("/collections/c/vectors/s", """{"dense":{"size":2,"distance":"Euclid"}}""", "already exists as a sparse vector"),
            ("/collections/c/vectors/a", """{"sparse":{}}""", "already exists as a dense vector"),
            ("/collections/c/vectors/s", """{"sparse":{"modifier":"idf"}}""", "already exists with a different configuration"),
        })
        {
            var (status, response) = await f.PutAsync(path, body);
            Assert.Equal(400, status);
            Assert.Contains(expected, Error(response), StringComparison.Ordinal);
        }

        // Removing every vector would leave a collection without one.
        Assert.Equal(200, (await f.SendAsync(HttpMethod.Delete, "/collections/c/vectors/s")).Status);
        var (last, lastBody) = await f.SendAsync(HttpMethod.Delete, "/collections/c/vectors/a");
        Assert.Equal(400, last);
        Assert.Contains("vectors", Error(lastBody), StringComparison.Ordinal);
        Assert.Equal(404, (await f.PutAsync("/collections/missing/vectors/x", """{"sparse":{}}""")).Status);
        Assert.Equal(404, (await f.SendAsync(HttpMethod.Delete, "/collections/missing/vectors/x")).Status);
        var after = Config((await f.GetAsync("/collections/c")).Body);
        Assert.Equal(["a"], after.GetProperty("params").GetProperty("vectors").EnumerateObject().Select(p => p.Name));
        Assert.NotEqual(before, after.GetRawText()); // only the deletion of s happened
    }

    [Fact]
    public async Task Patch_changes_settings_that_show_in_the_collection_and_survive_a_restart()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.PutAsync("/collections/c", """
            {"vectors":{"size":2,"distance":"Euclid"},"hnsw_config":{"m":8,"ef_construct":40},
             "sparse_vectors":{"s":{}},"metadata":{"team":"a","x":1}}
            """);
        await f.PutAsync("/collections/c/points?wait=true", """{"points":[{"id":1,"vector":{"":[0,0],"s":{"indices":[1,2],"values":[1,1]}}},{"id":2,"vector":{"":[1,1],"s":{"indices":[1],"values":[1]}}},{"id":3,"vector":{"":[2,2],"s":{"indices":[1],"values":[1]}}}]}""");
        var sparseQuery = """{"query":{"indices":[1,2],"values":[1,1]},"using":"s","limit":1}""";
        Assert.Equal(2.0, (await f.PostAsync("/collections/c/points/query", sparseQuery)).Body.GetProperty("result").GetProperty("points")[0].GetProperty("score").GetDouble(), 6);

        var (status, patched) = await f.SendAsync(HttpMethod.Patch, "/collections/c", """
            {"hnsw_config":{"m":16,"full_scan_threshold":20},"quantization_config":{"scalar":{"type":"int8","quantile":0.9}},
             "sparse_vectors":{"s":{"modifier":"idf","index":{"on_disk":true}}},
             "strict_mode_config":{"enabled":true,"max_query_limit":10},"metadata":{"x":null,"owner":"ops"},
             "optimizers_config":{"indexing_threshold":0}}
            """);
        Assert.Equal(200, status);
        Assert.True(patched.GetProperty("result").GetBoolean());
        Assert.Equal(200, (await f.SendAsync(HttpMethod.Patch, "/collections/c", """{"vectors":{"":{"quantization_config":"Disabled"}}}""")).Status);

        // idf with N = 3: point 1 scores ln(1 + 0.5/3.5) + ln(1 + 2.5/1.5).
        var idf = Math.Log(1 + (0.5 / 3.5)) + Math.Log(1 + (2.5 / 1.5));
        Assert.Equal(idf, (await f.PostAsync("/collections/c/points/query", sparseQuery)).Body.GetProperty("result").GetProperty("points")[0].GetProperty("score").GetDouble(), 5);
        await f.RestartAsync();

        var config = Config((await f.GetAsync("/collections/c")).Body);
        Assert.Equal(16, config.GetProperty("hnsw_config").GetProperty("m").GetInt32());
        Assert.Equal(40, config.GetProperty("hnsw_config").GetProperty("ef_construct").GetInt32());
        Assert.Equal(20, config.GetProperty("hnsw_config").GetProperty("full_scan_threshold").GetInt32());
        Assert.Equal(JsonValueKind.Null, config.GetProperty("quantization_config").ValueKind);
        var sparse = config.GetProperty("params").GetProperty("sparse_vectors").GetProperty("s");
        Assert.Equal("idf", sparse.GetProperty("modifier").GetString());
        Assert.True(sparse.GetProperty("index").GetProperty("on_disk").GetBoolean());
        Assert.Equal(10, config.GetProperty("strict_mode_config").GetProperty("max_query_limit").GetInt32());
        Assert.Equal("""{"team":"a","owner":"ops"}""", JsonSerializer.Serialize(config.GetProperty("metadata")));
        Assert.Equal(idf, (await f.PostAsync("/collections/c/points/query", sparseQuery)).Body.GetProperty("result").GetProperty("points")[0].GetProperty("score").GetDouble(), 5);
        Assert.Equal(3, (await f.PostAsync("/collections/c/points/query", """{"query":[0,0],"limit":3}""")).Body.GetProperty("result").GetProperty("points").GetArrayLength());
    }

    [Fact]
    public async Task A_projection_rank_is_a_scalar_quantization_setting_shown_kept_and_checked()
    {
        await using var f = await ServerFixture.StartAsync();
        var (status, body) = await f.SendAsync(HttpMethod.Put, "/collections/p", """{"vectors":{"size":4,"distance":"Manhattan"},"quantization_config":{"scalar":{"type":"int8","projection_rank":2}}}""");
        Assert.Equal(400, status);
        Assert.Contains("projection_rank", Error(body), StringComparison.Ordinal);
        (status, body) = await f.SendAsync(HttpMethod.Put, "/collections/p", """{"vectors":{"size":4,"distance":"Euclid"},"quantization_config":{"scalar":{"type":"int8","projection_rank":4}}}""");
        Assert.Equal(400, status);
        Assert.Contains("projection_rank", Error(body), StringComparison.Ordinal);

        await f.PutAsync("/collections/p", """{"vectors":{"size":4,"distance":"Euclid"},"quantization_config":{"scalar":{"type":"int8","projection_rank":2}}}""");
        Assert.Equal(2, Config((await f.GetAsync("/collections/p")).Body).GetProperty("quantization_config").GetProperty("scalar").GetProperty("projection_rank").GetInt32());
        Assert.Equal(200, (await f.SendAsync(HttpMethod.Patch, "/collections/p", """{"quantization_config":{"scalar":{"type":"int8","projection_rank":3}}}""")).Status);
        Assert.Equal(400, (await f.SendAsync(HttpMethod.Patch, "/collections/p", """{"quantization_config":{"scalar":{"type":"int8","projection_rank":9}}}""")).Status);
        await f.RestartAsync();
        Assert.Equal(3, Config((await f.GetAsync("/collections/p")).Body).GetProperty("quantization_config").GetProperty("scalar").GetProperty("projection_rank").GetInt32());

        // Without the extension the scalar settings read as Qdrant writes them.
        await f.PutAsync("/collections/q", """{"vectors":{"size":4,"distance":"Euclid"},"quantization_config":{"scalar":{"type":"int8"}}}""");
        Assert.False(Config((await f.GetAsync("/collections/q")).Body).GetProperty("quantization_config").GetProperty("scalar").TryGetProperty("projection_rank", out _));
    }

    [Fact]
    public async Task A_refused_patch_changes_nothing()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.PutAsync("/collections/c", """{"vectors":{"size":2,"distance":"Euclid"},"metadata":{"k":1}}""");
        var before = Config((await f.GetAsync("/collections/c")).Body).GetRawText();

        // The valid hnsw part must not be applied when the vectors part is refused.
        var (status, body) = await f.SendAsync(HttpMethod.Patch, "/collections/c", """{"hnsw_config":{"m":32},"metadata":{"k":2},"vectors":{"nope":{"on_disk":true}}}""");
        Assert.Equal(400, status);
        Assert.Contains("nope", Error(body), StringComparison.Ordinal);
        Assert.Equal(before, Config((await f.GetAsync("/collections/c")).Body).GetRawText());
        Assert.Equal(404, (await f.SendAsync(HttpMethod.Patch, "/collections/missing", """{"metadata":{"k":2}}""")).Status);
    }

    [Fact]
    public async Task The_client_changes_a_collection_as_the_engine_does()
    {
        await using var f = await ServerFixture.StartAsync();
        await using IVectorDatabase remote = new RoseForest.Client.RoseForestClient(new RoseForest.Client.RoseForestClientOptions { BaseAddress = f.Server.BaseAddress });
        await remote.CreateCollectionAsync("c", new CollectionOptions { Dimension = 2, Geometry = Geometry.Euclid });
        var col = remote.GetCollection("c");
        await col.CreateVectorAsync("img", VectorNameConfig.ForDense(new VectorParams { Size = 3, Distance = Geometry.Cosine }));
        await col.CreateVectorAsync("kw", VectorNameConfig.ForSparse(new SparseVectorParams { Modifier = SparseModifier.Idf }));
        await col.UpdateCollectionAsync(new CollectionUpdate { Hnsw = new HnswUpdate { M = 24 }, Metadata = JsonDocument.Parse("""{"a":1}""").RootElement });
        await col.DeleteVectorAsync("kw");
        var options = (await remote.GetCollectionInfoAsync("c")).Options!;
        Assert.Equal(["", "img"], options.DenseVectors.Select(kv => kv.Key));
        Assert.Empty(options.SparseVectors);
        Assert.Equal(24, options.Hnsw!.M);
        Assert.Equal("""{"a":1}""", JsonSerializer.Serialize(options.Metadata));
        await Assert.ThrowsAsync<ValidationException>(() => col.CreateVectorAsync("img", VectorNameConfig.ForDense(new VectorParams { Size = 4, Distance = Geometry.Cosine })));
    }
}
