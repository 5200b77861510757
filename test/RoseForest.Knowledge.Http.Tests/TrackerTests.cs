using System.Text.Json;

namespace RoseForest.Knowledge.Http.Tests;

/// <summary>
/// The tracker that turns local engine writes into point records: every kind of write travels,
/// memory collections (no change feed) sync by scanning, Lorentz points average on the hyperboloid,
/// and the default embedder (all-MiniLM-L6-v2) serves the knowledge search.
/// </summary>
public sealed class TrackerTests
{
    [Fact]
    public async Task Every_kind_of_local_write_reaches_the_other_side()
    {
        await using var a = await KnowledgeServer.StartAsync(o => o.NodeId = "node-a");
        await using var b = await KnowledgeServer.StartAsync(o => o.NodeId = "node-b");
        await SyncTests.CreateAsync(a, "c", 2, "Euclid");
        await SyncTests.UpsertAsync(a, "c", Enumerable.Range(1, 6).Select(i => SyncTests.Point(i, i, """{"keep":1,"drop":2,"nest":{"x":1,"y":2}}""", dimension: 2)));
        await SyncTests.SyncAsync(b, a, """ "mode":"partial","collections":["c"] """);

        await a.OkAsync(HttpMethod.Post, "/collections/c/points/payload?wait=true", """{"payload":{"added":true,"drop":null},"points":[1]}"""); // merge; null removes
        await a.OkAsync(HttpMethod.Put, "/collections/c/points/payload?wait=true", """{"payload":{"only":"this"},"points":[2]}"""); // overwrite
        await a.OkAsync(HttpMethod.Post, "/collections/c/points/payload/clear?wait=true", """{"points":[3]}""");
        await a.OkAsync(HttpMethod.Post, "/collections/c/points/payload/delete?wait=true", """{"keys":["nest.x"],"points":[4]}"""); // nested path
        await a.OkAsync(HttpMethod.Post, "/collections/c/points/payload?wait=true", """{"payload":{"z":3},"points":[5],"key":"nest"}"""); // at a path
        await a.OkAsync(HttpMethod.Post, "/collections/c/points/delete?wait=true", """{"filter":{"must":[{"has_id":[6]}]}}"""); // by filter
        await SyncTests.SyncAsync(b, a, """ "mode":"partial","collections":["c"] """);

        await SyncTests.AssertSameAsync("c", a, b);
        async Task<JsonElement> Payload(int id) => (await b.OkAsync(HttpMethod.Get, $"/collections/c/points/{id}")).GetProperty("result").GetProperty("payload");
        Assert.Equal("""{"added":true,"keep":1,"nest":{"x":1,"y":2}}""", Canonical(await Payload(1)));
        Assert.Equal("""{"only":"this"}""", Canonical(await Payload(2)));
        Assert.Equal("{}", Canonical(await Payload(3)));
        Assert.Equal("""{"drop":2,"keep":1,"nest":{"y":2}}""", Canonical(await Payload(4)));
        Assert.Equal("""{"drop":2,"keep":1,"nest":{"x":1,"y":2,"z":3}}""", Canonical(await Payload(5)));
        Assert.Equal(404, (await b.SendAsync(HttpMethod.Get, "/collections/c/points/6")).Status);
    }

    [Fact]
    public async Task Memory_collections_sync_by_scanning_and_deletes_travel()
    {
        await using var a = await KnowledgeServer.StartAsync(o => o.NodeId = "node-a");
        await using var b = await KnowledgeServer.StartAsync(o => o.NodeId = "node-b");
        foreach (var server in new[] { a, b })
        {
            await server.OkAsync(HttpMethod.Put, "/collections/m", """{"vectors":{"size":2,"distance":"Euclid"},"durability":"memory"}""");
        }

        await SyncTests.UpsertAsync(a, "m", Enumerable.Range(1, 5).Select(i => SyncTests.Point(i, i, null, dimension: 2)));
        await SyncTests.SyncAsync(b, a, """ "mode":"partial","collections":["m"] """);
        await b.OkAsync(HttpMethod.Post, "/collections/m/points/delete?wait=true", """{"points":[1,2]}""");
        await SyncTests.UpsertAsync(b, "m", [SyncTests.Point(9, 9, """{"from":"b"}""", dimension: 2)]);
        await SyncTests.SyncAsync(b, a, """ "mode":"partial","collections":["m"] """);

        await SyncTests.AssertSameAsync("m", a, b);
        var count = await a.OkAsync(HttpMethod.Post, "/collections/m/points/count", "{}");
        Assert.Equal(4, count.GetProperty("result").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Lorentz_points_average_on_the_hyperboloid_under_geometric_mean()
    {
        await using var a = await KnowledgeServer.StartAsync(o => o.NodeId = "node-a");
        await using var b = await KnowledgeServer.StartAsync(o => o.NodeId = "node-b");
        await SyncTests.CreateAsync(a, "l", 3, "Lorentz");
        static string Lift(double x, double y) => $"[{Math.Sqrt(1 + (x * x) + (y * y)).ToString("R", System.Globalization.CultureInfo.InvariantCulture)},{x.ToString("R", System.Globalization.CultureInfo.InvariantCulture)},{y.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}]";
        await a.OkAsync(HttpMethod.Put, "/collections/l/points?wait=true", $$"""{"points":[{"id":1,"vector":{{Lift(0, 0)}}}]}""");
        await SyncTests.SyncAsync(b, a, """ "mode":"partial","collections":["l"],"strategy":"geometric_mean" """);
        await a.OkAsync(HttpMethod.Put, "/collections/l/points?wait=true", $$"""{"points":[{"id":1,"vector":{{Lift(2, 0)}}}]}""");
        await b.OkAsync(HttpMethod.Put, "/collections/l/points?wait=true", $$"""{"points":[{"id":1,"vector":{{Lift(0, 2)}}}]}""");
        await SyncTests.SyncAsync(b, a, """ "mode":"partial","collections":["l"],"strategy":"geometric_mean" """);

        await SyncTests.AssertSameAsync("l", a, b);
        var v = (await b.OkAsync(HttpMethod.Get, "/collections/l/points/1")).GetProperty("result").GetProperty("vector").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(-1, -(v[0] * v[0]) + (v[1] * v[1]) + (v[2] * v[2]), 3); // on the hyperboloid
        Assert.Equal(v[1], v[2], 4); // symmetric between the two
        Assert.True(v[1] is > 0 and < 1, $"the mean's spatial coordinates {v[1]} lie inside the geodesic triangle, short of the chord's 1");
    }

    [Fact]
    public async Task The_default_embedder_finds_knowledge_by_meaning()
    {
        await using var server = await KnowledgeServer.StartAsync(o =>
        {
            o.Embedder = null; // all-MiniLM-L6-v2
            o.NodeKeys["k"] = "test-node-id";
        });
        await server.OkAsync(HttpMethod.Post, "/knowledge", SeedClientContractTests.TestKnowledge("guitar", text: "A man is playing a guitar."), "k");
        await server.OkAsync(HttpMethod.Post, "/knowledge", SeedClientContractTests.TestKnowledge("stocks", text: "The stock market fell sharply today."), "k");

        var hits = await server.OkAsync(HttpMethod.Get, "/knowledge/search?q=Someone%20plays%20a%20guitar.&limit=2&trust_weight=0");
        Assert.Equal("guitar", hits.GetProperty("results")[0].GetProperty("knowledge_id").GetString());
        Assert.True(hits.GetProperty("results")[0].GetProperty("similarity").GetDouble() > 0.7);
        Assert.True(hits.GetProperty("results")[1].GetProperty("similarity").GetDouble() < 0.2);
    }

    private static string Canonical(JsonElement e) => Http.SyncRoutes.CanonicalJson(e);
}
