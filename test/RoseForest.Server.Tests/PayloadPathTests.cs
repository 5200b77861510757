using System.Text.Json;
using System.Text.Json.Nodes;

namespace RoseForest.Server.Tests;

/// <summary>
/// Issue 10: a Qdrant-valid set_payload key used to be logged and then fail while it was
/// applied, faulting the collection and then the server's start. Every key from the report:
/// Qdrant's answer (a 200 with Qdrant's result, or a 400 naming the key), never a 5xx; the
/// collection keeps taking writes, and a restart opens the same data.
/// </summary>
public class PayloadPathTests
{
    private const string Initial = """{"nest":[{"a":"100"}]}""";

    /// <summary>Key, then Qdrant's result on {"nest":[{"a":"100"}]} after set {"a":"101"} (null: refused with 400).</summary>
    public static TheoryData<string, string?> Keys => new()
    {
        { "nest[0]", """{"nest":[{"a":"101"}]}""" },
        { "nest[]", """{"nest":[{"a":"101"}]}""" },
        { "nest[].a", """{"nest":[{"a":{"a":"101"}}]}""" },
        { "nest[99]", Initial },
        { "a.b.c.d.e.f", """{"nest":[{"a":"100"}],"a":{"b":{"c":{"d":{"e":{"f":{"a":"101"}}}}}}}""" },
        { "a..b", null },
        { "", null },
        { ".", null },
        { "[0]", null },
    };

    [Fact]
    public async Task Every_reported_key_answers_as_qdrant_does_and_the_collection_survives_a_restart()
    {
        await using var f = await ServerFixture.StartAsync();
        Assert.Equal(200, (await f.PutAsync("collections/k", """{"vectors":{"size":2,"distance":"Cosine"}}""")).Status);
        var keys = Keys.Select(row => ((string)row[0], (string?)row[1])).ToArray();
        var points = string.Join(",", keys.Select((_, i) => $$"""{"id":{{i + 1}},"vector":[0.1,0.2],"payload":{{Initial}}}"""));
        Assert.Equal(200, (await f.PutAsync("collections/k/points?wait=true", $$"""{"points":[{{points}}]}""")).Status);

        for (var i = 0; i < keys.Length; i++)
        {
            var (key, expected) = keys[i];
            var (status, body) = await f.PostAsync("collections/k/points/payload?wait=true", $$"""{"payload":{"a":"101"},"points":[{{i + 1}}],"key":{{JsonSerializer.Serialize(key)}}}""");
            if (expected is null)
            {
                Assert.True(status == 400, $"key '{key}': {status} {body}");
                Assert.Contains("key", body.GetProperty("status").GetProperty("error").GetString()!, StringComparison.Ordinal);
            }
            else
            {
                Assert.True(status == 200, $"key '{key}': {status} {body}");
            }

            // The collection still takes writes after every key.
            Assert.Equal(200, (await f.PutAsync("collections/k/points?wait=true", $$"""{"points":[{"id":{{100 + i}},"vector":[0.3,0.4]}]}""")).Status);
        }

        await AssertPayloadsAsync(f, keys);
        await f.RestartAsync();
        await AssertPayloadsAsync(f, keys);
        var (infoStatus, info) = await f.GetAsync("collections/k");
        Assert.Equal(200, infoStatus);
        Assert.Equal("green", info.GetProperty("result").GetProperty("status").GetString());
        Assert.Equal(keys.Length * 2, info.GetProperty("result").GetProperty("points_count").GetInt32());
    }

    [Fact]
    public async Task Delete_payload_and_filters_follow_qdrant_paths()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.PutAsync("collections/p", """{"vectors":{"size":2,"distance":"Euclid"}}""");
        const string payload = """{"a":{"b":[{"c":1,"d":2},{"c":3,"d":4}]},"arr":[1,2,3],"x":"y"}""";
        await f.PutAsync("collections/p/points?wait=true", """{"points":[{"id":1,"vector":[0,0],"payload":""" + payload + """},{"id":2,"vector":[1,1],"payload":{"a":{"b":{"c":3}}}}]}""");

        // Filters: a[].c reaches into the array's elements; a.b.c does not reach through an array.
        Assert.Equal(new[] { 1UL }, await CountMatchesAsync(f, """{"key":"a.b[].c","match":{"value":3}}"""));
        Assert.Equal(new[] { 2UL }, await CountMatchesAsync(f, """{"key":"a.b.c","match":{"value":3}}"""));
        Assert.Equal(new[] { 1UL }, await CountMatchesAsync(f, """{"key":"a.b[1].d","match":{"value":4}}"""));
        Assert.Equal(400, (await f.PostAsync("collections/p/points/scroll", """{"filter":{"must":[{"key":"a..b","match":{"value":3}}]}}""")).Status);

        // delete_payload: a[].d removes d from each element; arr[1] (an index at the end) removes nothing; x removes x.
        Assert.Equal(200, (await f.PostAsync("collections/p/points/payload/delete?wait=true", """{"keys":["a.b[].d","arr[1]","x"],"points":[1]}""")).Status);
        var (_, got) = await f.PostAsync("collections/p/points", """{"ids":[1],"with_payload":true}""");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a":{"b":[{"c":1},{"c":3}]},"arr":[1,2,3]}"""), JsonNode.Parse(got.GetProperty("result")[0].GetProperty("payload").GetRawText())));
        Assert.Equal(400, (await f.PostAsync("collections/p/points/payload/delete?wait=true", """{"keys":["a b"],"points":[1]}""")).Status);
    }

    private static async Task<ulong[]> CountMatchesAsync(ServerFixture f, string condition)
    {
        var (status, body) = await f.PostAsync("collections/p/points/scroll", $$"""{"filter":{"must":[{{condition}}]},"limit":10}""");
        Assert.Equal(200, status);
        return [.. body.GetProperty("result").GetProperty("points").EnumerateArray().Select(p => p.GetProperty("id").GetUInt64())];
    }

    private static async Task AssertPayloadsAsync(ServerFixture f, (string Key, string? Expected)[] keys)
    {
        var ids = string.Join(",", Enumerable.Range(1, keys.Length));
        var (status, body) = await f.PostAsync("collections/k/points", $$"""{"ids":[{{ids}}],"with_payload":true}""");
        Assert.Equal(200, status);
        var byId = body.GetProperty("result").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetInt32(), p => p.GetProperty("payload").GetRawText());
        for (var i = 0; i < keys.Length; i++)
        {
            var expected = keys[i].Expected ?? Initial;
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(byId[i + 1])), $"key '{keys[i].Key}': expected {expected}, got {byId[i + 1]}");
        }
    }
}
