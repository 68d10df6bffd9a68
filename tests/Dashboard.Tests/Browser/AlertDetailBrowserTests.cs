using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ExamNetWatch.Dashboard.Tests.Browser;

/// <summary>One alert in Chromium: triage steps, notes, assignment, the raw capture.</summary>
[Collection(DemoServerGroup.Name)]
public sealed class AlertDetailBrowserTests(DemoServerFixture demo) : DashboardBrowserTest(demo)
{
    [Fact]
    public async Task SignIn_TakeNoteAndCloseAnAlert_StateShownAfterReloadAndAudited()
    {
        Assert.True(await Demo.WaitForSeedAsync());
        // An alert of its own (the seeded ones stay as they are for the other tests), written with an evasion.
        var title = "详情测试" + Guid.NewGuid().ToString("N")[..6] + " 作*弊*器出售，加微信 detail26x";
        await IngestAsync([title]);
        var page = await NewLaptopPageAsync();

        await SignInAsync(page);
        // The demo keeps publishing: the alert is found with the queue's filter, not by being on the first page.
        await page.FillAsync("#queue-filter input[name=q]", title[..10]);
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        var row = page.Locator("#alert-queue tr", new() { HasText = title[..10] });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await row.GetByRole(AriaRole.Link, new() { Name = title }).ClickAsync();

        await Assertions.Expect(page.Locator("#post-text mark").First).ToHaveTextAsync("作*弊*器");
        await Assertions.Expect(page.Locator("#alert-status")).ToHaveTextAsync("新告警");
        await page.GetByRole(AriaRole.Button, new() { Name = "认领" }).ClickAsync();
        // Each form posts and redirects back; wait for that page before the next step.
        await Assertions.Expect(page.Locator("#alert-status")).ToHaveTextAsync("处理中");
        await Assertions.Expect(page.Locator("#alert-assignee")).ToHaveTextAsync(Demo.Server.UserName);
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
        await using var scope = Demo.Server.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        var alert = await db.Alerts.SingleAsync(a => a.Title == title);
        Assert.Equal((AlertStatus.Closed, CloseReason.TruePositive, Demo.Server.UserName), (alert.Status, alert.CloseReason!, alert.Assignee!));
        Assert.NotNull(alert.ClosedAtUtc);
        Assert.True(await db.Audit.AnyAsync(e => e.Action == "alert.close" && e.Actor == Demo.Server.UserName && e.Target == "alert:" + alert.Id));
        Assert.True(await db.AlertNotes.AnyAsync(n => n.AlertId == alert.Id && n.Author == Demo.Server.UserName));
    }

    [Fact]
    public async Task Detail_AssignToAColleague_ShowsAndAuditsTheAssignee()
    {
        await using (var scope = Demo.Server.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Hosting.AccountBootstrap>().EnsureAsync("colleague", StaffRoles.Analyst, resetPassword: false);
        }

        await IngestAsync(["指派测试：出售作弊器，考前发货，加微信 assign2026x"]);
        long id;
        await using (var scope = Demo.Server.App.Services.CreateAsyncScope())
        {
            id = (await scope.ServiceProvider.GetRequiredService<WatchDbContext>().Alerts.SingleAsync(a => a.Title.StartsWith("指派测试"))).Id;
        }

        var page = await NewLaptopPageAsync();
        await SignInAsync(page);
        await page.GotoAsync(new Uri(Demo.Server.DashboardUrl, $"Alerts/Detail/{id}").ToString());
        await page.SelectOptionAsync("#assign-form select", "colleague");
        await page.GetByRole(AriaRole.Button, new() { Name = "指派", Exact = true }).ClickAsync();

        await Assertions.Expect(page.Locator("#alert-assignee")).ToHaveTextAsync("colleague");
        await Assertions.Expect(page.Locator("#history td[data-action='alert.assign']")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Detail_RawCapture_IsShownAsTextNeverAsAPage()
    {
        Assert.True(await Demo.WaitForSeedAsync());
        long id;
        await using (var scope = Demo.Server.App.Services.CreateAsyncScope())
        {
            id = (await scope.ServiceProvider.GetRequiredService<WatchDbContext>().Alerts.Include(a => a.Post).FirstAsync(a => a.Post!.WarcFile.EndsWith(".warc.gz") && a.Post.WarcFile != "none.warc.gz")).Id;
        }

        var page = await NewLaptopPageAsync();
        await SignInAsync(page);
        await page.GotoAsync(new Uri(Demo.Server.DashboardUrl, $"Alerts/Detail/{id}").ToString());
        await page.Locator("#capture-link").ClickAsync();

        await Assertions.Expect(page.Locator("#capture-head")).ToContainTextAsync("200");
        await Assertions.Expect(page.Locator("#capture-source")).ToContainTextAsync("<html");
        await Assertions.Expect(page.Locator("#capture-source *")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#capture-meta")).ToContainTextAsync("sha256:");
    }
}
