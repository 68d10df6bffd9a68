using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Tests.Support;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ExamNetWatch.Dashboard.Tests.Browser;

/// <summary>Sources and their authorisations, and the exam calendar, as an administrator manages them in Chromium.</summary>
[Collection(DemoServerGroup.Name)]
public sealed class SourcesAndCalendarBrowserTests(DemoServerFixture demo) : DashboardBrowserTest(demo)
{
    [Fact]
    public async Task Admin_RegistersRenewsAndDisablesASource_EveryStepCheckedAndAudited()
    {
        var name = "测试来源-" + Guid.NewGuid().ToString("N")[..6];
        var page = await NewLaptopPageAsync();
        await SignInAsAdminAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "来源管理" }).ClickAsync();
        await page.ClickAsync("#source-new");

        await page.FillAsync("#Name", name);
        await page.FillAsync("#EntryUrls", "http://127.0.0.1:9/other/forum.php?mod=forumdisplay&fid=2");
        await page.FillAsync("#ScopePrefixes", "http://127.0.0.1:9/bbs/");
        await page.FillAsync("#Basis", "赣考院中〔2026〕9号");
        await page.FillAsync("#ApprovedBy", "江西省教育考试院");
        await page.FillAsync("input[name='Authorisation.ValidFrom']", "2026-01-01");
        await page.FillAsync("input[name='Authorisation.ValidUntil']", "2099-01-01");
        // The schedule is chosen in words; the cron field is only there for a custom one.
        await Assertions.Expect(page.Locator("#SchedulePreset option:checked")).ToHaveTextAsync("每 15 分钟");
        await Assertions.Expect(page.Locator("#Schedule")).ToBeHiddenAsync();
        await page.SelectOptionAsync("#SchedulePreset", new SelectOptionValue { Label = "每 30 分钟" });
        await Assertions.Expect(page.Locator("#Profile option:checked")).ToHaveTextAsync("自动识别");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.Locator("#source-error")).ToContainTextAsync("outside the scope");

        await page.FillAsync("#EntryUrls", "http://127.0.0.1:9/bbs/forum.php?mod=forumdisplay&fid=2");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(name);
        await Assertions.Expect(page.Locator("#source-status")).ToHaveTextAsync("授权有效");
        await Assertions.Expect(page.Locator("#source-schedule")).ToContainTextAsync("每 30 分钟");
        await Assertions.Expect(page.Locator("dl.meta")).ToContainTextAsync("自动识别");
        // Valid "until 2099-01-01" covers that whole day, and is shown as the day it covers.
        await Assertions.Expect(page.Locator("#source-authorisations tbody tr .validity")).ToHaveTextAsync("2026-01-01 – 2099-01-01");

        await page.FillAsync("#source-authorise input[name='Authorisation.Basis']", "赣考院中〔2099〕1号");
        await page.FillAsync("#source-authorise input[name='Authorisation.ApprovedBy']", "江西省教育考试院");
        await page.FillAsync("#source-authorise input[name='Authorisation.ValidFrom']", "2098-12-01");
        await page.FillAsync("#source-authorise input[name='Authorisation.ValidUntil']", "2100-01-01");
        await page.ClickAsync("#source-authorise button");
        await Assertions.Expect(page.Locator("#source-message")).ToHaveTextAsync("授权已登记。");
        await Assertions.Expect(page.Locator("#source-authorisations tbody tr")).ToHaveCountAsync(2);
        var renewal = page.Locator("#source-authorisations tbody tr", new() { HasText = "赣考院中〔2099〕1号" });
        await renewal.Locator("input[name=reason]").FillAsync("登记有误");
        await renewal.GetByRole(AriaRole.Button, new() { Name = "撤销" }).ClickAsync();
        await Assertions.Expect(renewal.Locator(".authorisation-state")).ToContainTextAsync("已撤销");
        await Assertions.Expect(page.Locator("#source-status")).ToHaveTextAsync("授权有效");

        await page.FillAsync(".actions input[name=reason]", "测试结束");
        await page.GetByRole(AriaRole.Button, new() { Name = "停用" }).ClickAsync();
        await Assertions.Expect(page.Locator("#source-status")).ToHaveTextAsync("已停用");
        await Assertions.Expect(page.Locator("#source-history")).ToContainTextAsync("登记授权");
        await ScreenshotAsync(page, "source-detail");

        await using var scope = Demo.Server.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        var target = "source:" + name;
        var actions = await db.Audit.Where(a => a.Target == target).Select(a => a.Action).ToListAsync();
        Assert.Equal(["source.register", "authorisation.register", "authorisation.register", "authorisation.revoke", "source.disable"], actions);
        Assert.All(await db.Audit.Where(a => a.Target == target).ToListAsync(), a => Assert.Equal(Demo.Server.AdminUserName, a.Actor));
        var source = await db.Sources.Include(s => s.Authorisations).SingleAsync(s => s.Name == name);
        Assert.Equal("0 */30 * * * *", source.Schedule);
        Assert.Equal(new DateTime(2099, 1, 1, 16, 0, 0, DateTimeKind.Utc), source.Authorisations.Single(a => a.Basis == "赣考院中〔2026〕9号").ValidUntilUtc);
    }

    [Fact]
    public async Task Admin_RunsACrawlNow_TheJobRunsAndIsAudited()
    {
        Assert.True(await Demo.WaitForSeedAsync());
        var page = await NewLaptopPageAsync();
        await SignInAsAdminAsync(page);
        await page.GotoAsync(new Uri(Demo.Server.DashboardUrl, "Sources").ToString());
        await Assertions.Expect(page.Locator("#sources")).ToContainTextAsync("授权有效");
        await page.Locator("#sources a[href^='/Sources/Detail/']").First.ClickAsync();

        await page.ClickAsync("#source-run");

        await Assertions.Expect(page.Locator("#source-message")).ToContainTextAsync("已加入抓取队列");
        var job = System.Text.RegularExpressions.Regex.Match(await page.Locator("#source-message").InnerTextAsync(), @"任务 (\S+)）").Groups[1].Value;
        var storage = Demo.Server.App.Services.GetRequiredService<JobStorage>();
        Assert.True(await Demo.WaitUntilAsync(_ => Task.FromResult(storage.GetMonitoringApi().JobDetails(job)?.History.Any(h => h.StateName == "Succeeded") == true)), "job " + job + " did not succeed");
        await using var scope = Demo.Server.App.Services.CreateAsyncScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<WatchDbContext>().Audit.AnyAsync(a => a.Action == "source.run-now" && a.Detail == "job " + job));

        // The board's history has been swept (the demo board is a few pages): the page says so, with what was read.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#source-sweeps")).ToContainTextAsync("已读完");
        await Assertions.Expect(page.Locator("#source-sweeps")).ToContainTextAsync("forumdisplay");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "enw-source-sweeps.png"), FullPage = true });
    }

    [Fact]
    public async Task Admin_SweepsASourceBackToADate_TheSweepStartsAgainAndIsAudited()
    {
        Assert.True(await Demo.WaitForSeedAsync());
        var page = await NewLaptopPageAsync();
        await SignInAsAdminAsync(page);
        await page.GotoAsync(new Uri(Demo.Server.DashboardUrl, "Sources").ToString());
        await page.Locator("#sources a[href^='/Sources/Detail/']").First.ClickAsync();

        // A date that is not one is refused, naming it; nothing is queued.
        await page.FillAsync("#source-sweep-since", "31/01/2026");
        await page.ClickAsync("#source-sweep");
        await Assertions.Expect(page.Locator("#source-error")).ToContainTextAsync("“31/01/2026”不是日期");

        await page.FillAsync("#source-sweep-since", "2026-01-31");
        await page.ClickAsync("#source-sweep");

        await Assertions.Expect(page.Locator("#source-message")).ToContainTextAsync("已开始扫描历史");
        await Assertions.Expect(page.Locator("#source-sweep-scope")).ToContainTextAsync("自 2026-01-31");
        var job = System.Text.RegularExpressions.Regex.Match(await page.Locator("#source-message").InnerTextAsync(), @"任务 (\S+)）").Groups[1].Value;
        var storage = Demo.Server.App.Services.GetRequiredService<JobStorage>();
        Assert.True(await Demo.WaitUntilAsync(_ => Task.FromResult(storage.GetMonitoringApi().JobDetails(job)?.History.Any(h => h.StateName == "Succeeded") == true)), "job " + job + " did not succeed");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#source-sweeps")).ToContainTextAsync("已读完");
        await using var scope = Demo.Server.App.Services.CreateAsyncScope();
        var entry = await scope.ServiceProvider.GetRequiredService<WatchDbContext>().Audit.SingleAsync(a => a.Action == "source.sweep" && a.Detail!.EndsWith("job " + job));
        Assert.StartsWith("自 2026-01-31", entry.Detail, StringComparison.Ordinal);
        Assert.Equal(Demo.Server.AdminUserName, entry.Actor);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "enw-source-sweep-since.png"), FullPage = true });
    }

    [Fact]
    public async Task Analyst_SeesSourcesButCannotChangeThem_EvenByPostingDirectly()
    {
        var page = await NewLaptopPageAsync();
        await SignInAsync(page);
        await page.GotoAsync(new Uri(Demo.Server.DashboardUrl, "Sources").ToString());
        await page.Locator("#sources a[href^='/Sources/Detail/']").First.ClickAsync();
        await Assertions.Expect(page.Locator("#source-authorisations")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#source-run")).ToHaveCountAsync(0);
        var id = page.Url[(page.Url.LastIndexOf('/') + 1)..];

        var response = await PostDirectlyAsync(page, $"Sources/Detail/{id}?handler=Enable", ("enable", "false"));
        var edit = await page.GotoAsync(new Uri(Demo.Server.DashboardUrl, "Sources/Edit").ToString());

        Assert.Contains("AccessDenied", response.Url, StringComparison.Ordinal);
        Assert.Contains("AccessDenied", edit!.Url, StringComparison.Ordinal);
        await using var scope = Demo.Server.App.Services.CreateAsyncScope();
        Assert.True((await scope.ServiceProvider.GetRequiredService<WatchDbContext>().Sources.SingleAsync(s => s.Id == int.Parse(id, System.Globalization.CultureInfo.InvariantCulture))).Enabled);
    }

    [Fact]
    public async Task Admin_AddsAPaperInProgress_QueueShowsTheExamUntilThePaperIsRemoved()
    {
        var subject = "物理-" + Guid.NewGuid().ToString("N")[..6];
        // The paper runs today 00:00-23:59 Beijing time: in its last minutes the test waits for the next day instead
        // of adding a paper that ends while the test looks for it.
        var beijing = TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(8);
        if (beijing.TimeOfDay > new TimeSpan(23, 55, 0))
        {
            await Task.Delay(beijing.Date.AddDays(1).AddSeconds(5) - beijing);
            beijing = TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(8);
        }

        var today = beijing.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var page = await NewLaptopPageAsync();
        await SignInAsAdminAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "考试日历" }).ClickAsync();

        await page.FillAsync("#exams-add input[name=Exam]", "2026年中考");
        await page.FillAsync("#exams-add input[name=Subject]", subject);
        await page.FillAsync("#exams-add input[name=Day]", today);
        await page.FillAsync("#exams-add input[name=Start]", "10:00");
        await page.FillAsync("#exams-add input[name=End]", "09:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "添加" }).ClickAsync();
        await Assertions.Expect(page.Locator("#exams-error")).ToHaveTextAsync("结束时间必须晚于开始时间。");

        await page.FillAsync("#exams-add input[name=Start]", "00:00");
        await page.FillAsync("#exams-add input[name=End]", "23:59");
        await page.GetByRole(AriaRole.Button, new() { Name = "添加" }).ClickAsync();
        var row = page.Locator("#exam-slots tr", new() { HasText = subject });
        await Assertions.Expect(row.Locator(".exam-state")).ToHaveTextAsync("进行中");
        await ScreenshotAsync(page, "exam-calendar");

        try
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "告警队列" }).ClickAsync();
            await Assertions.Expect(page.Locator("#exam-in-progress")).ToContainTextAsync(subject);
        }
        finally
        {
            await page.GotoAsync(new Uri(Demo.Server.DashboardUrl, "Exams").ToString());
            page.Dialog += (_, dialog) => dialog.AcceptAsync();
            await page.Locator("#exam-slots tr", new() { HasText = subject }).GetByRole(AriaRole.Button, new() { Name = "删除" }).ClickAsync();
        }

        await Assertions.Expect(page.Locator("#exam-slots")).Not.ToContainTextAsync(subject);
        await page.GotoAsync(Demo.Server.DashboardUrl.ToString());
        await Assertions.Expect(page.Locator("#exam-in-progress", new() { HasText = subject })).ToHaveCountAsync(0);
    }
}
