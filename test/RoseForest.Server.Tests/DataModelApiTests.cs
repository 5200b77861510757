using System.Text.Json;

namespace RoseForest.Server.Tests;

/// <summary>Named, sparse and multi vectors, update_vectors/delete_vectors and update_mode/update_filter through the REST API, in Qdrant's shapes.</summary>
public class DataModelApiTests
{
    private const string Create = """
        {"vectors":{"text":{"size":4,"distance":"Cosine"},"image":{"size":3,"distance":"Euclid"},
                    "colbert":{"size":2,"distance":"Dot","multivector_config":{"comparator":"max_sim"}}},
         "sparse_vectors":{"words":{"modifier":"idf"},"plain":{}}}
        """;

    private static string Error(JsonElement body) => body.GetProperty("status").GetProperty("error").GetString()!;

    private static async Task<ServerFixture> StartWithPointsAsync()
    {
        var f = await ServerFixture.StartAsync();
        Assert.Equal(200, (await f.PutAsync("/collections/m", Create)).Status);
        var (status, body) = await f.PutAsync("/collections/m/points?wait=true", """
            {"points":[
              {"id":1,"vector":{"text":[1,0,0,0],"image":[0,0,1],"colbert":[[1,0],[0,1]],"words":{"indices":[1,5],"values":[0.5,1.0]}},"payload":{"k":"a"}},
              {"id":2,"vector":{"text":[0,1,0,0],"words":{"indices":[5,9],"values":[2.0,1.0]},"plain":{"indices":[3],"values":[1]}},"payload":{"k":"b"}},
              {"id":3,"vector":{"image":[1,1,1],"colbert":[[0.5,0.5]]},"payload":{"k":"c"}}
            ]}
            """);
        Assert.True(status == 200, body.ToString());
        return f;
    }

    [Fact]
    public async Task A_collection_with_named_sparse_and_multi_vectors_reports_its_config_as_qdrant()
    {
        await using var f = await StartWithPointsAsync();
        var info = (await f.GetAsync("/collections/m")).Body.GetProperty("result");
        var p = info.GetProperty("config").GetProperty("params");
        Assert.Equal(4, p.GetProperty("vectors").GetProperty("text").GetProperty("size").GetInt32());
        Assert.Equal("Cosine", p.GetProperty("vectors").GetProperty("text").GetProperty("distance").GetString());
        Assert.Equal("max_sim", p.GetProperty("vectors").GetProperty("colbert").GetProperty("multivector_config").GetProperty("comparator").GetString());
        Assert.Equal("idf", p.GetProperty("sparse_vectors").GetProperty("words").GetProperty("modifier").GetString());
        Assert.Equal(JsonValueKind.Number, info.GetProperty("config").GetProperty("optimizer_config").GetProperty("flush_interval_sec").ValueKind);
        Assert.True(info.GetProperty("config").GetProperty("optimizer_config").GetProperty("flush_interval_sec").TryGetInt64(out _), "flush_interval_sec is an integer in Qdrant's schema");
        Assert.Equal(3, info.GetProperty("points_count").GetInt64());
    }

    [Fact]
    public async Task Points_read_back_with_the_vectors_they_were_given()
    {
        await using var f = await StartWithPointsAsync();
        var one = (await f.GetAsync("/collections/m/points/1")).Body.GetProperty("result").GetProperty("vector");
        Assert.Equal([1f, 0, 0, 0], one.GetProperty("text").EnumerateArray().Select(x => x.GetSingle()));
        Assert.Equal([1u, 5], one.GetProperty("words").GetProperty("indices").EnumerateArray().Select(x => x.GetUInt32()));
        Assert.Equal(2, one.GetProperty("colbert").GetArrayLength());
        Assert.False(one.TryGetProperty("plain", out _));

        var (_, some) = await f.PostAsync("/collections/m/points", """{"ids":[2,3],"with_vector":["image"],"with_payload":false}""");
        var points = some.GetProperty("result");
        Assert.False(points[0].GetProperty("vector").TryGetProperty("image", out _));
        Assert.Equal(3, points[1].GetProperty("vector").GetProperty("image").GetArrayLength());
        Assert.False(points[1].GetProperty("vector").TryGetProperty("colbert", out _));
    }

    [Fact]
    public async Task Queries_on_each_kind_of_vector_score_as_qdrant()
    {
        await using var f = await StartWithPointsAsync();

        // Dense by name: cosine of [1,1,0,0] with [1,0,0,0] and [0,1,0,0] is 1/sqrt(2) for both; lower id first.
        var dense = (await f.PostAsync("/collections/m/points/query", """{"query":[1,1,0,0],"using":"text"}""")).Body.GetProperty("result").GetProperty("points");
        Assert.Equal([1L, 2L], dense.EnumerateArray().Select(x => x.GetProperty("id").GetInt64()));
        Assert.Equal(1 / Math.Sqrt(2), dense[0].GetProperty("score").GetDouble(), 5);

        // Sparse, plain dot: [5]=1 → point 1: 1.0, point 2: 2.0.
        var sparse = (await f.PostAsync("/collections/m/points/query", """{"query":{"indices":[5],"values":[1]},"using":"words","with_payload":true}""")).Body.GetProperty("result").GetProperty("points");
        Assert.Equal([2L, 1L], sparse.EnumerateArray().Select(x => x.GetProperty("id").GetInt64()));

        // The idf modifier: both points hold index 5 (n = 2 of N = 2), idf = ln(1 + 0.5/2.5); index 9 only point 2 (n = 1): ln(1 + 1.5/1.5) = ln 2.
        var idf5 = Math.Log(1 + (0.5 / 2.5));
        Assert.Equal(2.0 * idf5, sparse[0].GetProperty("score").GetDouble(), 4);
        var nine = (await f.PostAsync("/collections/m/points/query", """{"query":{"indices":[9],"values":[1]},"using":"words"}""")).Body.GetProperty("result").GetProperty("points");
        Assert.Equal(Math.Log(2), Assert.Single(nine.EnumerateArray()).GetProperty("score").GetDouble(), 4);

        // Multivector max_sim with dot: query [[1,0]] → point 1: max(1, 0) = 1; point 3: 0.5.
        var multi = (await f.PostAsync("/collections/m/points/query", """{"query":[[1,0]],"using":"colbert"}""")).Body.GetProperty("result").GetProperty("points");
        Assert.Equal([1L, 3L], multi.EnumerateArray().Select(x => x.GetProperty("id").GetInt64()));
        Assert.Equal(0.5, multi[1].GetProperty("score").GetDouble(), 5);

        // has_vector in a filter.
        var (_, count) = await f.PostAsync("/collections/m/points/count", """{"filter":{"must":[{"has_vector":"colbert"}]}}""");
        Assert.Equal(2, count.GetProperty("result").GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task Update_vectors_and_delete_vectors_change_only_the_named_vectors()
    {
        await using var f = await StartWithPointsAsync();
        Assert.Equal(200, (await f.PutAsync("/collections/m/points/vectors?wait=true", """{"points":[{"id":3,"vector":{"text":[0,0,1,0]}}]}""")).Status);
        Assert.Equal(200, (await f.PostAsync("/collections/m/points/vectors/delete?wait=true", """{"points":[1],"vector":["words","colbert"]}""")).Status);

        var three = (await f.GetAsync("/collections/m/points/3")).Body.GetProperty("result");
        Assert.Equal(3, three.GetProperty("vector").GetProperty("image").GetArrayLength());
        Assert.Equal(4, three.GetProperty("vector").GetProperty("text").GetArrayLength());
        Assert.Equal("c", three.GetProperty("payload").GetProperty("k").GetString());
        var one = (await f.GetAsync("/collections/m/points/1")).Body.GetProperty("result").GetProperty("vector");
        Assert.False(one.TryGetProperty("words", out _));
        Assert.False(one.TryGetProperty("colbert", out _));
        Assert.True(one.TryGetProperty("image", out _));

        // update_filter on update_vectors: point 2 (k=b) does not match, so it keeps its text vector.
        Assert.Equal(200, (await f.PutAsync("/collections/m/points/vectors?wait=true", """{"points":[{"id":2,"vector":{"text":[0,0,0,1]}}],"update_filter":{"must":[{"key":"k","match":{"value":"a"}}]}}""")).Status);
        Assert.Equal([0f, 1, 0, 0], (await f.GetAsync("/collections/m/points/2")).Body.GetProperty("result").GetProperty("vector").GetProperty("text").EnumerateArray().Select(x => x.GetSingle()));
    }

    [Fact]
    public async Task Update_mode_and_update_filter_on_upsert()
    {
        await using var f = await StartWithPointsAsync();
        Assert.Equal(200, (await f.PutAsync("/collections/m/points?wait=true", """{"points":[{"id":1,"vector":{"image":[9,9,9]},"payload":{"k":"new"}},{"id":4,"vector":{"image":[4,4,4]},"payload":{"k":"d"}}],"update_mode":"insert_only"}""")).Status);
        Assert.Equal("a", (await f.GetAsync("/collections/m/points/1")).Body.GetProperty("result").GetProperty("payload").GetProperty("k").GetString());
        Assert.Equal("d", (await f.GetAsync("/collections/m/points/4")).Body.GetProperty("result").GetProperty("payload").GetProperty("k").GetString());

        Assert.Equal(200, (await f.PutAsync("/collections/m/points?wait=true", """{"batch":{"ids":[2,3],"vectors":{"image":[[2,2,2],[3,3,3]]},"payloads":[{"k":"B"},{"k":"C"}]},"update_filter":{"must":[{"key":"k","match":{"value":"b"}}]}}""")).Status);
        Assert.Equal("B", (await f.GetAsync("/collections/m/points/2")).Body.GetProperty("result").GetProperty("payload").GetProperty("k").GetString());
        Assert.Equal("c", (await f.GetAsync("/collections/m/points/3")).Body.GetProperty("result").GetProperty("payload").GetProperty("k").GetString());

        Assert.Equal(200, (await f.PutAsync("/collections/m/points?wait=true", """{"points":[{"id":9,"vector":{"image":[1,1,1]}}],"update_mode":"update_only"}""")).Status);
        Assert.Equal(404, (await f.GetAsync("/collections/m/points/9")).Status);

        var (bad, body) = await f.PutAsync("/collections/m/points?wait=true", """{"points":[{"id":9,"vector":{"image":[1,1,1]}}],"update_mode":"sometimes"}""");
        Assert.Equal(400, bad);
        Assert.Contains("update_mode", Error(body), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"points":[{"id":7,"vector":{"nope":[1,2,3]}}]}""", "nope")]
    [InlineData("""{"points":[{"id":7,"vector":{"words":{"indices":[1,2],"values":[1]}}}]}""", "words")]
    [InlineData("""{"points":[{"id":7,"vector":{"words":{"indices":[4,4],"values":[1,2]}}}]}""", "words")]
    [InlineData("""{"points":[{"id":7,"vector":{"colbert":[[1,2],[1,2,3]]}}]}""", "colbert")]
    [InlineData("""{"points":[{"id":7,"vector":{"image":[1,2]}}]}""", "image")]
    [InlineData("""{"points":[{"id":7,"vector":{"words":[1,2,3]}}]}""", "words")]
    [InlineData("""{"points":[{"id":7,"vector":[1,2,3]}]}""", "vector")]
    public async Task Bad_vectors_answer_400_naming_the_vector_and_write_nothing(string upsert, string mentioned)
    {
        await using var f = await StartWithPointsAsync();
        var (status, body) = await f.PutAsync("/collections/m/points?wait=true", upsert);
        Assert.Equal(400, status);
        Assert.Contains(mentioned, Error(body), StringComparison.Ordinal);
        Assert.Equal(3, (await f.PostAsync("/collections/m/points/count", "{}")).Body.GetProperty("result").GetProperty("count").GetInt64());
        Assert.Equal(404, (await f.GetAsync("/collections/m/points/7")).Status);

        var (queryStatus, _) = await f.PostAsync("/collections/m/points/query", """{"query":[1,2,3],"using":"nope"}""");
        Assert.Equal(400, queryStatus);
    }
}

/// <summary>POST /points/batch: every operation kind, in order, and a bad operation refused before anything runs.</summary>
public class BatchUpdateApiTests
{
    [Fact]
    public async Task Every_operation_kind_applies_in_order()
    {
        await using var f = await ServerFixture.StartAsync();
        Assert.Equal(200, (await f.PutAsync("/collections/b", """{"vectors":{"a":{"size":2,"distance":"Euclid"},"b":{"size":2,"distance":"Dot"}}}""")).Status);
        var (status, body) = await f.PostAsync("/collections/b/points/batch?wait=true", """
            {"operations":[
              {"upsert":{"points":[{"id":1,"vector":{"a":[1,1],"b":[1,0]},"payload":{"x":1,"y":2}},{"id":2,"vector":{"a":[2,2]},"payload":{"x":2}},{"id":3,"vector":{"a":[3,3]}}]}},
              {"set_payload":{"points":[1],"payload":{"z":3}}},
              {"delete_payload":{"points":[1],"keys":["y"]}},
              {"overwrite_payload":{"filter":{"must":[{"has_id":[2]}]},"payload":{"w":4}}},
              {"clear_payload":{"points":[3]}},
              {"update_vectors":{"points":[{"id":2,"vector":{"b":[0,1]}}]}},
              {"delete_vectors":{"points":[1],"vector":["b"]}},
              {"upsert":{"points":[{"id":2,"vector":{"a":[9,9]}}],"update_mode":"insert_only"}},
              {"delete":{"points":[3]}}
            ]}
            """);
        Assert.True(status == 200, body.ToString());
        var results = body.GetProperty("result");
        Assert.Equal(9, results.GetArrayLength());
        Assert.All(results.EnumerateArray(), r => Assert.Equal("completed", r.GetProperty("status").GetString()));
        var ids = results.EnumerateArray().Select(r => r.GetProperty("operation_id").GetInt64()).ToList();
        Assert.Equal(ids.Order(), ids);

        var one = (await f.GetAsync("/collections/b/points/1")).Body.GetProperty("result");
        Assert.Equal("""{"x":1,"z":3}""", one.GetProperty("payload").GetRawText());
        Assert.False(one.GetProperty("vector").TryGetProperty("b", out _));
        var two = (await f.GetAsync("/collections/b/points/2")).Body.GetProperty("result");
        Assert.Equal("""{"w":4}""", two.GetProperty("payload").GetRawText());
        Assert.Equal([2f, 2], two.GetProperty("vector").GetProperty("a").EnumerateArray().Select(x => x.GetSingle()));
        Assert.Equal([0f, 1], two.GetProperty("vector").GetProperty("b").EnumerateArray().Select(x => x.GetSingle()));
        Assert.Equal(404, (await f.GetAsync("/collections/b/points/3")).Status);
    }

    [Theory]
    [InlineData("""{"operations":[{"upsert":{"points":[{"id":5,"vector":{"a":[1,1]}}]}},{"explode":{}}]}""", "operations[1]")]
    [InlineData("""{"operations":[{"upsert":{"points":[{"id":5,"vector":{"a":[1,1]}}]}},{"set_payload":{"points":[5]}}]}""", "operations[1].set_payload.payload")]
    [InlineData("""{"operations":[{"upsert":{"points":[{"id":5,"vector":{"a":[1,1]}}]}},{"delete":{"points":[5],"filter":{}}}]}""", "operations[1].delete")]
    [InlineData("""{"operations":{"upsert":{}}}""", "operations")]
    public async Task A_malformed_operation_is_refused_before_any_operation_runs(string batch, string field)
    {
        await using var f = await ServerFixture.StartAsync();
        Assert.Equal(200, (await f.PutAsync("/collections/b", """{"vectors":{"a":{"size":2,"distance":"Euclid"}}}""")).Status);
        var (status, body) = await f.PostAsync("/collections/b/points/batch?wait=true", batch);
        Assert.Equal(400, status);
        Assert.Contains(field, body.GetProperty("status").GetProperty("error").GetString()!, StringComparison.Ordinal);
        Assert.Equal(0, (await f.PostAsync("/collections/b/points/count", "{}")).Body.GetProperty("result").GetProperty("count").GetInt64());
    }
}
