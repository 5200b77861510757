using Microsoft.Playwright;

namespace RoseForest.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class AccessTests(DashboardFixture fixture)
{
    [Fact]
    public async Task A_read_only_key_sees_every_page_and_can_change_nothing()
    {
        var before = await Seed.OkAsync(fixture.Http, HttpMethod.Get, "/collections", null);
        var page = await fixture.SignedInPageAsync(DashboardServer.ReadOnlyKey);
        await Assertions.Expect(page.Locator("#access-badge")).ToHaveTextAsync("read-only key");
        await Assertions.Expect(page.Locator("#create-collection")).ToBeHiddenAsync();
        Assert.True(await page.Locator("#collections-table tbody tr").CountAsync() > 0);

        await DashboardFixture.OpenAsync(page, "#/collections/docs", "collection");
        await Assertions.Expect(page.Locator("#create-snapshot")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#index-form")).ToBeHiddenAsync();
        Assert.Equal(0, await page.Locator("#indexes-table button:visible").CountAsync());
        await page.Locator("#optimizer-status").WaitForAsync(); // the read-only key reads the optimizer's report
        await Assertions.Expect(page.Locator("#optimizer-run")).ToBeHiddenAsync();
        await page.Locator("#points-table tbody tr").First.WaitForAsync();

        foreach (var (route, name) in new[] { ("#/search?collection=docs", "search"), ("#/map?collection=tree", "map"), ("#/agents", "agents"), ("#/knowledge", "knowledge"), ("#/federated", "federated"), ("#/cluster", "cluster") })
        {
            await DashboardFixture.OpenAsync(page, route, name);
            Assert.Equal(0, await page.Locator("#view .error:not(:empty)").CountAsync());
            Assert.Equal(0, await page.Locator("[data-write='true']:visible").CountAsync());
        }

        await DashboardFixture.OpenAsync(page, "#/search?collection=docs", "search");
        await page.Locator("#q-text").FillAsync("dogs");
        await page.Locator("#q-run").ClickAsync();
        await Assertions.Expect(page.Locator("#query-count")).ToHaveTextAsync("10 results");
        await fixture.ScreenshotAsync(page, "read-only-search");

        // The server refuses writes with this key whatever the page does.
        var statuses = await page.EvaluateAsync<int[]>("""
            async key => Promise.all([
              fetch('/collections/ro_attempt', { method: 'PUT', headers: { 'api-key': key, 'content-type': 'application/json' }, body: JSON.stringify({ vectors: { size: 2, distance: 'Euclid' } }) }).then(r => r.status),
              fetch('/collections/docs/points/delete?wait=true', { method: 'POST', headers: { 'api-key': key, 'content-type': 'application/json' }, body: JSON.stringify({ points: [1, 2, 3] }) }).then(r => r.status),
              fetch('/collections/docs/snapshots', { method: 'POST', headers: { 'api-key': key } }).then(r => r.status),
              fetch('/collections/docs/index', { method: 'PUT', headers: { 'api-key': key, 'content-type': 'application/json' }, body: JSON.stringify({ field_name: 'year', field_schema: 'integer' }) }).then(r => r.status),
            ])
            """, DashboardServer.ReadOnlyKey);
        Assert.All(statuses, s => Assert.Equal(403, s));
        var after = await Seed.OkAsync(fixture.Http, HttpMethod.Get, "/collections", null);
        Assert.Equal(before.GetProperty("result").GetRawText(), after.GetProperty("result").GetRawText());
        var docs = await Seed.OkAsync(fixture.Http, HttpMethod.Get, "/collections/docs", null);
        Assert.Equal(Seed.Documents.Length, docs.GetProperty("result").GetProperty("points_count").GetInt32());
        Assert.False(docs.GetProperty("result").GetProperty("payload_schema").TryGetProperty("year", out _));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_unknown_key_is_asked_again_and_sees_no_data()
    {
        var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(fixture.BaseAddress, "/dashboard").ToString());
        await page.Locator("#key-input").FillAsync("not-a-key");
        await page.Locator("#key-submit").ClickAsync();
        await Assertions.Expect(page.Locator("#key-error")).ToHaveTextAsync("That key is not one of this server's keys.");
        Assert.Equal(0, await page.Locator("#collections-table").CountAsync());
        await context.CloseAsync();
    }
}
