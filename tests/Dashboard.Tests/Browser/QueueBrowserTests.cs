using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ExamNetWatch.Dashboard.Tests.Browser;

/// <summary>The alert queue in Chromium: what is listed, live arrival, filters, bulk actions, groups, SLA, exam banner.</summary>
[Collection(DemoServerGroup.Name)]
public sealed class QueueBrowserTests(DemoServerFixture demo) : DashboardBrowserTest(demo)
{
    [Fact]
    public async Task Queue_OrdinaryPosts_AreNotListed()
    {
        Assert.True(await Demo.WaitForSeedAsync());
        var page = await NewLaptopPageAsync();

        await SignInAsync(page);

        // The demo keeps publishing: each seeded post is looked up with the queue's search, not by its place on page 1.
        await ShowMatchingAsync(page, "隐形耳机 米粒耳机 批发");
        await Assertions.Expect(page.Locator("#alert-queue tbody tr", new() { HasText = "隐形耳机 米粒耳机 批发" })).Not.ToHaveCountAsync(0);
        foreach (var ordinary in new[] { "有没有推荐的降噪耳机", "提醒：网上说能提供中考答案的都是骗子" })
        {
            await ShowMatchingAsync(page, ordinary);
            await Assertions.Expect(page.Locator("#matching")).ToHaveTextAsync("符合条件 0 条");
        }

        // And in the store: the ordinary posts were crawled and raised no alert at all (not only none on screen).
        await using var scope = Demo.Server.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        Assert.True(await db.Posts.AnyAsync(p => p.ThreadTitle.Contains("有没有推荐的降噪耳机")), "the ordinary post was crawled");
        Assert.False(await db.Alerts.AnyAsync(a => a.Title.Contains("有没有推荐的降噪耳机") || a.Title.Contains("网上说能提供中考答案的都是骗子")));
    }

    /// <summary>Runs a bulk action as an analyst does: choose it, give its argument, 执行, then 确认执行 in the confirmation.</summary>
    private static async Task RunBulkAsync(IPage page, string action, string argument)
    {
        await page.SelectOptionAsync("#bulk-form select[name=action]", action);
        await page.FillAsync("#bulk-form input[name=argument]", argument);
        await page.GetByRole(AriaRole.Button, new() { Name = "执行", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#bulk-confirm")).ToBeVisibleAsync();
        await page.Locator("#bulk-confirm-yes").ClickAsync();
    }

    private static async Task ShowMatchingAsync(IPage page, string text)
    {
        await page.FillAsync("#queue-filter input[name=q]", text);
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await Assertions.Expect(page.Locator("#queue-filter input[name=q]")).ToHaveValueAsync(text);
    }

    [Fact]
    public async Task Queue_NewAlertWhileOpen_AppearsWithoutReload()
    {
        Assert.True(await Demo.WaitForSeedAsync());
        var page = await NewLaptopPageAsync();
        await SignInAsync(page);
        await Assertions.Expect(page.Locator("#alert-queue")).ToBeVisibleAsync();
        var broadcaster = Demo.Server.App.Services.GetRequiredService<ExamNetWatch.Dashboard.Live.AlertBroadcaster>();
        for (var wait = System.Diagnostics.Stopwatch.StartNew(); broadcaster.Subscribers == 0 && wait.Elapsed < TimeSpan.FromSeconds(10);)
        {
            await Task.Delay(50);
        }

        await IngestAsync(["实时到达：出售作弊器，考前发货，加微信 live2026x"]);

        await Assertions.Expect(page.Locator("#alert-queue tr.live", new() { HasText = "实时到达" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#alert-queue tr.live td.time .raised")).ToContainTextAsync("告警 ");
        await Assertions.Expect(page.Locator("#live-banner")).ToContainTextAsync("新告警");
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "queue-live.png") });
    }

    [Fact]
    public async Task Queue_TimeColumn_IsWhenThePostWasMade_WithItsAge_AndTheAlertTimeBelow()
    {
        Assert.True(await Demo.WaitForSeedAsync());
        var posted = TimeProvider.System.GetUtcNow().AddHours(-10).AddMinutes(-5);
        await using (var scope = Demo.Server.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
            var ingestor = scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Ingestion.PostIngestor>();
            var id = Guid.NewGuid().ToString("N")[..10];
            var text = "昨夜发帖：出售作弊器，考前发货，加微信 night" + id[..4] + "x";
            await ingestor.AcceptAsync(TestPosts.Crawled((await db.Sources.FirstAsync()).Id, "t" + id, id, text, title: "夜帖" + id) with { PostedAt = posted }, CancellationToken.None);
            var page = await NewLaptopPageAsync();
            await SignInAsync(page);
            await ShowMatchingAsync(page, "夜帖" + id);

            var cell = page.Locator("#alert-queue tbody tr td.time");
            var beijing = posted.ToOffset(TimeSpan.FromHours(8));
            await Assertions.Expect(cell.Locator(".posted")).ToHaveTextAsync(beijing.ToString("MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));
            await Assertions.Expect(cell.Locator(".age")).ToHaveTextAsync("10 小时前");
            var raised = (await db.Alerts.SingleAsync(a => a.Title == "夜帖" + id)).CreatedAtUtc;
            await Assertions.Expect(cell.Locator(".raised")).ToHaveTextAsync("告警 " + ExamNetWatch.Dashboard.Rendering.Labels.ShortTime(raised));
            await Assertions.Expect(page.Locator("#alert-queue thead")).ToContainTextAsync("发帖时间（北京时间）");
        }
    }

    [Fact]
    public async Task Queue_TimePresets_Last24HoursAndToday_SelectByWhenTheAlertWasRaised()
    {
        Assert.True(await Demo.WaitForSeedAsync());
        var token = "时段" + Guid.NewGuid().ToString("N")[..6];
        await IngestAsync([token + "新：出售作弊器，考前发货，加微信 fresh2026x", token + "旧：出售作弊器，考前发货，加微信 stale2026x"]);
        await using (var scope = Demo.Server.App.Services.CreateAsyncScope())
        {
            // One of them was raised two days ago (before today in Beijing and outside the last 24 hours).
            var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
            var stale = await db.Alerts.SingleAsync(a => a.Title.StartsWith(token + "旧"));
            stale.CreatedAtUtc = stale.CreatedAtUtc.AddHours(-50);
            await db.SaveChangesAsync();
        }

        var page = await NewLaptopPageAsync();
        await SignInAsync(page);
        await ShowMatchingAsync(page, token);
        await Assertions.Expect(page.Locator("#matching")).ToHaveTextAsync("符合条件 2 条");

        await page.ClickAsync("#within-24h");
        await Assertions.Expect(page.Locator("#within-24h")).ToHaveClassAsync("active");
        await Assertions.Expect(page.Locator("#matching")).ToHaveTextAsync("符合条件 1 条");
        await Assertions.Expect(page.Locator("#alert-queue tbody tr")).ToContainTextAsync(token + "新");
        await page.ClickAsync("#within-today");
        await Assertions.Expect(page.Locator("#alert-queue tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#queue-filter input[name=q]")).ToHaveValueAsync(token);

        // Dates are typed as staff write them, whatever the browser's locale; a date range is still a filter.
        await page.ClickAsync("#time-presets a:first-of-type >> text=不限");
        await Assertions.Expect(page.Locator("#queue-filter input[name=from]")).ToHaveAttributeAsync("placeholder", "年-月-日");
        var twoDaysAgo = ExamNetWatch.Dashboard.Hosting.BeijingTime.DayOf(TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(-50)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await page.FillAsync("#queue-filter input[name=from]", twoDaysAgo);
        await page.FillAsync("#queue-filter input[name=to]", twoDaysAgo);
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await Assertions.Expect(page.Locator("#matching")).ToHaveTextAsync("符合条件 1 条");
        await Assertions.Expect(page.Locator("#alert-queue tbody tr")).ToContainTextAsync(token + "旧");
    }

    [Fact]
    public async Task Queue_SameSellerAlreadyEscalated_IsMarked_AndTheSearchFindsTheirContact()
    {
        Assert.True(await Demo.WaitForSeedAsync());
        var wechat = "seller" + Guid.NewGuid().ToString("N")[..6];
        await IngestAsync(["首发：出售2026中考答案，考前发货，加微信 " + wechat, "换个说法再发：中考答案有需要的来，考前保过，加微信 " + wechat]);
        await using (var scope = Demo.Server.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
            var first = await db.Alerts.Where(a => db.AlertContacts.Any(c => c.AlertId == a.Id && c.Contact == "wechat:" + wechat)).OrderBy(a => a.Id).FirstAsync();
            await scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Triage.AlertTriage>()
                .EscalateAsync(first.Id, new ExamNetWatch.Dashboard.Triage.Escalation("某市公安局网安支队"), "王老师", null, CancellationToken.None);
        }

        var page = await NewLaptopPageAsync();
        await SignInAsync(page);
        // The search box finds both posts by the seller's WeChat id, which neither title matches as typed.
        await ShowMatchingAsync(page, wechat);
        await Assertions.Expect(page.Locator("#matching")).ToHaveTextAsync("符合条件 2 条");
        var fresh = page.Locator("#alert-queue tbody tr", new() { HasText = "换个说法再发" });
        await Assertions.Expect(fresh.Locator(".seller-escalated")).ToHaveTextAsync("卖家已移交公安");
        await Assertions.Expect(page.Locator("#alert-queue tbody tr", new() { HasText = "首发" }).Locator(".seller-escalated")).ToHaveCountAsync(0);

        // Folded into one row per group, the row still says its seller is with the police.
        await page.CheckAsync("#queue-filter input[name=grouped]");
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await Assertions.Expect(page.Locator("#alert-queue tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#alert-queue tbody tr .seller-escalated")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Queue_FilterThenBulkCloseEverythingMatching_MoreThanOnePage()
    {
        Assert.True(await Demo.WaitForSeedAsync());
        await IngestAsync(Enumerable.Range(1, 60).Select(i => $"批量测试{i}：出售作弊器，考前发货，加微信 bulk{i:000}x"));
        var page = await NewLaptopPageAsync();
        await SignInAsync(page);

        await page.FillAsync("#queue-filter input[name=q]", "批量测试");
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await Assertions.Expect(page.Locator("#matching")).ToHaveTextAsync("符合条件 60 条");
        await Assertions.Expect(page.Locator("#alert-queue tbody tr")).ToHaveCountAsync(50);
        await RunBulkAsync(page, "close", "duplicate");

        await Assertions.Expect(page.Locator("#queue-message")).ToHaveTextAsync("已处理 60 条告警。");
        await Assertions.Expect(page.Locator("#matching")).ToHaveTextAsync("符合条件 0 条");
        await using var scope = Demo.Server.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        var closed = await db.Alerts.Where(a => a.Title.StartsWith("批量测试")).Select(a => new { a.Id, a.Status, a.CloseReason }).ToListAsync();
        Assert.Equal(60, closed.Count);
        Assert.All(closed, a => Assert.Equal((AlertStatus.Closed, CloseReason.Duplicate), (a.Status, a.CloseReason!)));
        // Each of these 60 alerts has its own bulk close in the audit log (other tests bulk-close other alerts).
        var targets = closed.Select(a => "alert:" + a.Id).ToList();
        Assert.Equal(60, await db.Audit.CountAsync(e => e.Action == "alert.close" && e.Detail!.StartsWith("批量") && targets.Contains(e.Target)));
    }

    [Fact]
    public async Task Queue_TickedRows_BulkCloseSaysHowManyWereEscalated_AndARefusedActionKeepsTheForm()
    {
        Assert.True(await Demo.WaitForSeedAsync());
        await IngestAsync(["勾选测试一：出售作弊器，考前发货，加微信 tick001x", "勾选测试二：隐形耳机出售，加微信 tick002x", "勾选测试三：代考包过，加微信 tick003x"]);
        await using (var scope = Demo.Server.App.Services.CreateAsyncScope())
        {
            // A colleague already handed the second one to the police.
            var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
            Assert.Equal(1, await db.Alerts.Where(a => a.Title.StartsWith("勾选测试二")).ExecuteUpdateAsync(u => u
                .SetProperty(a => a.Status, AlertStatus.Escalated).SetProperty(a => a.EscalatedTo, "某市公安局网安支队").SetProperty(a => a.EscalatedBy, "colleague")));
        }

        var page = await NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 720 } });
        await SignInAsync(page);
        await ShowMatchingAsync(page, "勾选测试");
        await Assertions.Expect(page.Locator("#alert-queue tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#bulk-scope")).ToHaveTextAsync("对全部 3 条符合条件的告警：");
        foreach (var title in new[] { "勾选测试一", "勾选测试二" })
        {
            await page.Locator("#alert-queue tbody tr", new() { HasText = title }).Locator("input.row-select").CheckAsync();
        }

        await Assertions.Expect(page.Locator("#bulk-scope")).ToHaveTextAsync("对选中的 2 条告警：");

        // A refused action comes back as it was sent: the action, its argument, the ticked rows, and why.
        await RunBulkAsync(page, "tag", "甲,乙");
        await Assertions.Expect(page.Locator("#queue-message")).ToHaveTextAsync("标签不能为空、不能含逗号，且不超过 40 字。");
        await Assertions.Expect(page.Locator("#queue-message")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("urgent"));
        await Assertions.Expect(page.Locator("#bulk-form select[name=action]")).ToHaveValueAsync("tag");
        await Assertions.Expect(page.Locator("#bulk-form input[name=argument]")).ToHaveValueAsync("甲,乙");
        await Assertions.Expect(page.Locator("#alert-queue input.row-select:checked")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#bulk-scope")).ToHaveTextAsync("对选中的 2 条告警：");

        // Closing asks first, saying how many were handed to the police; cancelling changes nothing.
        await page.SelectOptionAsync("#bulk-form select[name=action]", "close");
        await page.FillAsync("#bulk-form input[name=argument]", "属实");
        await page.GetByRole(AriaRole.Button, new() { Name = "执行", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#bulk-confirm-text")).ToHaveTextAsync("将关闭 2 条告警，其中 1 条已移交公安。");
        await page.Locator("#bulk-confirm-no").ClickAsync();
        await Assertions.Expect(page.Locator("#bulk-confirm")).ToBeHiddenAsync();
        Assert.Equal(0, await ClosedAsync());

        await page.GetByRole(AriaRole.Button, new() { Name = "执行", Exact = true }).ClickAsync();
        await page.Locator("#bulk-confirm-yes").ClickAsync();
        await Assertions.Expect(page.Locator("#queue-message")).ToHaveTextAsync("已处理 2 条告警。");
        await Assertions.Expect(page.Locator("#alert-queue tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#alert-queue tbody tr")).ToContainTextAsync("勾选测试三");
        await ScreenshotAsync(page, "queue-bulk-ticked");

        await using var check = Demo.Server.App.Services.CreateAsyncScope();
        var states = await check.ServiceProvider.GetRequiredService<WatchDbContext>().Alerts.Where(a => a.Title.StartsWith("勾选测试"))
            .ToDictionaryAsync(a => a.Title[..5], a => (a.Status, a.CloseReason));
        Assert.Equal((AlertStatus.Closed, CloseReason.TruePositive), states["勾选测试一"]);
        Assert.Equal((AlertStatus.Closed, CloseReason.TruePositive), states["勾选测试二"]);
        Assert.Equal((AlertStatus.New, (string?)null), states["勾选测试三"]);

        async Task<int> ClosedAsync()
        {
            await using var scope = Demo.Server.App.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<WatchDbContext>().Alerts.CountAsync(a => a.Title.StartsWith("勾选测试") && a.Status == AlertStatus.Closed);
        }
    }

    [Fact]
    public async Task Queue_GroupedView_FoldsPostsSharingAContactAndOpensTheGroup()
    {
        Assert.True(await Demo.WaitForSeedAsync());
        await IngestAsync(["分组测试一：出售作弊器，加QQ 3456789012", "分组测试二：隐形耳机批发，QQ 3456789012", "分组测试三：代考包过，联系 QQ 3456789012"]);
        var page = await NewLaptopPageAsync();
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
        await RunBulkAsync(page, "close", "属实");
        await Assertions.Expect(page.Locator("#queue-message")).ToHaveTextAsync("已处理 3 条告警。");
    }

    [Fact]
    public async Task Queue_AlertPastItsSla_IsHighlightedAndListedUnderOverdue()
    {
        Assert.True(await Demo.WaitForSeedAsync());
        await IngestAsync(["超时测试：出售作弊器，考前发货，加微信 late2026x"]);
        await using (var scope = Demo.Server.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
            var past = TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(-90);
            await db.Alerts.Where(a => a.Title.StartsWith("超时测试")).ExecuteUpdateAsync(u => u.SetProperty(a => a.DueAtUtc, past));
        }

        var page = await NewLaptopPageAsync();
        await SignInAsync(page);
        await page.Locator("#overdue-link").ClickAsync();

        var row = page.Locator("#alert-queue tr.overdue", new() { HasText = "超时测试" });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator("td.sla")).ToContainTextAsync("超时 90 分钟");

        await row.GetByRole(AriaRole.Link, new() { Name = "超时测试：出售作弊器，考前发货，加微信 late2026x" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "受理" }).ClickAsync();
        await Assertions.Expect(page.Locator("#alert-status")).ToHaveTextAsync("处理中");
        await page.GotoAsync(new Uri(Demo.Server.DashboardUrl, "?overdue=true").ToString());
        await Assertions.Expect(page.Locator("#alert-queue tr", new() { HasText = "超时测试" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Queue_BulkFromTheOverdueView_TagsExactlyTheOverdueAlertsThePageCounted()
    {
        Assert.True(await Demo.WaitForSeedAsync());
        await IngestAsync(["超时批量一：出售作弊器，加微信 odue001x", "超时批量二：隐形耳机批发，加微信 odue002x", "超时批量三：代考包过，加微信 odue003x"]);
        await SetDueAsync("超时批量一", -120);
        await SetDueAsync("超时批量二", -60);
        var page = await NewLaptopPageAsync();
        await SignInAsync(page);

        await page.Locator("#overdue-link").ClickAsync();
        var stated = int.Parse((await page.Locator("#matching").TextContentAsync())!.Replace("符合条件", "").Replace("条", "").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(stated >= 2);

        // While the page is open another analyst takes up one of them: the page no longer states the set, so nothing changes.
        await using (var other = Demo.Server.App.Services.CreateAsyncScope())
        {
            var otherDb = other.ServiceProvider.GetRequiredService<WatchDbContext>();
            Assert.Equal(1, await otherDb.Alerts.Where(a => a.Title.StartsWith("超时批量二")).ExecuteUpdateAsync(u => u.SetProperty(a => a.Status, AlertStatus.Acknowledged)));
        }

        await RunBulkAsync(page, "tag", "超时批量标签");
        await Assertions.Expect(page.Locator("#queue-message")).ToContainTextAsync($"页面显示 {stated} 条，现在是 {stated - 1} 条");
        Assert.Equal(0, await TaggedAsync());

        // Shown again (still the overdue view), the page counts one fewer, and the action changes exactly what it counted.
        await Assertions.Expect(page.Locator("#overdue-link")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("active"));
        await Assertions.Expect(page.Locator("#matching")).ToHaveTextAsync($"符合条件 {stated - 1} 条");
        await RunBulkAsync(page, "tag", "超时批量标签");
        await Assertions.Expect(page.Locator("#queue-message")).ToHaveTextAsync($"已处理 {stated - 1} 条告警。");

        await using var scope = Demo.Server.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var tagged = await db.Alerts.Where(a => a.Tags != null && a.Tags.Contains("超时批量标签")).Select(a => new { a.Status, a.DueAtUtc }).ToListAsync();
        Assert.Equal(stated - 1, tagged.Count);
        Assert.All(tagged, a => Assert.True(a.Status == AlertStatus.New && a.DueAtUtc < now));
        Assert.True(await db.Alerts.CountAsync(a => a.Status != AlertStatus.Closed) > tagged.Count, "the queue holds open alerts that are not overdue, and they stayed untagged");

        async Task<int> TaggedAsync()
        {
            await using var scope = Demo.Server.App.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<WatchDbContext>().Alerts.CountAsync(a => a.Tags != null && a.Tags.Contains("超时批量标签"));
        }
    }

    private async Task SetDueAsync(string titlePrefix, int minutesFromNow)
    {
        await using var scope = Demo.Server.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        var due = TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(minutesFromNow);
        Assert.Equal(1, await db.Alerts.Where(a => a.Title.StartsWith(titlePrefix)).ExecuteUpdateAsync(u => u.SetProperty(a => a.DueAtUtc, due)));
    }

    [Theory]
    [InlineData("/?from=0001-01-01")]
    [InlineData("/?to=0001-01-01&overdue=true")]
    [InlineData("/Audit?from=0001-01-01")]
    [InlineData("/Search?q=%E7%AD%94%E6%A1%88&from=0001-01-01")]
    public async Task Filters_DateAtTheStartOfTheCalendar_SayTheDateIsWrongInsteadOfFailing(string path)
    {
        var page = await NewLaptopPageAsync();
        await SignInAsAdminAsync(page);

        var response = await page.GotoAsync(new Uri(Demo.Server.DashboardUrl, path).ToString());

        Assert.Equal(200, response!.Status);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("日期格式应为 2026-06-20");
    }

    [Fact]
    public async Task Queue_DuringAnExamSlot_SaysSo()
    {
        await using (var scope = Demo.Server.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
            var now = TimeProvider.System.GetUtcNow().UtcDateTime;
            // A subject no post names, so the open paper does not change other tests' verdicts.
            db.ExamSlots.Add(new ExamSlot { Exam = "2026年中考", Subject = "横幅测试科", StartsAtUtc = now.AddMinutes(-5), EndsAtUtc = now.AddMinutes(2) });
            await db.SaveChangesAsync();
        }

        try
        {
            var page = await NewLaptopPageAsync();
            await SignInAsync(page);

            await Assertions.Expect(page.Locator("#exam-in-progress")).ToContainTextAsync("2026年中考 横幅测试科");
        }
        finally
        {
            // The shared server is left without the open paper (it shortens deadlines and changes crawl cadence).
            await using var scope = Demo.Server.App.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<WatchDbContext>().ExamSlots.Where(s => s.Subject == "横幅测试科").ExecuteDeleteAsync();
        }
    }

    [Fact]
    public async Task Queue_PaperTomorrowMorning_CountsDownAndAlertsGetTheExamDeadlines()
    {
        Assert.True(await Demo.WaitForSeedAsync());
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        await using (var scope = Demo.Server.App.Services.CreateAsyncScope())
        {
            // A subject no post names, so the paper does not change other tests' verdicts.
            var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
            db.ExamSlots.Add(new ExamSlot { Exam = "2026年中考", Subject = "倒计时测试科", StartsAtUtc = now.AddHours(10), EndsAtUtc = now.AddHours(12) });
            await db.SaveChangesAsync();
        }

        try
        {
            var page = await NewLaptopPageAsync();
            await SignInAsync(page);
            var banner = page.Locator("#exam-upcoming");
            await Assertions.Expect(banner).ToContainTextAsync("距 2026年中考 倒计时测试科 开考还有");
            await Assertions.Expect(page.Locator("#exam-countdown")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^(9 小时 \d+ 分|10 小时 0 分)$"));
            await Assertions.Expect(banner).ToContainTextAsync("已进入考前 24 小时");
            await Assertions.Expect(banner).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\burgent\b"));

            // An alert raised now already has the exam's deadline (the evening before is when answers are sold).
            var token = "考前夜" + Guid.NewGuid().ToString("N")[..6];
            await IngestAsync([token + "：出售作弊器，考前发货，加微信 eve2026x"]);
            await using var scope = Demo.Server.App.Services.CreateAsyncScope();
            var alert = await scope.ServiceProvider.GetRequiredService<WatchDbContext>().Alerts.SingleAsync(a => a.Title.StartsWith(token));
            var sla = scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Triage.SlaOptions>();
            Assert.Equal(sla.DueAt((ExamNetWatch.Indexer.Detection.Severity)alert.Severity, alert.CreatedAtUtc, examInProgress: true), alert.DueAtUtc);
            Assert.True(alert.DueAtUtc < sla.DueAt((ExamNetWatch.Indexer.Detection.Severity)alert.Severity, alert.CreatedAtUtc, examInProgress: false));
            await ScreenshotAsync(page, "queue-exam-countdown");
        }
        finally
        {
            await using var scope = Demo.Server.App.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<WatchDbContext>().ExamSlots.Where(s => s.Subject == "倒计时测试科").ExecuteDeleteAsync();
        }
    }
}
