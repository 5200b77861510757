using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace RoseForest.Dashboard.Tests;

/// <summary>
/// One seeded <c>roseforest serve</c> and one headless Debian chromium (driven by Playwright) for
/// every dashboard test. Screenshots go to <c>DASHBOARD_SCREENSHOTS</c>, else <c>screenshots/</c>
/// beside the test assembly (the test artifact folder).
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    private readonly TempDir _data = new();
    private ServeProcess? _server;
    private IPlaywright? _playwright;

    public static string ChromiumPath => Environment.GetEnvironmentVariable("ROSEFOREST_CHROMIUM") ?? "/usr/bin/chromium";

    public Uri BaseAddress => _server!.BaseAddress;

    public HttpClient Http { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string ScreenshotFolder { get; } = Environment.GetEnvironmentVariable("DASHBOARD_SCREENSHOTS") is { Length: > 0 } folder ? folder : Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>Every URL any page asked for, to check that the dashboard calls nothing but its server.</summary>
    public ConcurrentBag<string> RequestedUrls { get; } = [];

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"The dashboard tests drive Debian's chromium at {ChromiumPath}: install it (apt-get install chromium; test.sh does) or set ROSEFOREST_CHROMIUM.");
        }

        Directory.CreateDirectory(ScreenshotFolder);
        _server = DashboardServer.Create(_data.Path);
        await _server.StartAsync();
        Http = new HttpClient { BaseAddress = _server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        await Seed.RunAsync(Http);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // As root in a closed network: no sandbox, and no background connections to Google's hosts.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A new browser tab of the given size, signed in with <paramref name="key"/>, on the dashboard's first page.</summary>
    public async Task<IPage> SignedInPageAsync(string key, int width = 1280, int height = 800, Uri? server = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, ReducedMotion = ReducedMotion.Reduce });
        context.Request += (_, request) => RequestedUrls.Add(request.Url);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync(new Uri(server ?? BaseAddress, "/dashboard/").ToString());
        await page.Locator("#key-input").FillAsync(key);
        await page.Locator("#key-submit").ClickAsync();
        await page.Locator("#collections-table").WaitForAsync();
        return page;
    }

    /// <summary>Opens a page of the dashboard by its hash route and waits until it has rendered.</summary>
    public static async Task OpenAsync(IPage page, string route, string pageName)
    {
        // Marked not ready in the same task that changes the hash, so the wait cannot see the previous page's mark.
        await page.EvaluateAsync("r => { document.getElementById('view').dataset.ready = 'false'; location.hash = r; }", route);
        await page.Locator($"body[data-page='{pageName}'] main[data-ready='true']").WaitForAsync();
    }

    public async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        Http?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _data.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "Dashboard";
}
