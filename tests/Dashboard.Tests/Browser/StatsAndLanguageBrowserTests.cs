using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ExamNetWatch.Dashboard.Tests.Browser;

/// <summary>The statistics page's charts, and the switch to the English UI, in Chromium.</summary>
[Collection(DemoServerGroup.Name)]
public sealed class StatsAndLanguageBrowserTests(DemoServerFixture demo) : DashboardBrowserTest(demo)
{
    [Fact]
    public async Task Statistics_ShowTheAlertCountAndDrawEveryChart()
    {
        Assert.True(await Demo.WaitForSeedAsync());
        var page = await NewLaptopPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        await SignInAsync(page);
        var before = await AlertsOfTheLast30DaysAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "统计" }).First.ClickAsync();

        foreach (var chart in new[] { "#chart-per-day", "#chart-per-source", "#chart-per-category", "#chart-per-severity" })
        {
            await Assertions.Expect(page.Locator(chart)).ToHaveAttributeAsync("data-ready", "true");
            await Assertions.Expect(page.Locator(chart + " canvas")).ToHaveCountAsync(1);
        }

        var shown = int.Parse(await page.Locator("#stats-total").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        var after = await AlertsOfTheLast30DaysAsync();
        // The demo keeps raising alerts: the page shows what the store held at some moment between the two counts.
        Assert.True(before > 0, "the seed raised alerts");
        Assert.InRange(shown, before, after);
        await Assertions.Expect(page.Locator("#stats-table")).ToContainTextAsync("作弊器材");
        Assert.Empty(errors);
        await ScreenshotAsync(page, "statistics");
    }

    [Fact]
    public async Task LeakRumour_RaisesNoAlert_ButIsCountedInStatisticsAndFoundBySearch()
    {
        Assert.True(await Demo.WaitForSeedAsync());
        var marker = "rumour" + Guid.NewGuid().ToString("N")[..6];
        await IngestAsync(["网传今年中考数学卷子昨晚就泄露了？群里都在传 有人知道是真的吗 " + marker]);
        await using (var scope = Demo.Server.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Data.WatchDbContext>();
            var post = await db.Posts.SingleAsync(p => p.Text.Contains(marker));
            Assert.Equal((int)ExamNetWatch.Indexer.Detection.Severity.Low, post.Severity);
            Assert.False(await db.Alerts.AnyAsync(a => a.PostId == post.Id));
        }

        var page = await NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 720 }, Locale = "zh-CN" });
        await SignInAsync(page);
        await page.GotoAsync(new Uri(Demo.Server.DashboardUrl, "Stats").ToString());

        int expected;
        await using (var scope = Demo.Server.App.Services.CreateAsyncScope())
        {
            var since = TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(8).Date.AddDays(-29).AddHours(-8);
            var low = await scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Data.WatchDbContext>().Posts
                .Where(p => p.Severity == 1 && p.FetchedAtUtc >= since).Select(p => p.DetectionJson).ToListAsync();
            expected = low.Count(j => j.Contains("\"leak_rumour\"", StringComparison.Ordinal));
        }

        Assert.True(expected >= 1);
        await Assertions.Expect(page.Locator("#stats-rumours")).ToHaveTextAsync(expected.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await ScreenshotAsync(page, "statistics-rumours");

        // The count links to the search for them; the post arrives in the index through the outbox.
        await page.ClickAsync("#stats-rumours a");
        await Assertions.Expect(page.Locator("select[name=category]")).ToHaveValueAsync("leak_rumour");
        for (var attempt = 0; attempt < 30 && !(await page.ContentAsync()).Contains(marker, StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(500);
            await page.ReloadAsync();
        }

        await Assertions.Expect(page.Locator("body")).ToContainTextAsync(marker);
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("泄题传言");
        await ScreenshotAsync(page, "search-rumours");
    }

    [Fact]
    public async Task LanguageSwitch_FromTheLoginPage_TheWholeUiReadsEnglishUntilSwitchedBack()
    {
        var page = await NewLaptopPageAsync();
        await page.GotoAsync(Demo.Server.DashboardUrl.ToString());
        await page.ClickAsync("#language-switch");

        await page.FillAsync("#UserName", Demo.Server.UserName);
        await page.FillAsync("#Password", Demo.Server.Password!);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Alert queue");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Assertions.Expect(page.Locator("#queue-filter button")).ToHaveTextAsync("Filter");
        // Category names are joined as English joins a list, not with the Chinese 、.
        var categories = await page.Locator("#alert-queue tbody tr td.categories").AllInnerTextsAsync();
        Assert.NotEmpty(categories);
        Assert.All(categories, c => Assert.False(c.Contains('、', StringComparison.Ordinal) || System.Text.RegularExpressions.Regex.IsMatch(c, @"\p{IsCJKUnifiedIdeographs}"), c));
        await page.GetByRole(AriaRole.Link, new() { Name = "Exam calendar" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Exam calendar");
        await ScreenshotAsync(page, "english-exams");

        await page.ClickAsync("#language-switch");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("考试日历");
        Assert.EndsWith("/Exams", page.Url, StringComparison.Ordinal);
    }

    /// <summary>The alerts the statistics page counts: raised since the first of the last 30 Beijing days.</summary>
    private async Task<int> AlertsOfTheLast30DaysAsync()
    {
        await using var scope = Demo.Server.App.Services.CreateAsyncScope();
        var since = TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(8).Date.AddDays(-29).AddHours(-8);
        return await scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Data.WatchDbContext>().Alerts.CountAsync(a => a.CreatedAtUtc >= since);
    }
}
