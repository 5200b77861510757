using System.Globalization;
using System.Text.Json;
using RoseForest.Client;

namespace RoseForest.Server.Tests;

/// <summary>Aliases (POST /collections/aliases, GET /aliases, GET /collections/{name}/aliases) and scroll's order_by over REST.</summary>
public class AliasAndOrderApiTests
{
    [Fact]
    public async Task Aliases_resolve_in_every_route_and_survive_a_restart()
    {
        await using var f = await ServerFixture.StartAsync();
        Assert.Equal(200, (await f.PutAsync("/collections/v1", """{"vectors":{"size":2,"distance":"Euclid"}}""")).Status);
        Assert.Equal(200, (await f.PutAsync("/collections/v2", """{"vectors":{"size":2,"distance":"Euclid"}}""")).Status);
        Assert.Equal(200, (await f.PutAsync("/collections/v1/points?wait=true", """{"points":[{"id":1,"vector":[1,0]}]}""")).Status);

        var (status, body) = await f.PostAsync("/collections/aliases", """{"actions":[{"create_alias":{"collection_name":"v1","alias_name":"live"}}]}""");
        Assert.Equal(200, status);
        Assert.True(body.GetProperty("result").GetBoolean());

        // Reads and writes through the alias reach v1.
        Assert.Equal(200, (await f.PutAsync("/collections/live/points?wait=true", """{"points":[{"id":2,"vector":[0,1]}]}""")).Status);
        var query = await f.PostAsync("/collections/live/points/query", """{"query":[1,0],"limit":5}""");
        Assert.Equal([1UL, 2UL], query.Body.GetProperty("result").GetProperty("points").EnumerateArray().Select(p => p.GetProperty("id").GetUInt64()));
        Assert.Equal(2, (await f.GetAsync("/collections/live")).Body.GetProperty("result").GetProperty("points_count").GetInt32());
        Assert.True((await f.GetAsync("/collections/live/exists")).Body.GetProperty("result").GetProperty("exists").GetBoolean());

        var all = (await f.GetAsync("/aliases")).Body.GetProperty("result").GetProperty("aliases");
        Assert.Equal("""[{"alias_name":"live","collection_name":"v1"}]""", all.GetRawText());
        Assert.Equal(0, (await f.GetAsync("/collections/v2/aliases")).Body.GetProperty("result").GetProperty("aliases").GetArrayLength());

        // Switch atomically; a batch with a failing action changes nothing.
        Assert.Equal(200, (await f.PostAsync("/collections/aliases", """{"actions":[{"delete_alias":{"alias_name":"live"}},{"create_alias":{"collection_name":"v2","alias_name":"live"}}]}""")).Status);
        Assert.Equal(0, (await f.GetAsync("/collections/live")).Body.GetProperty("result").GetProperty("points_count").GetInt32());
        Assert.Equal(404, (await f.PostAsync("/collections/aliases", """{"actions":[{"delete_alias":{"alias_name":"live"}},{"create_alias":{"collection_name":"nope","alias_name":"x"}}]}""")).Status);
        Assert.Equal(404, (await f.PostAsync("/collections/aliases", """{"actions":[{"rename_alias":{"old_alias_name":"ghost","new_alias_name":"x"}}]}""")).Status);
        Assert.Equal(0, (await f.GetAsync("/collections/v1/aliases")).Body.GetProperty("result").GetProperty("aliases").GetArrayLength());

        await f.RestartAsync();
        all = (await f.GetAsync("/aliases")).Body.GetProperty("result").GetProperty("aliases");
        Assert.Equal("""[{"alias_name":"live","collection_name":"v2"}]""", all.GetRawText());
        Assert.Equal(400, (await f.PutAsync("/collections/live", """{"vectors":{"size":2,"distance":"Euclid"}}""")).Status);
    }

    [Theory]
    [InlineData("""{}""", "actions")]
    [InlineData("""{"actions":{}}""", "actions")]
    [InlineData("""{"actions":[{"create_alias":{"collection_name":"a"}}]}""", "alias_name")]
    [InlineData("""{"actions":[{"create_alias":{"collection_name":"a","alias_name":"b","extra":1}}]}""", "extra")]
    [InlineData("""{"actions":[{"create_alias":{"collection_name":"a","alias_name":"b"},"delete_alias":{"alias_name":"c"}}]}""", "actions[0]")]
    [InlineData("""{"actions":[{"make_alias":{}}]}""", "make_alias")]
    [InlineData("""{"actions":[{"create_alias":{"collection_name":"a","alias_name":"bad name"}}]}""", "alias_name")]
    public async Task Bad_alias_requests_are_400s_that_name_the_field_and_change_nothing(string body, string field)
    {
        await using var f = await ServerFixture.StartAsync();
        Assert.Equal(200, (await f.PutAsync("/collections/a", """{"vectors":{"size":2,"distance":"Euclid"}}""")).Status);
        var (status, answer) = await f.PostAsync("/collections/aliases", body);
        Assert.Equal(400, status);
        Assert.Contains(field, answer.GetProperty("status").GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await f.GetAsync("/aliases")).Body.GetProperty("result").GetProperty("aliases").GetArrayLength());
    }

    [Fact]
    public async Task Scroll_by_a_payload_value_returns_the_order_a_sort_gives_with_each_value()
    {
        await using var f = await ServerFixture.StartAsync();
        Assert.Equal(200, (await f.PutAsync("/collections/o", """{"vectors":{"size":2,"distance":"Euclid"}}""")).Status);
        var rng = new Random(7);
        var prices = new Dictionary<ulong, double>();
        var points = new List<string>();
        for (ulong id = 1; id <= 60; id++)
        {
            if (id % 7 == 0)
            {
                points.Add($$$"""{"id":{{{id}}},"vector":[0,0],"payload":{"other":1}}""");
                continue;
            }

            var price = Math.Round(rng.NextDouble() * 100, 2);
            prices[id] = price;
            points.Add($$$"""{"id":{{{id}}},"vector":[0,0],"payload":{"price":{{{price.ToString(CultureInfo.InvariantCulture)}}},"even":{{{(id % 2 == 0 ? "true" : "false")}}}}}""");
        }

        Assert.Equal(200, (await f.PutAsync("/collections/o/points?wait=true", $$"""{"points":[{{string.Join(",", points)}}]}""")).Status);

        static (ulong Id, double Value)[] Read(JsonElement body) =>
            [.. body.GetProperty("result").GetProperty("points").EnumerateArray().Select(p => (p.GetProperty("id").GetUInt64(), p.GetProperty("order_value").GetDouble()))];

        var asc = await f.PostAsync("/collections/o/points/scroll", """{"limit":10,"order_by":"price","with_payload":false}""");
        Assert.Equal(200, asc.Status);
        Assert.Equal(JsonValueKind.Null, asc.Body.GetProperty("result").GetProperty("next_page_offset").ValueKind);
        var expectedAsc = prices.OrderBy(p => p.Value).ThenBy(p => p.Key).Take(10).Select(p => (p.Key, p.Value)).ToArray();
        Assert.Equal(expectedAsc, Read(asc.Body));

        var desc = await f.PostAsync("/collections/o/points/scroll", """{"limit":5,"order_by":{"key":"price","direction":"desc","start_from":50},"filter":{"must":[{"key":"even","match":{"value":true}}]}}""");
        Assert.Equal(200, desc.Status);
        var expectedDesc = prices.Where(p => p.Key % 2 == 0 && p.Value <= 50).OrderByDescending(p => p.Value).ThenByDescending(p => p.Key).Take(5).Select(p => (p.Key, p.Value)).ToArray();
        Assert.Equal(expectedDesc, Read(desc.Body));

        // The client reads the same through RoseForestClient.
        await using var client = new RoseForestClient(new RoseForestClientOptions { BaseAddress = f.Server.BaseAddress });
        var page = await client.GetCollection("o").ScrollAsync(new ScrollRequest { Limit = 10, OrderBy = new OrderByQuery("price"), WithPayload = PayloadSelector.None });
        Assert.Equal(expectedAsc.Select(e => e.Key), page.Points.Select(p => ulong.Parse(p.Id.ToString(), CultureInfo.InvariantCulture)));
        Assert.Null(page.NextOffset);
        Assert.All(page.Points, p => Assert.NotNull(p.OrderValue));

        Assert.Equal(400, (await f.PostAsync("/collections/o/points/scroll", """{"order_by":{"direction":"asc"}}""")).Status);
        Assert.Equal(400, (await f.PostAsync("/collections/o/points/scroll", """{"order_by":{"key":"price","direction":"up"}}""")).Status);
    }
}
