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
    public async Task SignIn_TakeNoteAndCloseAnAlert_StateShownAfterReloadAndAudited()
    {
        Assert.True(await demo.WaitForSeedAsync());
        var page = await _browser.NewPageAsync();

        await SignInAsync(page);
        var row = page.Locator("#alert-queue tr", new() { HasText = "作弊器出售" });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await row.GetByRole(AriaRole.Link, new() { Name = "作弊器出售" }).ClickAsync();

        await Assertions.Expect(page.Locator("#post-text mark")).ToHaveTextAsync("作*弊*器");
        await Assertions.Expect(page.Locator("#alert-status")).ToHaveTextAsync("新告警");
        await page.GetByRole(AriaRole.Button, new() { Name = "认领" }).ClickAsync();
        // Each form posts and redirects back; wait for that page before the next step.
        await Assertions.Expect(page.Locator("#alert-status")).ToHaveTextAsync("处理中");
        await Assertions.Expect(page.Locator("#alert-assignee")).ToHaveTextAsync(demo.Server.UserName);
        await page.FillAsync("#note-form textarea", "卖家QQ已在其他帖子出现");
        await page.GetByRole(AriaRole.Button, new() { Name = "添加备注" }).ClickAsync();
        await Assertions.Expect(page.Locator("#notes")).ToContainTextAsync("卖家QQ已在其他帖子出现");
        await page.SelectOptionAsync("#close-form select", "true_positive");
        await page.GetByRole(AriaRole.Button, new() { Name = "关闭告警" }).ClickAsync();
        await Assertions.Expect(page.Locator("#alert-status")).ToHaveTextAsync("已关闭");
        await page.ReloadAsync();

        await Assertions.Expect(page.Locator("#close-reason")).ToContainTextAsync("属实");
        await Assertions.Expect(page.Locator("#history td[data-action='alert.take']")).ToHaveTextAsync("认领");
        await Assertions.Expect(page.Locator("#history td[data-action='alert.close']")).ToHaveTextAsync("关闭");
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "alert-closed.png"), FullPage = true });
        await using var scope = demo.Server.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        var alert = await db.Alerts.SingleAsync(a => a.Title == "作弊器出售");
        Assert.Equal((AlertStatus.Closed, CloseReason.TruePositive, demo.Server.UserName), (alert.Status, alert.CloseReason!, alert.Assignee!));
        Assert.NotNull(alert.ClosedAtUtc);
        Assert.True(await db.Audit.AnyAsync(e => e.Action == "alert.close" && e.Actor == demo.Server.UserName && e.Target == "alert:" + alert.Id));
        Assert.True(await db.AlertNotes.AnyAsync(n => n.AlertId == alert.Id && n.Author == demo.Server.UserName));
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

    [Fact]
    public async Task Viewer_SeesAlertsButCannotTriage_EvenByPostingDirectly()
    {
        Assert.True(await demo.WaitForSeedAsync());
        string password;
        long alertId;
        await using (var scope = demo.Server.App.Services.CreateAsyncScope())
        {
            password = (await scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Hosting.AccountBootstrap>().EnsureAsync("viewer1", StaffRoles.Viewer, resetPassword: true))!;
            alertId = (await scope.ServiceProvider.GetRequiredService<WatchDbContext>().Alerts.FirstAsync(a => a.Status == AlertStatus.New && a.Assignee == null)).Id;
        }

        var page = await _browser.NewPageAsync();
        await SignInAsync(page, "viewer1", password);
        await page.GotoAsync(new Uri(demo.Server.DashboardUrl, $"Alerts/Detail/{alertId}").ToString());

        await Assertions.Expect(page.Locator("#post-text")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#triage-actions")).ToHaveCountAsync(0);
        var token = await page.Locator("input[name=__RequestVerificationToken]").First.InputValueAsync();
        var response = await page.APIRequest.PostAsync(new Uri(demo.Server.DashboardUrl, $"Alerts/Detail/{alertId}?handler=Take").ToString(), new() { Form = page.APIRequest.CreateFormData().Set("__RequestVerificationToken", token) });
        Assert.Contains("AccessDenied", response.Url, StringComparison.Ordinal);
        var hangfire = await page.GotoAsync(new Uri(demo.Server.DashboardUrl, "hangfire").ToString());
        Assert.Contains("AccessDenied", hangfire!.Url, StringComparison.Ordinal);

        await using var check = demo.Server.App.Services.CreateAsyncScope();
        var alert = await check.ServiceProvider.GetRequiredService<WatchDbContext>().Alerts.SingleAsync(a => a.Id == alertId);
        Assert.Equal(AlertStatus.New, alert.Status);
        Assert.Null(alert.Assignee);
    }

    [Fact]
    public async Task Queue_NewAlertWhileOpen_AppearsWithoutReload()
    {
        Assert.True(await demo.WaitForSeedAsync());
        var page = await _browser.NewPageAsync();
        await SignInAsync(page);
        await Assertions.Expect(page.Locator("#alert-queue")).ToBeVisibleAsync();
        var broadcaster = demo.Server.App.Services.GetRequiredService<ExamNetWatch.Dashboard.Live.AlertBroadcaster>();
        for (var wait = System.Diagnostics.Stopwatch.StartNew(); broadcaster.Subscribers == 0 && wait.Elapsed < TimeSpan.FromSeconds(10);)
        {
            await Task.Delay(50);
        }

        await IngestAsync(["实时到达：出售作弊器，考前发货，加微信 live2026x"]);

        await Assertions.Expect(page.Locator("#alert-queue tr.live", new() { HasText = "实时到达" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#live-banner")).ToContainTextAsync("新告警");
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "queue-live.png") });
    }

    [Fact]
    public async Task Queue_FilterThenBulkCloseEverythingMatching_MoreThanOnePage()
    {
        Assert.True(await demo.WaitForSeedAsync());
        await IngestAsync(Enumerable.Range(1, 60).Select(i => $"批量测试{i}：出售作弊器，考前发货，加微信 bulk{i:000}x"));
        var page = await _browser.NewPageAsync();
        await SignInAsync(page);

        await page.FillAsync("#queue-filter input[name=q]", "批量测试");
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await Assertions.Expect(page.Locator("#matching")).ToHaveTextAsync("符合条件 60 条");
        await Assertions.Expect(page.Locator("#alert-queue tbody tr")).ToHaveCountAsync(50);
        await page.SelectOptionAsync("#bulk-form select[name=action]", "close");
        await page.FillAsync("#bulk-form input[name=argument]", "duplicate");
        await page.GetByRole(AriaRole.Button, new() { Name = "执行" }).ClickAsync();

        await Assertions.Expect(page.Locator("#queue-message")).ToHaveTextAsync("已处理 60 条告警。");
        await Assertions.Expect(page.Locator("#matching")).ToHaveTextAsync("符合条件 0 条");
        await using var scope = demo.Server.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        var closed = await db.Alerts.Where(a => a.Title.StartsWith("批量测试")).Select(a => new { a.Status, a.CloseReason }).ToListAsync();
        Assert.Equal(60, closed.Count);
        Assert.All(closed, a => Assert.Equal((AlertStatus.Closed, CloseReason.Duplicate), (a.Status, a.CloseReason!)));
        Assert.Equal(60, await db.Audit.CountAsync(e => e.Action == "alert.close" && e.Detail!.StartsWith("批量")));
    }

    [Fact]
    public async Task Queue_GroupedView_FoldsPostsSharingAContactAndOpensTheGroup()
    {
        Assert.True(await demo.WaitForSeedAsync());
        await IngestAsync(["分组测试一：出售作弊器，加QQ 3456789012", "分组测试二：隐形耳机批发，QQ 3456789012", "分组测试三：代考包过，联系 QQ 3456789012"]);
        var page = await _browser.NewPageAsync();
        await SignInAsync(page);

        await page.FillAsync("#queue-filter input[name=q]", "分组测试");
        await page.CheckAsync("#queue-filter input[name=grouped]");
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();

        await Assertions.Expect(page.Locator("#alert-queue tbody tr")).ToHaveCountAsync(1);
        await page.Locator("#alert-queue a.group-count").ClickAsync();
        await Assertions.Expect(page.Locator("#group-filter")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#alert-queue tbody tr")).ToHaveCountAsync(3);
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "queue-group.png") });

        // The detail page links the shared contact to every alert carrying it, and lists the group.
        await page.Locator("#alert-queue tbody tr").First.Locator("td a").First.ClickAsync();
        await Assertions.Expect(page.Locator("#related li")).ToHaveCountAsync(2);
        await page.Locator("#contacts a").First.ClickAsync();
        await Assertions.Expect(page.Locator("#contact-alerts tbody tr")).ToHaveCountAsync(3);
        await page.GoBackAsync();
        await page.GoBackAsync();

        // Leave the shared queue as it was: close the group in one go.
        await page.SelectOptionAsync("#bulk-form select[name=action]", "close");
        await page.FillAsync("#bulk-form input[name=argument]", "true_positive");
        await page.GetByRole(AriaRole.Button, new() { Name = "执行" }).ClickAsync();
        await Assertions.Expect(page.Locator("#queue-message")).ToHaveTextAsync("已处理 3 条告警。");
    }

    [Fact]
    public async Task Queue_AlertPastItsSla_IsHighlightedAndListedUnderOverdue()
    {
        Assert.True(await demo.WaitForSeedAsync());
        await IngestAsync(["超时测试：出售作弊器，考前发货，加微信 late2026x"]);
        await using (var scope = demo.Server.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
            var past = TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(-90);
            await db.Alerts.Where(a => a.Title.StartsWith("超时测试")).ExecuteUpdateAsync(u => u.SetProperty(a => a.DueAtUtc, past));
        }

        var page = await _browser.NewPageAsync();
        await SignInAsync(page);
        await page.Locator("#overdue-link").ClickAsync();

        var row = page.Locator("#alert-queue tr.overdue", new() { HasText = "超时测试" });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator("td.sla")).ToContainTextAsync("超时 90 分钟");

        await row.GetByRole(AriaRole.Link, new() { Name = "超时测试：出售作弊器，考前发货，加微信 late2026x" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "受理" }).ClickAsync();
        await Assertions.Expect(page.Locator("#alert-status")).ToHaveTextAsync("处理中");
        await page.GotoAsync(new Uri(demo.Server.DashboardUrl, "?overdue=true").ToString());
        await Assertions.Expect(page.Locator("#alert-queue tr", new() { HasText = "超时测试" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task TryAText_ShowsTheVerdictAndItsExplanation()
    {
        var page = await _browser.NewPageAsync();
        await SignInAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "规则试用" }).ClickAsync();

        await page.FillAsync("#try-form textarea", "出售作*弊*器，考前发货，加薇 zk2026helper");
        await page.GetByRole(AriaRole.Button, new() { Name = "检测" }).ClickAsync();

        await Assertions.Expect(page.Locator("#try-verdict")).ToContainTextAsync("会生成告警");
        await Assertions.Expect(page.Locator("#try-verdict")).ToContainTextAsync("“作*弊*器” → 作弊器");
        await Assertions.Expect(page.Locator("#try-explanations")).ToContainTextAsync("zk2026helper");

        await page.FillAsync("#try-form textarea", "今天数学课复习了函数，大家加油");
        await page.GetByRole(AriaRole.Button, new() { Name = "检测" }).ClickAsync();
        await Assertions.Expect(page.Locator("#try-severity")).ToHaveTextAsync("无");
    }

    [Fact]
    public async Task Queue_DuringAnExamSlot_SaysSo()
    {
        await using (var scope = demo.Server.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
            var now = TimeProvider.System.GetUtcNow().UtcDateTime;
            // A subject no post names, so the open paper does not change other tests' verdicts.
            db.ExamSlots.Add(new ExamSlot { Exam = "2026年中考", Subject = "横幅测试科", StartsAtUtc = now.AddMinutes(-5), EndsAtUtc = now.AddMinutes(2) });
            await db.SaveChangesAsync();
        }

        var page = await _browser.NewPageAsync();
        await SignInAsync(page);

        await Assertions.Expect(page.Locator("#exam-in-progress")).ToContainTextAsync("2026年中考 横幅测试科");
    }

    [Fact]
    public async Task AuditLog_AdminFiltersIt_AnalystIsRefused()
    {
        string password;
        await using (var scope = demo.Server.App.Services.CreateAsyncScope())
        {
            password = (await scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Hosting.AccountBootstrap>().EnsureAsync("auditadmin", StaffRoles.Admin, resetPassword: true))!;
        }

        var analyst = await _browser.NewPageAsync();
        await SignInAsync(analyst);
        await analyst.GotoAsync(new Uri(demo.Server.DashboardUrl, "Audit").ToString());
        await Assertions.Expect(analyst.Locator("#access-denied")).ToBeVisibleAsync();

        var admin = await _browser.NewPageAsync();
        await SignInAsync(admin, "auditadmin", password);
        await admin.GetByRole(AriaRole.Link, new() { Name = "审计日志" }).ClickAsync();
        await admin.FillAsync("#audit-filter input[name=target]", "user:auditadmin");
        await admin.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();

        await admin.WaitForURLAsync(url => url.Contains("target=user%3Aauditadmin", StringComparison.Ordinal));
        var targets = await admin.Locator("#audit-log tbody tr td:nth-child(5)").AllInnerTextsAsync();
        Assert.NotEmpty(targets);
        Assert.All(targets, t => Assert.Equal("user:auditadmin", t));
        await Assertions.Expect(admin.Locator("#audit-log td[data-action='user.reset-password'], #audit-log td[data-action='user.create']")).Not.ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Detail_AssignToAColleague_ShowsAndAuditsTheAssignee()
    {
        await using (var scope = demo.Server.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Hosting.AccountBootstrap>().EnsureAsync("colleague", StaffRoles.Analyst, resetPassword: false);
        }

        await IngestAsync(["指派测试：出售作弊器，考前发货，加微信 assign2026x"]);
        long id;
        await using (var scope = demo.Server.App.Services.CreateAsyncScope())
        {
            id = (await scope.ServiceProvider.GetRequiredService<WatchDbContext>().Alerts.SingleAsync(a => a.Title.StartsWith("指派测试"))).Id;
        }

        var page = await _browser.NewPageAsync();
        await SignInAsync(page);
        await page.GotoAsync(new Uri(demo.Server.DashboardUrl, $"Alerts/Detail/{id}").ToString());
        await page.SelectOptionAsync("#assign-form select", "colleague");
        await page.GetByRole(AriaRole.Button, new() { Name = "指派", Exact = true }).ClickAsync();

        await Assertions.Expect(page.Locator("#alert-assignee")).ToHaveTextAsync("colleague");
        await Assertions.Expect(page.Locator("#history td[data-action='alert.assign']")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Detail_RawCapture_IsShownAsTextNeverAsAPage()
    {
        Assert.True(await demo.WaitForSeedAsync());
        long id;
        await using (var scope = demo.Server.App.Services.CreateAsyncScope())
        {
            id = (await scope.ServiceProvider.GetRequiredService<WatchDbContext>().Alerts.Include(a => a.Post).FirstAsync(a => a.Post!.WarcFile.EndsWith(".warc.gz") && a.Post.WarcFile != "none.warc.gz")).Id;
        }

        var page = await _browser.NewPageAsync();
        await SignInAsync(page);
        await page.GotoAsync(new Uri(demo.Server.DashboardUrl, $"Alerts/Detail/{id}").ToString());
        await page.Locator("#capture-link").ClickAsync();

        await Assertions.Expect(page.Locator("#capture-head")).ToContainTextAsync("200");
        await Assertions.Expect(page.Locator("#capture-source")).ToContainTextAsync("<html");
        await Assertions.Expect(page.Locator("#capture-source *")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#capture-meta")).ToContainTextAsync("sha256:");
    }

    /// <summary>Posts arriving through the real ingest path of the running server (detection, alert, outbox, live event).</summary>
    private async Task IngestAsync(IEnumerable<string> titles)
    {
        await using var scope = demo.Server.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        var ingestor = scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Ingestion.PostIngestor>();
        var sourceId = (await db.Sources.FirstAsync()).Id;
        foreach (var title in titles)
        {
            var id = Guid.NewGuid().ToString("N")[..10];
            await ingestor.AcceptAsync(
                new ExamNetWatch.Crawler.Crawling.CrawledPost(
                    ExamNetWatch.Crawler.Crawling.CrawledPost.MakeStableId(sourceId, "t" + id, id), sourceId, "t" + id, id, new Uri("http://127.0.0.1/thread-" + id), title, "卖家", 1, null, title, title,
                    TimeProvider.System.GetUtcNow(), new ExamNetWatch.Crawler.Captures.CaptureRef("sha", "none.warc.gz", 0, 1, "urn:uuid:" + Guid.NewGuid())),
                CancellationToken.None);
        }
    }

    private Task SignInAsync(IPage page) => SignInAsync(page, demo.Server.UserName, demo.Server.Password!);

    private async Task SignInAsync(IPage page, string userName, string password)
    {
        await page.GotoAsync(demo.Server.DashboardUrl.ToString());
        await page.FillAsync("#UserName", userName);
        await page.FillAsync("#Password", password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("告警队列");
    }
}
