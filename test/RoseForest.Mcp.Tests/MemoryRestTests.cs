using System.Net;
using System.Text;
using System.Text.Json;

namespace RoseForest.Mcp.Tests;

public class MemoryRestTests
{
    private static readonly MemoryScope Alice = new(UserId: "alice");

    [Fact]
    public async Task The_typed_client_runs_every_operation_over_the_memories_routes()
    {
        await using var server = await MemoryServer.StartAsync();
        await using var client = new MemoryClient(server.BaseAddress);
        var added = await client.AddAsync(new AddMemoryRequest { Text = "The user's bike is a red Brompton", Scope = Alice, Metadata = JsonElement.Parse("""{"topic":"bikes"}""") });
        var id = Assert.Single(added).Id;
        Assert.Equal("merge", (await client.AddAsync(new AddMemoryRequest { Text = "The user's bike is a red Brompton", Scope = Alice }))[0].Event);

        var hits = await client.SearchAsync(new SearchMemoryRequest { Query = "red bike", Scope = Alice, Filter = MemoryJson.ReadFilters(JsonElement.Parse("""{"topic":"bikes"}""")) });
        Assert.Equal(id, Assert.Single(hits).Memory.Id);
        Assert.True(hits[0].VectorScore > 0 && hits[0].KeywordScore > 0);
        Assert.Equal("bikes", (await client.GetAsync(id)).Metadata!.Value.GetProperty("topic").GetString());

        var updated = await client.UpdateAsync(new UpdateMemoryRequest { Id = id, Text = "The user's bike is a green Brompton", Actor = "tester" });
        Assert.Equal(2, updated.Version);
        Assert.Equal(["add", "merge", "update"], (await client.HistoryAsync(id)).Select(v => v.Event));
        Assert.Equal("tester", (await client.HistoryAsync(id))[^1].By);
        var replaced = await client.UpdateAsync(new UpdateMemoryRequest { Id = id, Text = "The user sold the bike", Supersede = true });
        Assert.Equal([id], replaced.Supersedes);

        Assert.Single((await client.ListAsync(new ListMemoryRequest { Scope = Alice })).Memories);
        Assert.Equal(2, (await client.ListAsync(new ListMemoryRequest { Scope = Alice, IncludeExpired = true })).Memories.Count);
        await client.DeleteAsync(id);
        await Assert.ThrowsAsync<NotFoundException>(() => client.GetAsync(id));
        Assert.Equal(1, await client.DeleteAllAsync(Alice));
        Assert.Equal(new ConsolidationReport(0, 0, 0, 0), await client.ConsolidateAsync(Alice));
    }

    [Fact]
    public async Task Bad_input_is_a_400_naming_the_field_and_a_foreign_memory_is_a_404()
    {
        await using var server = await MemoryServer.StartAsync();
        using var http = server.Http();
        var unknown = await http.PostAsync("memories", Json("""{"text":"x","user_id":"u","colour":"red"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("colour", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var noScope = await http.PostAsync("memories/search", Json("""{"query":"x"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, noScope.StatusCode);
        Assert.Contains("user_id", await noScope.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var badTime = await http.PostAsync("memories/search", Json("""{"query":"x","user_id":"u","as_of":"yesterday"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, badTime.StatusCode);
        Assert.Contains("as_of", await badTime.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await using var client = new MemoryClient(http);
        var id = (await client.AddAsync(new AddMemoryRequest { Text = "secret", Scope = Alice }))[0].Id;
        var foreign = await http.GetAsync($"memories/{id}?user_id=bob");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"memories/{id}?user_id=alice")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("memories/not-a-uuid")).StatusCode);

        var infer = await http.PostAsync("memories", Json("""{"text":"I moved","user_id":"u","infer":true}"""));
        Assert.Equal(HttpStatusCode.BadRequest, infer.StatusCode);
        Assert.Contains("no chat client", await infer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_keys_guard_the_memories_and_a_read_only_key_may_search_but_not_write()
    {
        await using var server = await MemoryServer.StartAsync(apiKey: "full", readOnlyKey: "reader");
        using var anonymous = server.Http();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("memories?user_id=alice")).StatusCode);

        using var full = server.Http("full");
        Assert.Equal(HttpStatusCode.OK, (await full.PostAsync("memories", Json("""{"text":"the door code is 1234","user_id":"alice"}"""))).StatusCode);

        using var reader = server.Http("reader");
        var search = await reader.PostAsync("memories/search", Json("""{"query":"door code","user_id":"alice"}"""));
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        Assert.Contains("1234", await search.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("memories?user_id=alice")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync("memories", Json("""{"text":"x","user_id":"alice"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.DeleteAsync("memories?user_id=alice")).StatusCode);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
