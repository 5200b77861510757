using Microsoft.Playwright;

namespace RoseForest.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class SearchPageTests(DashboardFixture fixture)
{
    [Fact]
    public async Task A_text_query_embedded_by_the_server_shows_the_same_results_and_scores_as_the_api()
    {
        var expected = await Seed.OkAsync(fixture.Http, HttpMethod.Post, "/collections/docs/points/query", """{"query": {"text": "fox in the forest"}, "using": "text", "limit": 5, "with_payload": true}""");
        var hits = expected.GetProperty("result").GetProperty("points").EnumerateArray().ToList();

        var page = await fixture.SignedInPageAsync(DashboardServer.AdminKey);
        await DashboardFixture.OpenAsync(page, "#/search?collection=docs", "search");
        Assert.Equal("text", await page.Locator("#q-mode").InputValueAsync());
        await page.Locator("#q-text").FillAsync("fox in the forest");
        await page.Locator("#q-limit").FillAsync("5");
        await page.Locator("#q-run").ClickAsync();
        await Assertions.Expect(page.Locator("#query-count")).ToHaveTextAsync("5 results");
        var rows = await page.Locator("#results-table tbody tr").AllAsync();
        Assert.Equal(hits.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var cells = await rows[i].Locator("td").AllInnerTextsAsync();
            Assert.Equal(hits[i].GetProperty("id").GetRawText(), cells[1].Trim());
            Assert.Equal(hits[i].GetProperty("score").GetDouble().ToString("F4", System.Globalization.CultureInfo.InvariantCulture), cells[2].Trim());
        }

        Assert.Contains(hits[0].GetProperty("payload").GetProperty("title").GetString()!, await rows[0].InnerTextAsync(), StringComparison.Ordinal);
        await fixture.ScreenshotAsync(page, "search");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_same_query_is_shown_as_curl_csharp_and_javascript()
    {
        var page = await fixture.SignedInPageAsync(DashboardServer.AdminKey);
        await DashboardFixture.OpenAsync(page, "#/search?collection=docs", "search");
        await page.Locator("#q-text").FillAsync("whales");
        await page.Locator("#q-filter").FillAsync("""{"must": [{"key": "category", "match": {"value": "sea"}}]}""");
        await page.Locator("#q-run").ClickAsync();
        await page.Locator("#query-count").WaitForAsync();

        await page.Locator("#code-curl").ClickAsync();
        var curl = await page.Locator("#query-code").InnerTextAsync();
        Assert.Contains($"curl -X POST {fixture.BaseAddress.ToString().TrimEnd('/')}/collections/docs/points/query", curl, StringComparison.Ordinal);
        Assert.Contains("\"text\": \"whales\"", curl, StringComparison.Ordinal);
        Assert.Contains("api-key: $ROSEFOREST_API_KEY", curl, StringComparison.Ordinal);

        await page.Locator("#code-cs").ClickAsync();
        var cs = await page.Locator("#query-code").InnerTextAsync();
        Assert.Contains("await client.QueryAsync(", cs, StringComparison.Ordinal);
        Assert.Contains("new Document { Text = \"whales\" }", cs, StringComparison.Ordinal);
        Assert.Contains("MatchKeyword(\"category\", \"sea\")", cs, StringComparison.Ordinal);
        Assert.Contains("usingVector: \"text\"", cs, StringComparison.Ordinal);

        await page.Locator("#code-js").ClickAsync();
        var js = await page.Locator("#query-code").InnerTextAsync();
        Assert.Contains("import { QdrantClient } from '@qdrant/js-client-rest';", js, StringComparison.Ordinal);
        Assert.Contains("await client.query(\"docs\"", js, StringComparison.Ordinal);
        await fixture.ScreenshotAsync(page, "search-code");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_query_by_point_id_and_a_bad_filter_show_results_and_the_servers_message()
    {
        var page = await fixture.SignedInPageAsync(DashboardServer.AdminKey);
        await DashboardFixture.OpenAsync(page, "#/search?collection=flat", "search");
        Assert.Equal("id", await page.Locator("#q-mode").InputValueAsync());
        await page.Locator("#q-id").FillAsync("4");
        await page.Locator("#q-run").ClickAsync();
        await Assertions.Expect(page.Locator("#query-count")).ToHaveTextAsync("10 results");
        // The nearest points to item 4 are its own cluster (ids = 1 mod 3); the point itself is left out, as Qdrant does.
        var ids = (await page.Locator("#results-table tbody tr td:nth-child(2)").AllInnerTextsAsync()).Select(t => int.Parse(t.Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(ids, id => Assert.Equal(1, id % 3));
        Assert.DoesNotContain(4, ids);

        await page.Locator("#q-filter").FillAsync("""{"must": [{"key": "cluster", "range": {"gte": "one"}}]}""");
        await page.Locator("#q-run").ClickAsync();
        var (status, body) = await Seed.SendAsync(fixture.Http, HttpMethod.Post, "/collections/flat/points/query", """{"query": 4, "limit": 10, "with_payload": true, "filter": {"must": [{"key": "cluster", "range": {"gte": "one"}}]}}""", null);
        Assert.Equal(400, status);
        await Assertions.Expect(page.Locator("#query-error")).ToHaveTextAsync(body.GetProperty("status").GetProperty("error").GetString()!);
        await page.Context.CloseAsync();
    }
}
