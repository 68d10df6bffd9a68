using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ExamNetWatch.Dashboard.Tests.Browser;

/// <summary>Bulk actions on the queue in Chromium: on everything matching, on ticked rows, on the overdue view, always confirmed.</summary>
[Collection(DemoServerGroup.Name)]
public sealed class QueueBulkBrowserTests(DemoServerFixture demo) : DashboardBrowserTest(demo)
{
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
        await QueuePage.RunBulkAsync(page, "close", "duplicate");

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
        await QueuePage.ShowMatchingAsync(page, "勾选测试");
        await Assertions.Expect(page.Locator("#alert-queue tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#bulk-scope")).ToHaveTextAsync("对全部 3 条符合条件的告警：");
        foreach (var title in new[] { "勾选测试一", "勾选测试二" })
        {
            await page.Locator("#alert-queue tbody tr", new() { HasText = title }).Locator("input.row-select").CheckAsync();
        }

        await Assertions.Expect(page.Locator("#bulk-scope")).ToHaveTextAsync("对选中的 2 条告警：");

        // A refused action comes back as it was sent: the action, its argument, the ticked rows, and why.
        await QueuePage.RunBulkAsync(page, "tag", "甲,乙");
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

        await QueuePage.RunBulkAsync(page, "tag", "超时批量标签");
        await Assertions.Expect(page.Locator("#queue-message")).ToContainTextAsync($"页面显示 {stated} 条，现在是 {stated - 1} 条");
        Assert.Equal(0, await TaggedAsync());

        // Shown again (still the overdue view), the page counts one fewer, and the action changes exactly what it counted.
        await Assertions.Expect(page.Locator("#overdue-link")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("active"));
        await Assertions.Expect(page.Locator("#matching")).ToHaveTextAsync($"符合条件 {stated - 1} 条");
        await QueuePage.RunBulkAsync(page, "tag", "超时批量标签");
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
}
