using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace RoseForest.Dashboard.Tests;

/// <summary>Phone-sized viewports, labels on every control, and no request to anything but the server.</summary>
[Collection(DashboardCollection.Name)]
public sealed class LayoutTests(DashboardFixture fixture)
{
    private static readonly (string Route, string Name)[] Pages =
    [
        ("#/collections", "collections"), ("#/collections/docs", "collection"), ("#/search?collection=docs", "search"), ("#/map?collection=tree", "map"),
        ("#/agents", "agents"), ("#/knowledge", "knowledge"), ("#/federated", "federated"), ("#/cluster", "cluster"),
    ];

    [Fact]
    public async Task Every_page_fits_a_phone_and_every_control_has_a_label()
    {
        var page = await fixture.SignedInPageAsync(DashboardServer.AdminKey, 390, 844);
        foreach (var (route, name) in Pages)
        {
            await DashboardFixture.OpenAsync(page, route, name);
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{name} is {overflow}px wider than a 390px phone");
            var unlabelled = await page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('input, select, textarea, button')]
                  .filter(e => e.offsetParent !== null)
                  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !(e.tagName === 'BUTTON' && e.textContent.trim()))
                  .map(e => e.id || e.outerHTML.slice(0, 60))
                """);
            Assert.True(unlabelled.Length == 0, $"{name}: controls without a label: {string.Join(", ", unlabelled)}");
            await fixture.ScreenshotAsync(page, "phone-" + name);
        }

        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_dashboard_requests_nothing_but_its_own_server()
    {
        var page = await fixture.SignedInPageAsync(DashboardServer.AdminKey);
        foreach (var (route, name) in Pages)
        {
            await DashboardFixture.OpenAsync(page, route, name);
        }

        var origin = fixture.BaseAddress.GetLeftPart(UriPartial.Authority);
        var foreign = fixture.RequestedUrls.Where(u => !u.StartsWith(origin + "/", StringComparison.Ordinal) && !u.StartsWith("data:", StringComparison.Ordinal)).Distinct().ToList();
        Assert.True(foreign.Count == 0, "requests elsewhere: " + string.Join(", ", foreign));
        Assert.Contains(fixture.RequestedUrls, u => u.EndsWith("/dashboard/vendor/echarts/echarts.common.min.js", StringComparison.Ordinal));

        // The pages are served with a policy that lets them reach only this server.
        using var response = await fixture.Http.GetAsync(new Uri("/dashboard/", UriKind.Relative));
        Assert.Contains("connect-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Every_page_passes_axe_cores_wcag_2_aa_checks()
    {
        var page = await fixture.SignedInPageAsync(DashboardServer.AdminKey);
        var failures = new List<string>();
        foreach (var (route, name) in Pages)
        {
            await DashboardFixture.OpenAsync(page, route, name);
            await page.WaitForTimeoutAsync(300); // the points browser and charts fill in after the page is marked ready
            var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa"] } });
            Assert.True(result.Passes.Length > 10, $"{name}: axe ran only {result.Passes.Length} passing rules"); // it really checked the page
            failures.AddRange(result.Violations.Select(v => $"{name}: {v.Id} ({v.Impact}) {v.Help}: {string.Join(" | ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}"));
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        await page.Context.CloseAsync();
    }
}
