using System.Net.Http.Headers;
using System.Text;
using Microsoft.Playwright;

namespace RoseForest.Dashboard.Tests;

/// <summary>
/// The cluster page against a real cluster node: a throwaway PostgreSQL started by
/// <c>test/cluster/pg.sh</c> on a port of its own (not the cluster tests' 54331, which may run at
/// the same time) and <c>roseforest serve --cluster</c>; the page lists the node and every shard
/// replica of a two-shard collection with its state.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ClusterPageTests(DashboardFixture fixture)
{
    [Fact]
    public async Task The_cluster_page_shows_the_node_and_every_shard_replica_of_a_real_cluster()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"rf-dash-pg-{Environment.ProcessId}");
        var port = Environment.GetEnvironmentVariable("ROSEFOREST_DASHBOARD_PG_PORT") ?? "54361";
        var (code, output, errors) = await PgScript.RunAsync("start", folder, port);
        Assert.True(code == 0, $"test/cluster/pg.sh could not start PostgreSQL: {output}{errors}");
        var connection = output.Trim().Split('\n').Last();
        using var data = new TempDir();
        try
        {
            await using var node = DashboardServer.Create(data.Path, "--cluster", connection);
            await node.StartAsync();
            using var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Add("api-key", DashboardServer.AdminKey);
            var create = await http.PutAsync("/collections/sharded", new StringContent("""{"vectors": {"size": 4, "distance": "Cosine"}, "shard_number": 2}""", Encoding.UTF8, new MediaTypeHeaderValue("application/json")));
            Assert.True(create.IsSuccessStatusCode, await create.Content.ReadAsStringAsync());

            var page = await fixture.SignedInPageAsync(DashboardServer.AdminKey, server: node.BaseAddress);
            await DashboardFixture.OpenAsync(page, "#/cluster", "cluster");
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Cluster");
            Assert.Equal("1", (await page.Locator("#stat-nodes .v").InnerTextAsync()).Trim());
            var nodes = await page.Locator("#nodes-table tbody tr").AllInnerTextsAsync();
            Assert.Single(nodes);
            Assert.Contains("up", nodes[0], StringComparison.Ordinal);
            var shards = await page.Locator("#shards-table tbody tr").AllInnerTextsAsync();
            Assert.Equal(2, shards.Count(r => r.StartsWith("sharded", StringComparison.Ordinal)));
            Assert.All(shards, r => Assert.Contains("Active", r, StringComparison.Ordinal));
            await fixture.ScreenshotAsync(page, "cluster");
            await page.Context.CloseAsync();
        }
        finally
        {
            await PgScript.RunAsync("stop", folder, null);
        }
    }
}
