using System.Globalization;
using Microsoft.Playwright;

namespace RoseForest.Dashboard.Tests;

/// <summary>The pages of the areas this server has: agents, knowledge, federated learning, and the node's metrics.</summary>
[Collection(DashboardCollection.Name)]
public sealed class AreaPagesTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Agents_page_shows_models_namespaces_mailbox_depths_and_a_shared_space_with_its_consensus()
    {
        var page = await fixture.SignedInPageAsync(DashboardServer.AdminKey);
        Assert.True(await page.Locator("#nav a[data-page='agents']").IsVisibleAsync());
        await DashboardFixture.OpenAsync(page, "#/agents", "agents");
        var models = await page.Locator("#models-table tbody tr").AllInnerTextsAsync();
        Assert.Equal(2, models.Count);
        Assert.Contains(models, m => m.Contains("alpha", StringComparison.Ordinal) && m.Contains("research", StringComparison.Ordinal));
        var beta = models.Single(m => m.Contains("beta", StringComparison.Ordinal));
        Assert.EndsWith("1", beta.Trim()); // one message waits in beta's mailbox
        Assert.Equal("1", (await page.Locator("#stat-pending .v").InnerTextAsync()).Trim());
        Assert.Contains("shared", await page.Locator("#namespaces-table").InnerTextAsync(), StringComparison.Ordinal);

        // The space's four contributions and the consensus point, drawn in its disk.
        var space = page.Locator("#space-research-ideas");
        await Assertions.Expect(space).ToHaveAttributeAsync("data-nodes", "5");
        Assert.Equal(1, await space.Locator("circle.node.query[data-id='consensus']").CountAsync());
        await fixture.ScreenshotAsync(page, "agents");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Knowledge_page_lists_packages_with_score_and_votes()
    {
        var page = await fixture.SignedInPageAsync(DashboardServer.AdminKey);
        await DashboardFixture.OpenAsync(page, "#/knowledge", "knowledge");
        var rows = await page.Locator("#knowledge-table tbody tr").AllInnerTextsAsync();
        Assert.Equal(2, rows.Count);
        Assert.Contains(rows, r => r.Contains("Water boils", StringComparison.Ordinal) && r.Contains("0.500", StringComparison.Ordinal) && r.Contains("▲0 ▼0", StringComparison.Ordinal));
        Assert.Equal("2", (await page.Locator("#stat-packages .v").InnerTextAsync()).Trim());
        await fixture.ScreenshotAsync(page, "knowledge");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Federated_page_charts_accuracy_loss_and_the_privacy_budget_per_round()
    {
        var history = await Seed.OkAsync(fixture.Http, HttpMethod.Get, "/fl/tasks/demo/history", null);
        var rounds = history.GetProperty("result").GetProperty("rounds").EnumerateArray().ToList();
        Assert.Equal(Seed.FederatedRounds, rounds.Count);

        var page = await fixture.SignedInPageAsync(DashboardServer.AdminKey);
        await DashboardFixture.OpenAsync(page, "#/federated", "federated");
        Assert.Contains("3 / 3", await page.Locator("#tasks-table").InnerTextAsync(), StringComparison.Ordinal);
        var rows = await page.Locator("#rounds-table tbody tr").AllAsync();
        Assert.Equal(rounds.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var cells = await rows[i].Locator("td").AllInnerTextsAsync();
            Assert.Equal(rounds[i].GetProperty("accuracy").GetDouble().ToString("F4", CultureInfo.InvariantCulture), cells[4].Trim());
            Assert.Equal(rounds[i].GetProperty("epsilon").GetDouble().ToString("F3", CultureInfo.InvariantCulture), cells[5].Trim());
        }

        await fixture.ScreenshotAsync(page, "federated");

        // Charts drawn by the vendored ECharts: two series over three rounds, and the budget.
        var metrics = page.Locator("#chart-metrics");
        await Assertions.Expect(metrics).ToHaveAttributeAsync("data-series", "2");
        Assert.Equal("3", await metrics.GetAttributeAsync("data-points"));
        Assert.True(await metrics.Locator("svg path").CountAsync() >= 2);
        await Assertions.Expect(page.Locator("#chart-privacy")).ToHaveAttributeAsync("data-series", "1");
        Assert.True(await page.Locator("#chart-privacy svg path").CountAsync() >= 1);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_single_node_shows_live_metrics_charts_instead_of_a_cluster_page()
    {
        var page = await fixture.SignedInPageAsync(DashboardServer.AdminKey);
        Assert.Equal("Metrics", (await page.Locator("#nav-cluster").InnerTextAsync()).Trim());
        await DashboardFixture.OpenAsync(page, "#/cluster", "cluster");
        Assert.Contains("Live metrics", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
        var requests = long.Parse((await page.Locator("#stat-requests .v").InnerTextAsync()).Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
        Assert.True(requests > 50, $"the seeding alone made more than 50 requests, the page says {requests}");
        // The second scrape (2 s later) draws the charts.
        await Assertions.Expect(page.Locator("#chart-qps")).ToHaveAttributeAsync("data-samples", "1", new LocatorAssertionsToHaveAttributeOptions { Timeout = 15_000 });
        Assert.True(await page.Locator("#chart-latency svg path").CountAsync() >= 1);
        await fixture.ScreenshotAsync(page, "metrics");
        await page.Context.CloseAsync();
    }
}
