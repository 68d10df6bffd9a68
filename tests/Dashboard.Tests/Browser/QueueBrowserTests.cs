using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ExamNetWatch.Dashboard.Tests.Browser;

/// <summary>The alert queue in Chromium: what is listed, live arrival, the time column, time presets and date filters.</summary>
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
        await QueuePage.ShowMatchingAsync(page, "隐形耳机 米粒耳机 批发");
        await Assertions.Expect(page.Locator("#alert-queue tbody tr", new() { HasText = "隐形耳机 米粒耳机 批发" })).Not.ToHaveCountAsync(0);
        foreach (var ordinary in new[] { "有没有推荐的降噪耳机", "提醒：网上说能提供中考答案的都是骗子" })
        {
            await QueuePage.ShowMatchingAsync(page, ordinary);
            await Assertions.Expect(page.Locator("#matching")).ToHaveTextAsync("符合条件 0 条");
        }

        // And in the store: the ordinary posts were crawled and raised no alert at all (not only none on screen).
        await using var scope = Demo.Server.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        Assert.True(await db.Posts.AnyAsync(p => p.ThreadTitle.Contains("有没有推荐的降噪耳机")), "the ordinary post was crawled");
        Assert.False(await db.Alerts.AnyAsync(a => a.Title.Contains("有没有推荐的降噪耳机") || a.Title.Contains("网上说能提供中考答案的都是骗子")));
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
            await QueuePage.ShowMatchingAsync(page, "夜帖" + id);

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
        await QueuePage.ShowMatchingAsync(page, token);
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
}
