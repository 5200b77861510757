using System.Text.Json;
using RoseForest.Client;

namespace RoseForest.Server.Tests;

/// <summary>
/// Payload indexes over HTTP: PUT /collections/{name}/index and DELETE …/index/{field} answer
/// Qdrant's UpdateResult, collection info reports payload_schema as Qdrant does (data_type,
/// params as given, points), bad requests answer 400 and change nothing, and the .NET client
/// reaches the same engine calls.
/// </summary>
public class PayloadIndexApiTests
{
    private static string Error(JsonElement body) => body.GetProperty("status").GetProperty("error").GetString()!;

    private static async Task<JsonElement> SchemaAsync(ServerFixture f, string collection) =>
        (await f.GetAsync($"/collections/{collection}")).Body.GetProperty("result").GetProperty("payload_schema");

    [Fact]
    public async Task Indexes_are_created_reported_with_counts_and_deleted()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.PutAsync("/collections/c", """{"vectors":{"size":2,"distance":"Euclid"}}""");
        await f.PutAsync("/collections/c/points?wait=true", """
            {"points":[
              {"id":1,"vector":[1,0],"payload":{"flag":false,"city":"Berlin","n":1}},
              {"id":2,"vector":[0,1],"payload":{"flag":[true,false],"city":["Berlin","London"],"n":2.5}},
              {"id":3,"vector":[1,1],"payload":{"flag":true,"country":{"cities":[{"name":"Paris"},{"name":"Lyon"}]}}},
              {"id":4,"vector":[1,2],"payload":{"other":1}}]}
            """);

        var (status, body) = await f.PutAsync("/collections/c/index?wait=true", """{"field_name":"flag","field_schema":"bool"}""");
        Assert.Equal(200, status);
        Assert.Equal("completed", body.GetProperty("result").GetProperty("status").GetString());
        Assert.True(body.GetProperty("result").GetProperty("operation_id").GetInt64() > 0);
        Assert.Equal("acknowledged", (await f.PutAsync("/collections/c/index?ordering=strong", """{"field_name":"city","field_type":"keyword"}""")).Body.GetProperty("result").GetProperty("status").GetString());
        await f.PutAsync("/collections/c/index", """{"field_name":"country.cities[].name","field_schema":{"type":"keyword","is_tenant":true,"on_disk":true,"enable_hnsw":true}}""");
        await f.PutAsync("/collections/c/index", """{"field_name":"n","field_schema":{"type":"integer","range":false}}""");
        await f.PutAsync("/collections/c/index", """{"field_name":"note","field_schema":{"type":"text","tokenizer":"prefix","min_token_len":2,"lowercase":false,"phrase_matching":true}}""");

        var schema = await SchemaAsync(f, "c");
        Assert.Equal("bool", schema.GetProperty("flag").GetProperty("data_type").GetString());
        Assert.Equal(3, schema.GetProperty("flag").GetProperty("points").GetInt64());
        Assert.False(schema.GetProperty("flag").TryGetProperty("params", out _));
        Assert.Equal(2, schema.GetProperty("city").GetProperty("points").GetInt64());
        var nested = schema.GetProperty("country.cities[].name");
        Assert.Equal(1, nested.GetProperty("points").GetInt64());
        Assert.Equal("""{"type":"keyword","is_tenant":true,"on_disk":true,"enable_hnsw":true}""", nested.GetProperty("params").GetRawText());
        Assert.Equal("""{"type":"integer","lookup":null,"range":false,"is_principal":null}""", schema.GetProperty("n").GetProperty("params").GetRawText());
        Assert.Equal(1, schema.GetProperty("n").GetProperty("points").GetInt64()); // 2.5 is not an integer
        Assert.Equal("""{"type":"text","tokenizer":"prefix","min_token_len":2,"lowercase":false,"phrase_matching":true}""", schema.GetProperty("note").GetProperty("params").GetRawText());

        // Filters on indexed fields answer as before.
        var scroll = (await f.PostAsync("/collections/c/points/scroll", """{"filter":{"must":[{"key":"city","match":{"value":"Berlin"}},{"key":"flag","match":{"value":true}}]}}""")).Body;
        Assert.Equal([2], scroll.GetProperty("result").GetProperty("points").EnumerateArray().Select(p => p.GetProperty("id").GetInt32()));

        var (deleted, result) = await f.SendAsync(HttpMethod.Delete, "/collections/c/index/flag?wait=true");
        Assert.Equal(200, deleted);
        Assert.Equal("completed", result.GetProperty("result").GetProperty("status").GetString());
        await f.SendAsync(HttpMethod.Delete, "/collections/c/index/country.cities[].name");
        Assert.Equal(200, (await f.SendAsync(HttpMethod.Delete, "/collections/c/index/never")).Status);
        Assert.Equal(["city", "n", "note"], (await SchemaAsync(f, "c")).EnumerateObject().Select(p => p.Name));

        await f.RestartAsync();
        Assert.Equal(["city", "n", "note"], (await SchemaAsync(f, "c")).EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("""{"field_name":"a"}""", "Can't auto-detect field type")]
    [InlineData("""{"field_schema":"keyword"}""", "field_name")]
    [InlineData("""{"field_name":"a","field_schema":"keywords"}""", "field_schema")]
    [InlineData("""{"field_name":"a","field_schema":"keyword","colour":1}""", "colour")]
    [InlineData("""{"field_name":"a","field_schema":{"type":"keyword","lookup":true}}""", "field_schema.lookup")]
    [InlineData("""{"field_name":"a","field_schema":{"type":"integer","lookup":false,"range":false}}""", "the 'lookup' and 'range' capabilities can't be both disabled")]
    [InlineData("""{"field_name":"a","field_schema":{"type":"text","tokenizer":"ngram"}}""", "field_schema.tokenizer")]
    [InlineData("""{"field_name":"a","field_schema":{"type":"text","stopwords":"english"}}""", "field_schema.stopwords")]
    [InlineData("""{"field_name":"a","field_schema":{"type":"text","min_token_len":5,"max_token_len":2}}""", "field_schema.min_token_len")]
    [InlineData("""{"field_name":"a","field_schema":{"type":"float","memory":"hot"}}""", "field_schema.memory")]
    [InlineData("""{"field_name":"a[x]","field_schema":"keyword"}""", "field_name")]
    [InlineData("""{"field_name":"a","field_schema":"keyword","field_type":"integer"}""", "field_schema")]
    public async Task Bad_index_requests_answer_400_and_write_nothing(string body, string expected)
    {
        await using var f = await ServerFixture.StartAsync();
        await f.PutAsync("/collections/c", """{"vectors":{"size":2,"distance":"Euclid"}}""");
        var lsn = (await f.GetAsync("/collections/c")).Body.GetProperty("result").GetProperty("roseforest").GetProperty("last_lsn").GetInt64();
        var (status, response) = await f.PutAsync("/collections/c/index", body);
        Assert.Equal(400, status);
        Assert.Contains(expected, Error(response), StringComparison.Ordinal);
        Assert.Empty((await SchemaAsync(f, "c")).EnumerateObject());
        Assert.Equal(lsn, (await f.GetAsync("/collections/c")).Body.GetProperty("result").GetProperty("roseforest").GetProperty("last_lsn").GetInt64());
    }

    [Fact]
    public async Task Bad_query_parameters_and_missing_collections_are_refused()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.PutAsync("/collections/c", """{"vectors":{"size":2,"distance":"Euclid"}}""");
        Assert.Equal(400, (await f.PutAsync("/collections/c/index?ordering=sometimes", """{"field_name":"a","field_schema":"keyword"}""")).Status);
        Assert.Equal(400, (await f.PutAsync("/collections/c/index?wait=maybe", """{"field_name":"a","field_schema":"keyword"}""")).Status);
        Assert.Equal(400, (await f.SendAsync(HttpMethod.Delete, "/collections/c/index/a?timeout=0")).Status);
        Assert.Empty((await SchemaAsync(f, "c")).EnumerateObject());
        Assert.Equal(404, (await f.PutAsync("/collections/none/index", """{"field_name":"a","field_schema":"keyword"}""")).Status);
    }

    [Fact]
    public async Task The_client_creates_reads_and_deletes_indexes_as_the_engine_does()
    {
        await using var f = await ServerFixture.StartAsync();
        await using var client = new RoseForestClient(new RoseForestClientOptions { BaseAddress = f.Server.BaseAddress });
        await client.CreateCollectionAsync("c", new CollectionOptions { Dimension = 2, Geometry = Geometry.Euclid });
        var c = client.GetCollection("c");
        await c.UpsertAsync([new PointStruct(1, [1f, 0f], JsonSerializer.SerializeToElement(new { at = "2024-01-01T00:00:00Z", tags = new[] { "a", "b" } }))]);
        var datetime = new PayloadIndexParams(PayloadSchemaType.Datetime) { HasParams = true, IsPrincipal = true };
        await c.CreatePayloadIndexAsync("at", datetime);
        await c.CreatePayloadIndexAsync("tags", PayloadIndexParams.Of(PayloadSchemaType.Keyword));

        var schema = (await client.GetCollectionInfoAsync("c")).PayloadSchema;
        Assert.Equal(new PayloadIndexInfo(datetime, 1), schema["at"]);
        Assert.Equal(new PayloadIndexInfo(PayloadIndexParams.Of(PayloadSchemaType.Keyword), 1), schema["tags"]);
        var local = f.Server.Database.GetCollectionInfo("c");
        Assert.Equal(local.PayloadSchema.OrderBy(kv => kv.Key), schema.OrderBy(kv => kv.Key));

        await c.DeletePayloadIndexAsync("at");
        Assert.Equal(["tags"], (await client.GetCollectionInfoAsync("c")).PayloadSchema.Keys);
        await Assert.ThrowsAsync<ValidationException>(() => c.CreatePayloadIndexAsync("x", new PayloadIndexParams(PayloadSchemaType.Integer) { HasParams = true, Lookup = false, Range = false }));
    }
}
