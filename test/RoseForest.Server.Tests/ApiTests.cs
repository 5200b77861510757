using System.Net.Http.Headers;
using System.Text.Json;

using RoseForest.Host;

namespace RoseForest.Server.Tests;

/// <summary>The REST API end to end over HTTP: shapes, envelopes and status codes as Qdrant's.</summary>
public class ApiTests
{
    private static string Error(JsonElement body) => body.GetProperty("status").GetProperty("error").GetString()!;

    [Fact]
    public async Task Root_and_health_probes_answer_like_qdrant()
    {
        await using var f = await ServerFixture.StartAsync();
        var (status, root) = await f.GetAsync("/");
        Assert.Equal(200, status);
        Assert.Equal(RoseForestServer.QdrantApiVersion, root.GetProperty("version").GetString());
        Assert.Equal("healthz check passed", (await f.Client.GetStringAsync("/healthz")));
        Assert.Equal("healthz check passed", (await f.Client.GetStringAsync("/livez")));
        Assert.Equal("all shards are ready", (await f.Client.GetStringAsync("/readyz")));
        Assert.Equal("ok", (await f.GetAsync("/health")).Body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Collection_lifecycle_follows_qdrant()
    {
        await using var f = await ServerFixture.StartAsync();
        var (created, body) = await f.PutAsync("/collections/c1", """{"vectors":{"size":4,"distance":"Euclid"},"hnsw_config":{"m":8,"ef_construct":64}}""");
        Assert.Equal(200, created);
        Assert.True(body.GetProperty("result").GetBoolean());
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.True(body.GetProperty("time").GetDouble() >= 0);

        var (again, dup) = await f.PutAsync("/collections/c1", """{"vectors":{"size":4,"distance":"Euclid"}}""");
        Assert.Equal(400, again);
        Assert.Contains("already exists", Error(dup), StringComparison.Ordinal);

        var info = (await f.GetAsync("/collections/c1")).Body.GetProperty("result");
        Assert.Equal("green", info.GetProperty("status").GetString());
        Assert.Equal(4, info.GetProperty("config").GetProperty("params").GetProperty("vectors").GetProperty("size").GetInt32());
        Assert.Equal("Euclid", info.GetProperty("config").GetProperty("params").GetProperty("vectors").GetProperty("distance").GetString());
        Assert.Equal(8, info.GetProperty("config").GetProperty("hnsw_config").GetProperty("m").GetInt32());

        Assert.Equal("c1", (await f.GetAsync("/collections")).Body.GetProperty("result").GetProperty("collections")[0].GetProperty("name").GetString());
        Assert.True((await f.GetAsync("/collections/c1/exists")).Body.GetProperty("result").GetProperty("exists").GetBoolean());
        Assert.False((await f.GetAsync("/collections/nope/exists")).Body.GetProperty("result").GetProperty("exists").GetBoolean());

        var (missing, notFound) = await f.GetAsync("/collections/nope");
        Assert.Equal(404, missing);
        Assert.Equal("Not found: Collection `nope` doesn't exist!", Error(notFound));

        Assert.True((await f.SendAsync(HttpMethod.Delete, "/collections/c1")).Body.GetProperty("result").GetBoolean());
        Assert.False((await f.SendAsync(HttpMethod.Delete, "/collections/c1")).Body.GetProperty("result").GetBoolean());
    }

    [Fact]
    public async Task Hyperbolic_collections_take_a_curvature_and_durability()
    {
        await using var f = await ServerFixture.StartAsync();
        Assert.Equal(200, (await f.PutAsync("/collections/h", """{"vectors":{"size":3,"distance":"Lorentz","curvature":2.0},"durability":"buffered"}""")).Status);
        var info = (await f.GetAsync("/collections/h")).Body.GetProperty("result");
        Assert.Equal(2.0, info.GetProperty("config").GetProperty("params").GetProperty("vectors").GetProperty("curvature").GetDouble());
        Assert.Equal("buffered", info.GetProperty("roseforest").GetProperty("durability").GetString());
        var x0 = Math.Sqrt(0.5 + 0.25);
        var (status, _) = await f.PutAsync("/collections/h/points", $$"""{"points":[{"id":1,"vector":[{{x0}},0.5,0]}]}""");
        Assert.Equal(200, status);
        var (bad, error) = await f.PutAsync("/collections/h/points", """{"points":[{"id":2,"vector":[5,0.5,0]}]}""");
        Assert.Equal(400, bad);
        Assert.Contains("hyperboloid", Error(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Points_round_trip_through_every_point_route()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.PutAsync("/collections/p", """{"vectors":{"size":2,"distance":"Dot"}}""");
        var (status, upsert) = await f.PutAsync("/collections/p/points?wait=true", """{"points":[{"id":1,"vector":[1,0],"payload":{"a":1,"tags":["x"]}},{"id":"5c56c793-69f3-4fbf-87e6-c4bf54c28c26","vector":[0,1]}]}""");
        Assert.Equal(200, status);
        Assert.Equal("completed", upsert.GetProperty("result").GetProperty("status").GetString());
        Assert.Equal("acknowledged", (await f.PutAsync("/collections/p/points", """{"batch":{"ids":[2,3],"vectors":[[1,1],[2,2]],"payloads":[{"a":2},null]}}""")).Body.GetProperty("result").GetProperty("status").GetString());

        var retrieved = (await f.PostAsync("/collections/p/points", """{"ids":[1,3,99],"with_vector":true}""")).Body.GetProperty("result");
        Assert.Equal(2, retrieved.GetArrayLength());
        Assert.Equal(1, retrieved[0].GetProperty("payload").GetProperty("a").GetInt32());
        Assert.Equal(2, retrieved[1].GetProperty("vector").GetArrayLength());

        var one = (await f.GetAsync("/collections/p/points/5c56c793-69f3-4fbf-87e6-c4bf54c28c26")).Body.GetProperty("result");
        Assert.Equal("5c56c793-69f3-4fbf-87e6-c4bf54c28c26", one.GetProperty("id").GetString());
        Assert.Equal(404, (await f.GetAsync("/collections/p/points/12345")).Status);
        Assert.Equal(400, (await f.GetAsync("/collections/p/points/not-an-id")).Status);

        await f.PostAsync("/collections/p/points/payload?wait=true", """{"payload":{"b":true},"points":[1]}""");
        await f.PostAsync("/collections/p/points/payload?wait=true", """{"payload":{"c":3},"filter":{"must":[{"key":"a","match":{"value":2}}]}}""");
        await f.SendAsync(HttpMethod.Put, "/collections/p/points/payload?wait=true", """{"payload":{"only":1},"points":[3]}""");
        await f.PostAsync("/collections/p/points/payload/delete?wait=true", """{"keys":["tags"],"points":[1]}""");
        var payloads = (await f.PostAsync("/collections/p/points", """{"ids":[1,2,3]}""")).Body.GetProperty("result");
        Assert.Equal("""{"a":1,"b":true}""", payloads[0].GetProperty("payload").GetRawText());
        Assert.Equal("""{"a":2,"c":3}""", payloads[1].GetProperty("payload").GetRawText());
        Assert.Equal("""{"only":1}""", payloads[2].GetProperty("payload").GetRawText());
        await f.PostAsync("/collections/p/points/payload/clear?wait=true", """{"points":[3]}""");
        Assert.Equal("{}", (await f.PostAsync("/collections/p/points", """{"ids":[3]}""")).Body.GetProperty("result")[0].GetProperty("payload").GetRawText());

        var scroll = (await f.PostAsync("/collections/p/points/scroll", """{"limit":2}""")).Body.GetProperty("result");
        Assert.Equal(2, scroll.GetProperty("points").GetArrayLength());
        Assert.Equal(3, scroll.GetProperty("next_page_offset").GetInt32());
        Assert.Equal(4, (await f.PostAsync("/collections/p/points/count", "{}")).Body.GetProperty("result").GetProperty("count").GetInt32());
        Assert.Equal(1, (await f.PostAsync("/collections/p/points/count", """{"filter":{"must":[{"key":"a","match":{"value":2}}]}}""")).Body.GetProperty("result").GetProperty("count").GetInt32());

        await f.PostAsync("/collections/p/points/delete?wait=true", """{"points":[1]}""");
        await f.PostAsync("/collections/p/points/delete?wait=true", """{"filter":{"must":[{"key":"a","match":{"value":2}}]}}""");
        Assert.Equal(2, (await f.PostAsync("/collections/p/points/count", "{}")).Body.GetProperty("result").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Query_by_vector_by_id_with_filter_threshold_and_batch()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.PutAsync("/collections/q", """{"vectors":{"size":2,"distance":"Euclid"}}""");
        await f.PutAsync("/collections/q/points?wait=true", """{"points":[{"id":1,"vector":[0,0],"payload":{"g":"a"}},{"id":2,"vector":[1,0],"payload":{"g":"b"}},{"id":3,"vector":[3,0],"payload":{"g":"a"}}]}""");

        var near = (await f.PostAsync("/collections/q/points/query", """{"query":[0.9,0],"limit":2,"with_payload":true}""")).Body.GetProperty("result").GetProperty("points");
        Assert.Equal([2, 1], near.EnumerateArray().Select(p => p.GetProperty("id").GetInt32()));
        Assert.Equal(0.1, near[0].GetProperty("score").GetDouble(), 1e-6);
        Assert.Equal("b", near[0].GetProperty("payload").GetProperty("g").GetString());
        Assert.False(near[0].TryGetProperty("vector", out _));

        var filtered = (await f.PostAsync("/collections/q/points/query", """{"query":{"nearest":[0.9,0]},"filter":{"must":[{"key":"g","match":{"value":"a"}}]}}""")).Body.GetProperty("result").GetProperty("points");
        Assert.Equal([1, 3], filtered.EnumerateArray().Select(p => p.GetProperty("id").GetInt32()));

        var byId = (await f.PostAsync("/collections/q/points/query", """{"query":1,"limit":5}""")).Body.GetProperty("result").GetProperty("points");
        Assert.Equal([2, 3], byId.EnumerateArray().Select(p => p.GetProperty("id").GetInt32())); // the point itself is left out

        var threshold = (await f.PostAsync("/collections/q/points/query", """{"query":[0,0],"score_threshold":1.5,"params":{"exact":true}}""")).Body.GetProperty("result").GetProperty("points");
        Assert.Equal(2, threshold.GetArrayLength());

        var batch = (await f.PostAsync("/collections/q/points/query/batch", """{"searches":[{"query":[0,0],"limit":1},{"query":[3,0],"limit":1}]}""")).Body.GetProperty("result");
        Assert.Equal(1, batch[0].GetProperty("points")[0].GetProperty("id").GetInt32());
        Assert.Equal(3, batch[1].GetProperty("points")[0].GetProperty("id").GetInt32());

        var scrollLike = (await f.PostAsync("/collections/q/points/query", """{"limit":2}""")).Body.GetProperty("result").GetProperty("points");
        Assert.Equal(2, scrollLike.GetArrayLength());
    }

    [Theory]
    [InlineData("PUT", "/collections/b/points", "{not json", "Format error in JSON body")]
    [InlineData("PUT", "/collections/b/points", """{"points":[{"id":1,"vector":"x"}]}""", "points[0].vector")]
    [InlineData("PUT", "/collections/b/points", """{"points":[{"id":-1,"vector":[1,2]}]}""", "points[0].id")]
    [InlineData("PUT", "/collections/b/points", """{"points":[{"id":1,"vector":[1,2],"payload":[1]}]}""", "points[0].payload")]
    [InlineData("PUT", "/collections/b/points", """{"points":[{"id":1,"vector":[1,2],"colour":"red"}]}""", "points[0].colour")]
    [InlineData("PUT", "/collections/b/points", """{"batch":{"ids":[1,2],"vectors":[[1,2]]}}""", "batch.vectors")]
    [InlineData("PUT", "/collections/b/points", """{"points":[{"id":1,"vector":[1e39,2]}]}""", "points[0].vector[0]")]
    [InlineData("PATCH", "/collections/b", """{"hnsw_config":{"m":-1}}""", "hnsw_config.m")]
    [InlineData("PATCH", "/collections/b", """{"hnsw_config":{"ef_construct":2}}""", "hnsw_config.ef_construct")]
    [InlineData("PATCH", "/collections/b", """{"vectors":{"nope":{"on_disk":true}}}""", "Not existing vector name error: nope")]
    [InlineData("PATCH", "/collections/b", """{"sparse_vectors":{"nope":{"modifier":"idf"}}}""", "Not existing vector name error: nope")]
    [InlineData("PATCH", "/collections/b", """{"quantization_config":{"binary":{}}}""", "quantization_config")]
    [InlineData("PATCH", "/collections/b", """{"quantization_config":"Off"}""", "quantization_config")]
    [InlineData("PATCH", "/collections/b", """{"metadata":[1]}""", "metadata")]
    [InlineData("PATCH", "/collections/b", """{"strict_mode_config":{"max_query_limit":"ten"}}""", "strict_mode_config.max_query_limit")]
    [InlineData("PATCH", "/collections/b", """{"strict_mode_config":{"colour":1}}""", "strict_mode_config.colour")]
    [InlineData("PATCH", "/collections/b", """{"optimizers_config":{"indexing_treshold":100}}""", "optimizers_config.indexing_treshold")]
    [InlineData("PATCH", "/collections/b", """{"params":{"replication_factor":3}}""", "params.replication_factor")]
    [InlineData("PUT", "/collections/b/vectors/extra", """{"dense":{"size":0,"distance":"Dot"}}""", "dense.size")]
    [InlineData("PUT", "/collections/b/vectors/extra", """{"dense":{"size":65537,"distance":"Dot"}}""", "dense.size")]
    [InlineData("PUT", "/collections/b/vectors/extra", """{"dense":{"size":2,"distance":"Dot"},"sparse":{}}""", "dense")]
    [InlineData("PUT", "/collections/b/vectors/extra", """{"dense":{"size":2,"distance":"Dot","hnsw_config":{"m":4}}}""", "dense.hnsw_config")]
    [InlineData("PUT", "/collections/b/vectors/extra", """{"sparse":{"modifier":"bm25"}}""", "sparse.modifier")]
    [InlineData("PUT", "/collections/b/vectors/a*b", """{"sparse":{}}""", "vector name must not contain '*'")]
    [InlineData("POST", "/collections/b/points/query", """{"query":[1,2],"limit":0}""", "limit")]
    [InlineData("POST", "/collections/b/points/query", """{"query":[1,2],"limit":20000}""", "limit")]
    [InlineData("POST", "/collections/b/points/query", """{"query":[1,2],"filter":{"must":[{"key":"a","range":{"gt":"x"}}]}}""", "filter.must[0].range.gt")]
    [InlineData("POST", "/collections/b/points/scroll", """{"limit":"ten"}""", "limit")]
    [InlineData("POST", "/collections/b/points/delete", """{}""", "Either list of point ids or filter must be provided")]
    [InlineData("POST", "/collections/b/points/payload", """{"payload":5,"points":[1]}""", "payload")]
    [InlineData("PUT", "/collections/bad name", """{"vectors":{"size":2,"distance":"Dot"}}""", "collection_name")]
    [InlineData("PUT", "/collections/x", """{"vectors":{"size":2,"distance":"Hamming"}}""", "vectors.distance")]
    [InlineData("PUT", "/collections/x", """{"vectors":{"size":0,"distance":"Dot"}}""", "vectors.size")]
    [InlineData("PUT", "/collections/x", """{"vectors":{"size":2,"distance":"Dot"},"hnsw_config":{"m":-1}}""", "hnsw_config.m")]
    [InlineData("PUT", "/collections/x", """{"vectors":{"img":{"size":2,"distance":"Dotty"}}}""", "vectors.img.distance")]
    [InlineData("PUT", "/collections/x", """{"vectors":{"img":{"size":2,"distance":"Dot","colour":1}}}""", "vectors.img.colour")]
    [InlineData("PUT", "/collections/x", """{"vectors":{"size":2,"distance":"Dot"},"sparse_vectors":{"s":{"modifier":"bm25"}}}""", "sparse_vectors.s.modifier")]
    [InlineData("PUT", "/collections/b/points", """{"points":[{"id":1,"vector":{"nope":[1,2]}}]}""", "Not existing vector name")]
    public async Task Bad_input_is_a_400_that_names_the_field_and_writes_nothing(string method, string path, string body, string expected)
    {
        await using var f = await ServerFixture.StartAsync();
        await f.PutAsync("/collections/b", """{"vectors":{"size":2,"distance":"Euclid"}}""");
        var (status, response) = await f.SendAsync(new HttpMethod(method), path, body);
        Assert.Equal(400, status);
        Assert.Contains(expected, Error(response), StringComparison.Ordinal);
        Assert.Equal(0, (await f.PostAsync("/collections/b/points/count", "{}")).Body.GetProperty("result").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Bodies_over_the_limit_are_refused_with_413()
    {
        await using var f = await ServerFixture.StartAsync(o => o.MaxRequestBodyBytes = 4096);
        await f.PutAsync("/collections/big", """{"vectors":{"size":2,"distance":"Euclid"}}""");
        var points = string.Join(",", Enumerable.Range(0, 500).Select(i => $$"""{"id":{{i}},"vector":[1,2]}"""));
        var (status, body) = await f.PutAsync("/collections/big/points", $$"""{"points":[{{points}}]}""");
        Assert.Equal(413, status);
        Assert.Contains("too large", Error(body), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, (await f.PostAsync("/collections/big/points/count", "{}")).Body.GetProperty("result").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Batches_over_the_cap_are_refused()
    {
        await using var f = await ServerFixture.StartAsync(o => o.MaxBatchPoints = 10);
        await f.PutAsync("/collections/cap", """{"vectors":{"size":2,"distance":"Euclid"}}""");
        var points = string.Join(",", Enumerable.Range(0, 11).Select(i => $$"""{"id":{{i}},"vector":[1,2]}"""));
        var (status, body) = await f.PutAsync("/collections/cap/points", $$"""{"points":[{{points}}]}""");
        Assert.Equal(400, status);
        Assert.Contains("at most 10 points", Error(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snapshots_are_created_listed_downloaded_restored_uploaded_and_deleted()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.PutAsync("/collections/s", """{"vectors":{"size":2,"distance":"Euclid"}}""");
        await f.PutAsync("/collections/s/points?wait=true", """{"points":[{"id":1,"vector":[1,2],"payload":{"v":1}},{"id":2,"vector":[3,4]}]}""");
        var snap = (await f.PostAsync("/collections/s/snapshots", "{}")).Body.GetProperty("result");
        var name = snap.GetProperty("name").GetString()!;
        Assert.EndsWith(".snapshot", name, StringComparison.Ordinal);
        Assert.Equal(64, snap.GetProperty("checksum").GetString()!.Length);
        Assert.Equal(name, (await f.GetAsync("/collections/s/snapshots")).Body.GetProperty("result")[0].GetProperty("name").GetString());

        var bytes = await f.Client.GetByteArrayAsync($"/collections/s/snapshots/{name}");
        Assert.Equal(snap.GetProperty("size").GetInt64(), bytes.Length);

        // Change the collection, then recover the snapshot by name: the change is gone.
        await f.PostAsync("/collections/s/points/delete?wait=true", """{"points":[1,2]}""");
        Assert.Equal(200, (await f.SendAsync(HttpMethod.Put, "/collections/s/snapshots/recover", $$"""{"location":"{{name}}","checksum":"{{snap.GetProperty("checksum").GetString()}}"}""")).Status);
        Assert.Equal(2, (await f.PostAsync("/collections/s/points/count", "{}")).Body.GetProperty("result").GetProperty("count").GetInt32());

        // Upload the file as another collection.
        using (var form = new MultipartFormDataContent())
        {
            form.Add(new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } }, "snapshot", name);
            var upload = await f.Client.PostAsync("/collections/copy/snapshots/upload", form);
            Assert.Equal(200, (int)upload.StatusCode);
        }

        Assert.Equal(1, (await f.GetAsync("/collections/copy/points/1")).Body.GetProperty("result").GetProperty("payload").GetProperty("v").GetInt32());

        // A bad checksum, a garbage file and an escaping name are refused, and change nothing.
        Assert.Equal(400, (await f.SendAsync(HttpMethod.Put, "/collections/s/snapshots/recover", $$"""{"location":"{{name}}","checksum":"00"}""")).Status);
        using (var junk = new MultipartFormDataContent())
        {
            junk.Add(new ByteArrayContent([1, 2, 3]), "snapshot", "junk.snapshot");
            Assert.Equal(400, (int)(await f.Client.PostAsync("/collections/copy/snapshots/upload", junk)).StatusCode);
        }

        Assert.Equal(2, (await f.PostAsync("/collections/copy/points/count", "{}")).Body.GetProperty("result").GetProperty("count").GetInt32());
        Assert.Equal(400, (await f.SendAsync(HttpMethod.Put, "/collections/s/snapshots/recover", """{"location":"file:///etc/passwd"}""")).Status);
        Assert.Equal(400, (await f.GetAsync("/collections/s/snapshots/..%2F..%2Fcollections%2Fs%2Fcollection.json")).Status);
        Assert.Equal(400, (await f.SendAsync(HttpMethod.Put, "/collections/s/snapshots/recover", """{"location":"../../collections/s/collection.json"}""")).Status);

        Assert.True((await f.SendAsync(HttpMethod.Delete, $"/collections/s/snapshots/{name}")).Body.GetProperty("result").GetBoolean());
        Assert.Equal(404, (await f.GetAsync($"/collections/s/snapshots/{name}")).Status);
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_with_requests_points_and_fsyncs()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.PutAsync("/collections/m", """{"vectors":{"size":2,"distance":"Euclid"}}""");
        await f.PutAsync("/collections/m/points?wait=true", """{"points":[{"id":1,"vector":[1,2]}]}""");
        var text = await f.Client.GetStringAsync("/metrics");
        Assert.Contains("# TYPE roseforest_http_requests_total counter", text, StringComparison.Ordinal);
        Assert.Contains("roseforest_http_requests_total{method=\"PUT\",route=\"/collections/{name}/points\",status=\"200\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("roseforest_http_request_duration_seconds_bucket{method=\"PUT\",route=\"/collections/{name}\",le=\"+Inf\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("roseforest_collection_points{collection=\"m\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("roseforest_wal_fsync_seconds_count", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_survives_a_server_restart()
    {
        var dir = new TempDir();
        try
        {
            await using (var server = await RoseForestServer.StartAsync(new ServerOptions { Port = 0, DataPath = dir.Path }, logging: _ => { }))
            {
                using var client = new HttpClient { BaseAddress = server.BaseAddress };
                await client.PutAsync("/collections/r", new StringContent("""{"vectors":{"size":2,"distance":"Euclid"}}"""));
                await client.PutAsync("/collections/r/points?wait=true", new StringContent("""{"points":[{"id":7,"vector":[1,2]}]}"""));
            }

            await using (var server = await RoseForestServer.StartAsync(new ServerOptions { Port = 0, DataPath = dir.Path }, logging: _ => { }))
            {
                using var client = new HttpClient { BaseAddress = server.BaseAddress };
                var text = await client.GetStringAsync("/collections/r/points/7");
                Assert.Contains("\"id\":7", text, StringComparison.Ordinal);
            }
        }
        finally
        {
            dir.Dispose();
        }
    }
}
