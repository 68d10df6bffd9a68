using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ExamNetWatch.Dashboard.Tests.Browser;

/// <summary>What makes an alert stand out on the queue, in Chromium: a seller already escalated, groups, SLA deadlines, exams in progress or coming.</summary>
[Collection(DemoServerGroup.Name)]
public sealed class QueueUrgencyBrowserTests(DemoServerFixture demo) : DashboardBrowserTest(demo)
{
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
        await QueuePage.ShowMatchingAsync(page, wechat);
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
        await QueuePage.RunBulkAsync(page, "close", "属实");
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
