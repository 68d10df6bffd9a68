using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ExamNetWatch.Dashboard.Tests.Browser;

/// <summary>
/// The dashboard in a real Chromium (Debian's /usr/bin/chromium), as staff use it, against the demo server shared by
/// the collection: the collection's one browser, a context per page a test opens (closed after the test), timeouts
/// for a loaded 2-core machine where the demo crawls every 2 s, and helpers to sign in and to make posts arrive.
/// </summary>
public abstract class DashboardBrowserTest(DemoServerFixture demo) : IAsyncLifetime
{
    /// <summary>How long an action (click, fill, navigation) may take before it fails.</summary>
    public const float ActionTimeoutMs = 30_000;

    /// <summary>How long an expectation retries before it fails.</summary>
    public const float ExpectTimeoutMs = 20_000;

    private readonly List<IBrowserContext> _contexts = [];
    private IBrowser _browser = null!;

    protected DemoServerFixture Demo { get; } = demo;

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(ExpectTimeoutMs);
        _browser = await Demo.BrowserAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }
    }

    /// <summary>A page in a context of its own (its own cookies), closed when the test ends.</summary>
    protected async Task<IPage> NewPageAsync(BrowserNewContextOptions? options = null) =>
        await (await NewContextAsync(options)).NewPageAsync();

    /// <summary>A browser context (its own cookies and storage) with the tests' timeouts, closed when the test ends.</summary>
    protected async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions? options = null)
    {
        var context = await _browser.NewContextAsync(options);
        context.SetDefaultTimeout(ActionTimeoutMs);
        context.SetDefaultNavigationTimeout(ActionTimeoutMs * 2);
        _contexts.Add(context);
        return context;
    }

    /// <summary>Posts arriving through the real ingest path of the running server (detection, alert, outbox, live event).</summary>
    protected async Task IngestAsync(IEnumerable<string> titles)
    {
        await using var scope = Demo.Server.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        var ingestor = scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Ingestion.PostIngestor>();
        var sourceId = (await db.Sources.FirstAsync()).Id;
        foreach (var title in titles)
        {
            var id = Guid.NewGuid().ToString("N")[..10];
            await ingestor.AcceptAsync(
                TestPosts.Crawled(sourceId, "t" + id, id, title, title: title, author: "卖家", warcFile: "none.warc.gz"),
                CancellationToken.None);
        }
    }

    protected Task SignInAsync(IPage page) => SignInAsync(page, Demo.Server.UserName, Demo.Server.Password!);

    /// <summary>Signs in as the demo's administrator.</summary>
    protected Task SignInAsAdminAsync(IPage page) => SignInAsync(page, Demo.Server.AdminUserName!, Demo.Server.AdminPassword!);

    /// <summary>A page of the 1366×768 laptop screen staff use.</summary>
    protected Task<IPage> NewLaptopPageAsync() => NewPageAsync(new() { ViewportSize = new() { Width = 1366, Height = 768 } });

    /// <summary>Saves a screenshot among the test artefacts.</summary>
    protected static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", name + ".png"), FullPage = true });

    /// <summary>Posts a form of the page's own (with its antiforgery token) directly, as a hand-made request would.</summary>
    protected async Task<IAPIResponse> PostDirectlyAsync(IPage page, string pathAndQuery, params (string Name, string Value)[] fields)
    {
        var token = await page.Locator("input[name=__RequestVerificationToken]").First.InputValueAsync();
        var form = page.APIRequest.CreateFormData().Set("__RequestVerificationToken", token);
        foreach (var (name, value) in fields)
        {
            form = form.Set(name, value);
        }

        return await page.APIRequest.PostAsync(new Uri(Demo.Server.DashboardUrl, pathAndQuery).ToString(), new() { Form = form });
    }

    protected async Task SignInAsync(IPage page, string userName, string password)
    {
        await page.GotoAsync(Demo.Server.DashboardUrl.ToString());
        await page.FillAsync("#UserName", userName);
        await page.FillAsync("#Password", password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("告警队列");
    }
}
