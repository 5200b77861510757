using System.Text.Json;
using Microsoft.Playwright;

namespace RoseForest.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class CollectionPagesTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Collections_page_lists_every_user_collection_with_its_point_count_and_geometry()
    {
        var page = await fixture.SignedInPageAsync(DashboardServer.AdminKey);
        var list = await Seed.OkAsync(fixture.Http, HttpMethod.Get, "/collections", null);
        var visible = list.GetProperty("result").GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).Where(n => !n.StartsWith('_')).ToList();

        var rows = page.Locator("#collections-table tbody tr");
        Assert.Equal(visible.Count, await rows.CountAsync());
        Assert.Equal(visible.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), (await page.Locator("#stat-collections .v").InnerTextAsync()).Trim());
        var tree = rows.Filter(new LocatorFilterOptions { Has = page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "tree", Exact = true }) });
        var cells = await tree.Locator("td").AllInnerTextsAsync();
        Assert.Equal(Seed.TreeNodes.ToString(System.Globalization.CultureInfo.InvariantCulture), cells[1].Trim());
        Assert.Equal("poincare", cells[2].Trim());
        var lorentz = await rows.Filter(new LocatorFilterOptions { HasText = "tree_lorentz" }).Locator("td").AllInnerTextsAsync();
        Assert.Equal("lorentz", lorentz[2].Trim());

        // Internal collections (the registries, mailboxes) appear on request.
        await page.Locator("#show-internal").CheckAsync();
        await page.Locator("#collections-table tbody tr", new PageLocatorOptions { HasText = "_hvs_registry" }).WaitForAsync();
        await fixture.ScreenshotAsync(page, "collections");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Collection_page_shows_config_indexes_aliases_and_pages_through_points()
    {
        var page = await fixture.SignedInPageAsync(DashboardServer.AdminKey);
        await DashboardFixture.OpenAsync(page, "#/collections/docs", "collection");
        Assert.Contains("hashing-64", await page.Locator("#config-json").InnerTextAsync(), StringComparison.Ordinal);
        var index = await page.Locator("#indexes-table tbody tr").AllInnerTextsAsync();
        Assert.Contains(index, r => r.Contains("category", StringComparison.Ordinal) && r.Contains("keyword", StringComparison.Ordinal));
        Assert.Contains("documents", await page.Locator("section[aria-labelledby='aliases-title']").InnerTextAsync(), StringComparison.Ordinal);

        // 24 points, 20 a page: two pages.
        var points = page.Locator("#points-table tbody tr");
        await page.Locator("#points-status", new PageLocatorOptions { HasText = "Page 1" }).WaitForAsync();
        Assert.Equal(20, await points.CountAsync());
        await page.Locator("#points-next").ClickAsync();
        await page.Locator("#points-status", new PageLocatorOptions { HasText = "Page 2" }).WaitForAsync();
        Assert.Equal(Seed.Documents.Length - 20, await points.CountAsync());
        Assert.True(await page.Locator("#points-next").IsDisabledAsync());

        // A filter narrows the points; payloads are shown as formatted JSON.
        await page.Locator("#points-filter").FillAsync("""{"must": [{"key": "category", "match": {"value": "sea"}}]}""");
        await page.Locator("#points-apply").ClickAsync();
        await page.Locator("#points-status", new PageLocatorOptions { HasText = "Page 1: 8 points" }).WaitForAsync();
        var payloads = await page.Locator("#points-table tbody tr pre").AllInnerTextsAsync();
        Assert.All(payloads, p => Assert.Equal("sea", JsonDocument.Parse(p).RootElement.GetProperty("category").GetString()));
        Assert.Contains(payloads, p => p.Contains("\n  \"category\"", StringComparison.Ordinal));
        await fixture.ScreenshotAsync(page, "collection");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Collection_page_shows_the_self_organizing_index_and_runs_a_pass()
    {
        var page = await fixture.SignedInPageAsync(DashboardServer.AdminKey);
        await DashboardFixture.OpenAsync(page, "#/collections/docs", "collection");
        var status = page.Locator("#optimizer-status");
        await status.WaitForAsync();
        var before = int.Parse(System.Text.RegularExpressions.Regex.Match(await status.InnerTextAsync(), @"Passes: (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual("–", (await page.Locator("#optimizer-unreachable .v").InnerTextAsync()).Trim());

        // The admin's button runs one controller pass; the page reloads with the count moved on.
        await page.Locator("#optimizer-run").ClickAsync();
        await Assertions.Expect(status).ToContainTextAsync($"Passes: {before + 1}");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_bad_filter_shows_the_servers_validation_message()
    {
        const string typo = """{"must": [{"key": "category", "mtach": {"value": "sea"}}]}""";
        var (status, body) = await Seed.SendAsync(fixture.Http, HttpMethod.Post, "/collections/docs/points/scroll", $$"""{"filter": {{typo}}}""", null);
        Assert.Equal(400, status);
        var expected = body.GetProperty("status").GetProperty("error").GetString()!;

        var page = await fixture.SignedInPageAsync(DashboardServer.AdminKey);
        await DashboardFixture.OpenAsync(page, "#/collections/docs", "collection");
        await page.Locator("#points-filter").FillAsync(typo);
        await page.Locator("#points-apply").ClickAsync();
        var error = page.Locator("#filter-error");
        await Assertions.Expect(error).ToHaveTextAsync(expected);
        Assert.Contains("mtach", expected, StringComparison.Ordinal);

        // Not JSON at all: said before anything is sent.
        await page.Locator("#points-filter").FillAsync("{must: ");
        await page.Locator("#points-apply").ClickAsync();
        await Assertions.Expect(error).ToContainTextAsync("Filter is not JSON");
        await fixture.ScreenshotAsync(page, "collection-bad-filter");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_full_key_creates_a_collection_from_the_dashboard()
    {
        var page = await fixture.SignedInPageAsync(DashboardServer.AdminKey);
        var name = "made_in_ui_" + Guid.NewGuid().ToString("N")[..6];
        await page.Locator("#new-name").FillAsync(name);
        await page.Locator("#new-dim").FillAsync("3");
        await page.Locator("#new-distance").SelectOptionAsync("Euclid");
        await page.Locator("#create-collection button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#collection-name")).ToHaveTextAsync(name);
        var info = await Seed.OkAsync(fixture.Http, HttpMethod.Get, $"/collections/{name}", null);
        Assert.Equal(3, info.GetProperty("result").GetProperty("config").GetProperty("params").GetProperty("vectors").GetProperty("size").GetInt32());
        await Seed.OkAsync(fixture.Http, HttpMethod.Delete, $"/collections/{name}", null);
        await page.Context.CloseAsync();
    }
}
