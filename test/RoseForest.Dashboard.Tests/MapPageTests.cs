using System.Globalization;
using Microsoft.Playwright;

namespace RoseForest.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class MapPageTests(DashboardFixture fixture)
{
    private static async Task<(double X, double Y)> CentreAsync(ILocator svg)
    {
        var parts = (await svg.GetAttributeAsync("data-center"))!.Split(',');
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_poincare_map_draws_every_point_and_hierarchy_edge_and_recentres_by_drag_click_and_keys()
    {
        var page = await fixture.SignedInPageAsync(DashboardServer.AdminKey);
        await DashboardFixture.OpenAsync(page, "#/map?collection=tree", "map");
        var svg = page.Locator("#map-svg");
        await Assertions.Expect(svg).ToHaveAttributeAsync("data-nodes", Seed.TreeNodes.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(Seed.TreeNodes, await svg.Locator("circle.node").CountAsync());
        Assert.Equal(Seed.TreeNodes - 1, await svg.Locator("path.edge").CountAsync());
        var labels = int.Parse((await svg.GetAttributeAsync("data-labels"))!, CultureInfo.InvariantCulture);
        Assert.InRange(labels, 4, Seed.TreeNodes);
        Assert.Equal(labels, await svg.Locator("text").CountAsync());
        Assert.Contains("39 hierarchy edges from payload field \"parent\"", await page.Locator("#map-status").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal((0.0, 0.0), await CentreAsync(svg));
        await fixture.ScreenshotAsync(page, "map-poincare");

        // Dragging moves the centre: the point under the pointer follows it (a Möbius transformation).
        var box = (await svg.BoundingBoxAsync())!;
        var (cx, cy) = (box.X + (box.Width / 2), box.Y + (box.Height / 2));
        await page.Mouse.MoveAsync((float)(cx + 40), (float)(cy + 10));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync((float)(cx - 60), (float)(cy + 10), new MouseMoveOptions { Steps = 8 });
        await page.Mouse.UpAsync();
        var dragged = await CentreAsync(svg);
        Assert.True(dragged.X > 0.05, $"dragging left should bring the region on the right to the centre, centre is {dragged}");
        Assert.True(Math.Abs(dragged.Y) < 0.05, $"a horizontal drag keeps the centre on the axis, centre is {dragged}");
        Assert.Equal(Seed.TreeNodes, await svg.Locator("circle.node").CountAsync());

        // Clicking a point brings it to the centre.
        var node = Seed.Tree()[13];
        await svg.Locator("circle[data-id='13']").DispatchEventAsync("pointerdown", new Dictionary<string, object> { ["clientX"] = (int)cx, ["clientY"] = (int)cy, ["bubbles"] = true, ["pointerId"] = 1 });
        await svg.Locator("circle[data-id='13']").DispatchEventAsync("pointerup", new Dictionary<string, object> { ["clientX"] = (int)cx, ["clientY"] = (int)cy, ["bubbles"] = true, ["pointerId"] = 1 });
        var centred = await CentreAsync(svg);
        Assert.Equal(node.X, centred.X, 3);
        Assert.Equal(node.Y, centred.Y, 3);
        var circle = svg.Locator("circle[data-id='13']");
        Assert.Equal(box.Width / 2, double.Parse((await circle.GetAttributeAsync("cx"))!, CultureInfo.InvariantCulture), 1);

        // Keyboard: an arrow pans, 0 goes back to the origin.
        await svg.FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        Assert.NotEqual(centred, await CentreAsync(svg));
        await page.Keyboard.PressAsync("0");
        Assert.Equal((0.0, 0.0), await CentreAsync(svg));
        await page.Keyboard.PressAsync("+");
        Assert.Equal("1.250", await svg.GetAttributeAsync("data-zoom"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_query_on_the_map_highlights_the_query_point_and_its_results()
    {
        var page = await fixture.SignedInPageAsync(DashboardServer.AdminKey);
        await DashboardFixture.OpenAsync(page, "#/map?collection=tree", "map");
        await page.Locator("#map-query").FillAsync("5");
        await page.Locator("#map-query-form button[type=submit]").ClickAsync();
        var svg = page.Locator("#map-svg");
        await Assertions.Expect(svg).ToHaveAttributeAsync("data-hits", "10");
        Assert.Equal(10, await svg.Locator("circle.node.hit").CountAsync());
        Assert.Equal(1, await svg.Locator("circle.node.query[data-id='5']").CountAsync());
        var node = Seed.Tree()[5];
        var parts = (await svg.GetAttributeAsync("data-center"))!.Split(',');
        Assert.Equal(node.X, double.Parse(parts[0], CultureInfo.InvariantCulture), 3);

        // The hits are the ones the API answers.
        var expected = await Seed.OkAsync(fixture.Http, HttpMethod.Post, "/collections/tree/points/query", """{"query": 5, "limit": 10}""");
        foreach (var hit in expected.GetProperty("result").GetProperty("points").EnumerateArray())
        {
            Assert.Equal(1, await svg.Locator($"circle.node.hit[data-id='{hit.GetProperty("id").GetRawText()}']").CountAsync());
        }

        await fixture.ScreenshotAsync(page, "map-query");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_lorentz_collection_is_drawn_where_the_same_points_sit_in_the_poincare_disk()
    {
        var page = await fixture.SignedInPageAsync(DashboardServer.AdminKey);
        await DashboardFixture.OpenAsync(page, "#/map?collection=tree", "map");
        var poincare = await Positions(page);
        await DashboardFixture.OpenAsync(page, "#/map?collection=tree_lorentz", "map");
        var svg = page.Locator("#map-svg");
        await Assertions.Expect(svg).ToHaveAttributeAsync("data-nodes", Seed.TreeNodes.ToString(CultureInfo.InvariantCulture));
        Assert.Contains("Lorentz → Poincaré disk", await page.Locator("#map-status").InnerTextAsync(), StringComparison.Ordinal);
        var lorentz = await Positions(page);
        Assert.Equal(poincare.Keys.Order(), lorentz.Keys.Order());
        foreach (var (id, (x, y)) in poincare)
        {
            Assert.Equal(x, lorentz[id].X, 0);
            Assert.Equal(y, lorentz[id].Y, 0);
        }

        Assert.Equal(Seed.TreeNodes - 1, await svg.Locator("path.edge").CountAsync());
        await fixture.ScreenshotAsync(page, "map-lorentz");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_flat_collection_gets_a_pca_projection_with_the_same_interactions()
    {
        var page = await fixture.SignedInPageAsync(DashboardServer.AdminKey);
        await DashboardFixture.OpenAsync(page, "#/map?collection=flat", "map");
        var svg = page.Locator("#map-svg");
        await Assertions.Expect(svg).ToHaveAttributeAsync("data-nodes", Seed.FlatPoints.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(Seed.FlatPoints, await svg.Locator("circle.node").CountAsync());
        Assert.Equal(0, await svg.Locator("path.edge").CountAsync());
        Assert.Contains("PCA of 8 dimensions", await page.Locator("#map-status").InnerTextAsync(), StringComparison.Ordinal);

        // The three clusters separate: each point's nearest drawn neighbour is in its own cluster.
        var positions = await Positions(page);
        var sameCluster = positions.Count(p => positions.Where(q => q.Key != p.Key).MinBy(q => Math.Pow(q.Value.X - p.Value.X, 2) + Math.Pow(q.Value.Y - p.Value.Y, 2)).Key % 3 == p.Key % 3);
        Assert.Equal(Seed.FlatPoints, sameCluster);

        await svg.FocusAsync();
        await page.Keyboard.PressAsync("ArrowUp");
        Assert.NotEqual("0.0000,0.0000", await svg.GetAttributeAsync("data-center"));
        await fixture.ScreenshotAsync(page, "map-flat");
        await page.Context.CloseAsync();
    }

    private static async Task<Dictionary<int, (double X, double Y)>> Positions(IPage page)
    {
        var list = await page.EvaluateAsync<double[][]>("() => [...document.querySelectorAll('#map-svg circle.node')].map(c => [Number(c.dataset.id), Number(c.getAttribute('cx')), Number(c.getAttribute('cy'))])");
        return list.ToDictionary(p => (int)p[0], p => (p[1], p[2]));
    }
}
