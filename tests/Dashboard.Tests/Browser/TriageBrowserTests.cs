using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ExamNetWatch.Dashboard.Tests.Browser;

/// <summary>The dashboard in a real Chromium (Debian's /usr/bin/chromium), as staff use it.</summary>
[Collection(DemoServerGroup.Name)]
public sealed class TriageBrowserTests(DemoServerFixture demo) : IAsyncLifetime
{
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    [Fact]
    public async Task SignIn_ConfirmAnAlert_NewStatusShownAfterReloadAndAudited()
    {
        Assert.True(await demo.WaitForSeedAsync());
        var page = await _browser.NewPageAsync();

        await SignInAsync(page);
        var row = page.Locator("#alert-queue tr", new() { HasText = "作弊器出售" });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await row.GetByRole(AriaRole.Link, new() { Name = "作弊器出售" }).ClickAsync();

        await Assertions.Expect(page.Locator("#post-text mark")).ToHaveTextAsync("作*弊*器");
        await Assertions.Expect(page.Locator("#alert-status")).ToHaveTextAsync("新告警");
        await page.GetByRole(AriaRole.Button, new() { Name = "确认告警" }).ClickAsync();
        // The form posts and redirects back; wait for that page before reloading it.
        await Assertions.Expect(page.Locator("#alert-status")).ToHaveTextAsync("已确认");
        await page.ReloadAsync();

        await Assertions.Expect(page.Locator("#alert-status")).ToHaveTextAsync("已确认");
        await Assertions.Expect(page.Locator("#history td[data-action='alert.confirm']")).ToHaveTextAsync("确认告警");
        await using var scope = demo.Server.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        var alert = await db.Alerts.SingleAsync(a => a.Title == "作弊器出售");
        Assert.Equal(AlertStatus.Confirmed, alert.Status);
        Assert.Equal("demo", alert.TriagedBy);
        Assert.True(await db.Audit.AnyAsync(e => e.Action == "alert.confirm" && e.Actor == "demo" && e.Target == "alert:" + alert.Id));
    }

    [Fact]
    public async Task Queue_OrdinaryPosts_AreNotListed()
    {
        Assert.True(await demo.WaitForSeedAsync());
        var page = await _browser.NewPageAsync();

        await SignInAsync(page);

        await Assertions.Expect(page.Locator("#alert-queue")).ToContainTextAsync("隐形耳机 米粒耳机 批发");
        await Assertions.Expect(page.Locator("#alert-queue")).Not.ToContainTextAsync("有没有推荐的降噪耳机");
        await Assertions.Expect(page.Locator("#alert-queue")).Not.ToContainTextAsync("提醒：网上说能提供中考答案的都是骗子");
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsAnErrorAndStaysOnTheLoginPage()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(demo.Server.DashboardUrl.ToString());

        await page.FillAsync("#UserName", "demo");
        await page.FillAsync("#Password", "not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();

        await Assertions.Expect(page.Locator("[role=alert]")).ToHaveTextAsync("用户名或密码错误。");
        Assert.Contains("/Account/Login", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnonymousVisitor_AskingForAnAlert_IsSentToTheLoginPage()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = demo.Server.DashboardUrl };

        using var response = await client.GetAsync(new Uri("Alerts/Detail/1", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_ChineseWordThenFilterBySeverity_ShowsHighlightedPostsAndCounts()
    {
        Assert.True(await demo.WaitForSeedAsync());
        var index = demo.Server.App.Services.GetRequiredService<ExamNetWatch.Indexer.Indexing.IPostIndex>();
        for (var wait = System.Diagnostics.Stopwatch.StartNew(); wait.Elapsed < TimeSpan.FromSeconds(20); await Task.Delay(100))
        {
            if ((await index.SearchAsync(new ExamNetWatch.Indexer.Search.SearchRequest { Query = "降噪耳机" })).Total > 0)
            {
                break;
            }
        }

        var page = await _browser.NewPageAsync();
        await SignInAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "全文搜索" }).ClickAsync();
        await page.FillAsync("input[name=q]", "米粒耳机");
        await page.GetByRole(AriaRole.Button, new() { Name = "搜索" }).ClickAsync();

        await Assertions.Expect(page.Locator("#search-results li").First.Locator(".snippet mark")).ToHaveTextAsync("米粒耳机");
        await Assertions.Expect(page.Locator("#search-facets")).ToContainTextAsync("作弊器材");

        await page.FillAsync("input[name=q]", "耳机");
        await page.SelectOptionAsync("select[name=severity]", "none");
        await page.GetByRole(AriaRole.Button, new() { Name = "搜索" }).ClickAsync();

        await Assertions.Expect(page.Locator("#search-results")).ToContainTextAsync("降噪耳机");
        await Assertions.Expect(page.Locator("#search-results")).Not.ToContainTextAsync("米粒耳机");

        await page.FillAsync("input[name=q]", "\"未闭合");
        await page.GetByRole(AriaRole.Button, new() { Name = "搜索" }).ClickAsync();
        await Assertions.Expect(page.Locator("#search-error")).ToContainTextAsync("引号未闭合");
    }

    private async Task SignInAsync(IPage page)
    {
        await page.GotoAsync(demo.Server.DashboardUrl.ToString());
        await page.FillAsync("#UserName", demo.Server.UserName);
        await page.FillAsync("#Password", demo.Server.Password!);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("告警队列");
    }
}
