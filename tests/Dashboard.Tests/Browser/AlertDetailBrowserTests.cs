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
        // The queue quotes the post's own writing of the term, the lexicon's term after it.
        await Assertions.Expect(row.Locator("td.terms")).ToContainTextAsync("作*弊*器（作弊器）");
        await row.GetByRole(AriaRole.Link, new() { Name = title }).ClickAsync();

        await Assertions.Expect(page.Locator("#post-text mark").First).ToHaveTextAsync("作*弊*器");
        await Assertions.Expect(page.Locator("#alert-status")).ToHaveTextAsync("新告警");
        await page.GetByRole(AriaRole.Button, new() { Name = "认领" }).ClickAsync();
        // Each form posts and redirects back; wait for that page before the next step.
        await Assertions.Expect(page.Locator("#alert-status")).ToHaveTextAsync("处理中");
        await Assertions.Expect(page.Locator("#triage-message")).ToHaveTextAsync("已认领，并已受理。");
        await Assertions.Expect(page.Locator("#alert-assignee")).ToHaveTextAsync(Demo.Server.UserName);
        await page.FillAsync("#note-form textarea", "卖家QQ已在其他帖子出现");
        await page.GetByRole(AriaRole.Button, new() { Name = "添加备注" }).ClickAsync();
        await Assertions.Expect(page.Locator("#notes")).ToContainTextAsync("卖家QQ已在其他帖子出现");
        await page.SelectOptionAsync("#close-form select", "true_positive");
        await page.Locator("#close-form").GetByRole(AriaRole.Button, new() { Name = "关闭", Exact = true }).ClickAsync();
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
    public async Task Triage_At1280x720_ActionsStayInView_KeysTakeAndEscalate_AndAnotherAnalystClosesAndMovesOn()
    {
        Assert.True(await Demo.WaitForSeedAsync());
        var token = "一屏" + Guid.NewGuid().ToString("N")[..6];
        await IngestAsync([token + "甲：出售2026中考数学答案，考前发货，加微信 onescr1x", token + "乙：出售作弊器，考前发货，加微信 onescr2x"]);
        long first, second;
        string reviewer = "reviewer" + token[2..], reviewerPassword;
        await using (var scope = Demo.Server.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
            first = (await db.Alerts.SingleAsync(a => a.Title.StartsWith(token + "甲"))).Id;
            second = (await db.Alerts.SingleAsync(a => a.Title.StartsWith(token + "乙"))).Id;
            reviewerPassword = (await scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Hosting.AccountBootstrap>().EnsureAsync(reviewer, StaffRoles.Analyst, resetPassword: true))!;
        }

        var page = await NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 720 }, Locale = "zh-CN" });
        await SignInAsync(page);
        await page.GotoAsync(new Uri(Demo.Server.DashboardUrl, $"Alerts/Detail/{second}").ToString());

        // The actions are on screen without scrolling, and stay there while the analyst reads down the post.
        await Assertions.Expect(page.Locator("#close-next")).ToBeInViewportAsync();
        await page.Mouse.WheelAsync(0, 2000);
        await Assertions.Expect(page.Locator("#action-escalate")).ToBeInViewportAsync();

        // T takes it; E opens the hand-over dialog, which asks for the receiving unit, contact and receipt number.
        await page.Keyboard.PressAsync("t");
        await Assertions.Expect(page.Locator("#triage-message")).ToHaveTextAsync("已认领，并已受理。");
        await page.Keyboard.PressAsync("e");
        await Assertions.Expect(page.Locator("#escalate-dialog")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#escalate-unit")).ToBeFocusedAsync();
        await page.FillAsync("#escalate-unit", "某市公安局网安支队");
        await page.FillAsync("#escalate-contact", "张警官 0791-1234567");
        await page.FillAsync("#escalate-note", "卖家微信与去年案件一致");
        await ScreenshotAsync(page, "alert-escalate-dialog");
        await page.ClickAsync("#escalate-confirm");
        await Assertions.Expect(page.Locator("#triage-message")).ToHaveTextAsync("已移交公安。");
        await Assertions.Expect(page.Locator("#escalation")).ToContainTextAsync("接收单位 某市公安局网安支队，联系人 张警官 0791-1234567，回执号 未登记");
        await Assertions.Expect(page.Locator("#notes")).ToContainTextAsync("卖家微信与去年案件一致");
        // The history names states and severities; no stored code is on screen.
        await Assertions.Expect(page.Locator("#history td[data-action='alert.take'] + td")).ToContainTextAsync("新告警 → 处理中");
        await Assertions.Expect(page.Locator("#history td[data-action='alert.raise'] + td")).ToContainTextAsync("严重");
        await Assertions.Expect(page.Locator("#history")).Not.ToContainTextAsync("acknowledged");
        await Assertions.Expect(page.Locator("#history")).Not.ToContainTextAsync("critical");
        await page.FillAsync("#receipt-form input[name=receipt]", "网安受〔2026〕118号");
        await page.ClickAsync("#receipt-form button");
        await Assertions.Expect(page.Locator("#escalation")).ToContainTextAsync("回执号 网安受〔2026〕118号");

        // Whoever handed it over cannot close it: another analyst reviews it.
        await Assertions.Expect(page.Locator("#close-form")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#review-needed")).ToBeVisibleAsync();
        var refused = await PostDirectlyAsync(page, $"Alerts/Detail/{second}?handler=Close", ("reason", "duplicate"));
        Assert.True(refused.Ok);

        var other = await NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 720 }, Locale = "zh-CN" });
        await SignInAsync(other, reviewer, reviewerPassword);
        await other.GotoAsync(new Uri(Demo.Server.DashboardUrl, $"Alerts/Detail/{second}").ToString());
        var next = await other.Locator("#alert-next").GetAttributeAsync("href") ?? string.Empty;
        var nextId = long.Parse(next[(next.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(nextId, first, second - 1);
        await other.SelectOptionAsync("#close-reason-select", "true_positive");
        await other.FillAsync("#close-note", "已复核，公安已受案");
        await other.ClickAsync("#close-next");

        // Closed with its note in one submit, and the next open alert (older in the queue) is on screen.
        await Assertions.Expect(other.Locator("#triage-message")).ToHaveTextAsync($"已关闭告警 #{second}。这是下一条。");
        Assert.EndsWith(next, other.Url, StringComparison.Ordinal);
        await ScreenshotAsync(other, "alert-next-after-close");
        await using var check = Demo.Server.App.Services.CreateAsyncScope();
        var db2 = check.ServiceProvider.GetRequiredService<WatchDbContext>();
        var closed = await db2.Alerts.AsNoTracking().SingleAsync(a => a.Id == second);
        Assert.Equal((AlertStatus.Closed, CloseReason.TruePositive, "某市公安局网安支队", "网安受〔2026〕118号", Demo.Server.UserName), (closed.Status, closed.CloseReason!, closed.EscalatedTo!, closed.EscalationReceipt!, closed.EscalatedBy!));
        Assert.True(await db2.AlertNotes.AnyAsync(n => n.AlertId == second && n.Author == reviewer && n.Text == "已复核，公安已受案"));
        Assert.Equal(reviewer, (await db2.Audit.SingleAsync(a => a.Target == "alert:" + second && a.Action == "alert.close")).Actor);
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
