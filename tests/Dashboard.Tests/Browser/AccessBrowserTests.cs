using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ExamNetWatch.Dashboard.Tests.Browser;

/// <summary>Signing in and what each role may do, in Chromium.</summary>
[Collection(DemoServerGroup.Name)]
public sealed class AccessBrowserTests(DemoServerFixture demo) : DashboardBrowserTest(demo)
{
    [Fact]
    public async Task SignIn_WrongPassword_ShowsAnErrorAndStaysOnTheLoginPage()
    {
        var page = await NewLaptopPageAsync();
        await page.GotoAsync(Demo.Server.DashboardUrl.ToString());

        await page.FillAsync("#UserName", "demo");
        await page.FillAsync("#Password", "not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();

        await Assertions.Expect(page.Locator("[role=alert]")).ToHaveTextAsync("用户名或密码错误，或账户已停用。");
        Assert.Contains("/Account/Login", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnonymousVisitor_AskingForAnAlert_IsSentToTheLoginPage()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Demo.Server.DashboardUrl };

        using var response = await client.GetAsync(new Uri("Alerts/Detail/1", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_UnknownNameWrongPasswordOrHugeName_OneMessage_NoAccountLocked_GuessingThrottledPerName()
    {
        string password;
        await using (var scope = Demo.Server.App.Services.CreateAsyncScope())
        {
            password = (await scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Hosting.AccountBootstrap>().EnsureAsync("target1", StaffRoles.Analyst, resetPassword: true))!;
        }

        var page = await NewLaptopPageAsync();
        async Task<string> TryAsync(string name, string secret)
        {
            await page.GotoAsync(new Uri(Demo.Server.DashboardUrl, "Account/Login").ToString());
            await page.EvaluateAsync("([n, p]) => { document.getElementById('UserName').value = n; document.getElementById('Password').value = p; }", new[] { name, secret });
            await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
            return (await page.Locator("[role=alert]").TextContentAsync())!.Trim();
        }

        // Unknown name, wrong password, a 300-character name: the same words.
        var unknown = await TryAsync("no-such-person", "whatever-password");
        Assert.Equal(unknown, await TryAsync("target1", "wrong-password-1"));
        Assert.Equal(unknown, await TryAsync(new string('名', 300), "x"));
        Assert.Equal("用户名或密码错误，或账户已停用。", unknown);

        // Guessing one name: after five failures from this address it waits; the account itself is not locked.
        for (var i = 2; i <= ExamNetWatch.Dashboard.Hosting.LoginThrottle.PerNameAndAddress; i++)
        {
            Assert.Equal(unknown, await TryAsync("target1", $"wrong-password-{i}"));
        }

        Assert.Equal("尝试次数过多，请 15 分钟后再试。", await TryAsync("target1", password));
        await using (var scope = Demo.Server.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
            var account = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "target1");
            Assert.Null(account.LockoutEnd);
            Assert.Equal(0, account.AccessFailedCount);
            // No stored name is longer than 65 characters, however long the typed one.
            Assert.DoesNotContain(await db.Audit.Where(a => a.Action.StartsWith("user.login")).Select(a => a.Target).ToListAsync(), t => t.Length > "user:".Length + 65);
        }

        // A megabyte of name is refused before anything reads it.
        var token = await page.Locator("input[name=__RequestVerificationToken]").First.InputValueAsync();
        var huge = await page.APIRequest.PostAsync(new Uri(Demo.Server.DashboardUrl, "Account/Login").ToString(), new() { Form = page.APIRequest.CreateFormData().Set("__RequestVerificationToken", token).Set("UserName", new string('a', 1 << 20)).Set("Password", "x") });
        Assert.InRange(huge.Status, 400, 413);
    }

    [Fact]
    public async Task Pages_CarryTheSecurityHeaders_AndTheirOwnScriptsRunUnderTheirPolicy()
    {
        Assert.True(await Demo.WaitForSeedAsync());
        var page = await NewLaptopPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };

        var login = await page.GotoAsync(new Uri(Demo.Server.DashboardUrl, "Account/Login").ToString());
        await SignInAsAdminAsync(page);
        foreach (var path in new[] { "", "Stats", "Rules/Try", "Exams", "Search?q=%E7%AD%94%E6%A1%88" })
        {
            var response = await page.GotoAsync(new Uri(Demo.Server.DashboardUrl, path).ToString());
            foreach (var headers in new[] { await login!.AllHeadersAsync(), await response!.AllHeadersAsync() })
            {
                var csp = headers["content-security-policy"];
                Assert.Matches("script-src 'self' 'nonce-[A-Za-z0-9+/]{24}'", csp);
                Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
                Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
                Assert.DoesNotContain("unsafe-inline' 'nonce", csp, StringComparison.Ordinal);
                Assert.Equal(("DENY", "nosniff", "same-origin"), (headers["x-frame-options"], headers["x-content-type-options"], headers["referrer-policy"]));
            }
        }

        // The queue's live script and the statistics chart are the pages' own: they run.
        await page.GotoAsync(new Uri(Demo.Server.DashboardUrl, "Stats").ToString());
        await Assertions.Expect(page.Locator("#chart-per-day canvas, #chart-per-day svg").First).ToBeVisibleAsync();
        Assert.Empty(violations);
    }

    [Fact]
    public async Task SignOut_EndsTheSessionOnTheServer_ACopyOfTheOldCookieNoLongerSignsIn()
    {
        string password;
        await using (var scope = Demo.Server.App.Services.CreateAsyncScope())
        {
            password = (await scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Hosting.AccountBootstrap>().EnsureAsync("leaver1", StaffRoles.Analyst, resetPassword: true))!;
        }

        var context = await NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 720 }, Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        await SignInAsync(page, "leaver1", password);
        await Assertions.Expect(page.Locator("#alert-queue, #empty-queue").First).ToBeVisibleAsync();
        var cookies = await context.CookiesAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login"));

        // Someone who kept a copy of the cookie is not signed in by it.
        var copy = await NewContextAsync(new() { Locale = "zh-CN" });
        await copy.AddCookiesAsync(cookies.Select(c => new Cookie { Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite }));
        var replay = await copy.NewPageAsync();
        await replay.GotoAsync(Demo.Server.DashboardUrl.ToString());
        await Assertions.Expect(replay).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login"));
        await copy.CloseAsync();
        await context.CloseAsync();
    }

    [Fact]
    public async Task DisabledAccount_WithTheQueueOpen_StopsReceivingLiveAlerts()
    {
        Assert.True(await Demo.WaitForSeedAsync());
        string password;
        await using (var scope = Demo.Server.App.Services.CreateAsyncScope())
        {
            password = (await scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Hosting.AccountBootstrap>().EnsureAsync("stopped1", StaffRoles.Analyst, resetPassword: true))!;
        }

        var broadcaster = Demo.Server.App.Services.GetRequiredService<ExamNetWatch.Dashboard.Live.AlertBroadcaster>();
        var before = broadcaster.Subscribers;
        var page = await NewLaptopPageAsync();
        await SignInAsync(page, "stopped1", password);
        await Assertions.Expect(page.Locator("#alert-queue")).ToBeVisibleAsync();
        Assert.True(await WaitAsync(() => broadcaster.Subscribers > before), "the queue page listens");

        // An admin stops the account, as the users page does.
        await using (var scope = Demo.Server.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<StaffUser>>();
            var account = (await users.FindByNameAsync("stopped1"))!;
            await users.SetLockoutEndDateAsync(account, DateTimeOffset.MaxValue);
            await users.UpdateSecurityStampAsync(account);
        }

        await IngestAsync(["停用后告警：出售作弊器，考前发货，加微信 stop2026x"]);

        Assert.True(await WaitAsync(() => broadcaster.Subscribers == before), "the stream of the stopped account ended");
        await Assertions.Expect(page.Locator("#alert-queue tr.live", new() { HasText = "停用后告警" })).ToHaveCountAsync(0);
    }

    private static async Task<bool> WaitAsync(Func<bool> condition)
    {
        for (var wait = System.Diagnostics.Stopwatch.StartNew(); wait.Elapsed < TimeSpan.FromSeconds(30); await Task.Delay(100))
        {
            if (condition())
            {
                return true;
            }
        }

        return condition();
    }

    [Fact]
    public async Task Viewer_SeesAlertsButCannotTriage_EvenByPostingDirectly()
    {
        Assert.True(await Demo.WaitForSeedAsync());
        string password;
        long alertId;
        await using (var scope = Demo.Server.App.Services.CreateAsyncScope())
        {
            password = (await scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Hosting.AccountBootstrap>().EnsureAsync("viewer1", StaffRoles.Viewer, resetPassword: true))!;
            alertId = (await scope.ServiceProvider.GetRequiredService<WatchDbContext>().Alerts.FirstAsync(a => a.Status == AlertStatus.New && a.Assignee == null)).Id;
        }

        var page = await NewLaptopPageAsync();
        await SignInAsync(page, "viewer1", password);
        await page.GotoAsync(new Uri(Demo.Server.DashboardUrl, $"Alerts/Detail/{alertId}").ToString());

        await Assertions.Expect(page.Locator("#post-text")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#triage-actions")).ToHaveCountAsync(0);
        var token = await page.Locator("input[name=__RequestVerificationToken]").First.InputValueAsync();
        var response = await page.APIRequest.PostAsync(new Uri(Demo.Server.DashboardUrl, $"Alerts/Detail/{alertId}?handler=Take").ToString(), new() { Form = page.APIRequest.CreateFormData().Set("__RequestVerificationToken", token) });
        Assert.Contains("AccessDenied", response.Url, StringComparison.Ordinal);
        var hangfire = await page.GotoAsync(new Uri(Demo.Server.DashboardUrl, "hangfire").ToString());
        Assert.Contains("AccessDenied", hangfire!.Url, StringComparison.Ordinal);

        await using var check = Demo.Server.App.Services.CreateAsyncScope();
        var alert = await check.ServiceProvider.GetRequiredService<WatchDbContext>().Alerts.SingleAsync(a => a.Id == alertId);
        Assert.Equal(AlertStatus.New, alert.Status);
        Assert.Null(alert.Assignee);
    }

    [Fact]
    public async Task AuditLog_AdminFiltersIt_AnalystIsRefused()
    {
        string password;
        await using (var scope = Demo.Server.App.Services.CreateAsyncScope())
        {
            password = (await scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Hosting.AccountBootstrap>().EnsureAsync("auditadmin", StaffRoles.Admin, resetPassword: true))!;
        }

        var analyst = await NewLaptopPageAsync();
        await SignInAsync(analyst);
        await analyst.GotoAsync(new Uri(Demo.Server.DashboardUrl, "Audit").ToString());
        await Assertions.Expect(analyst.Locator("#access-denied")).ToBeVisibleAsync();

        var admin = await NewLaptopPageAsync();
        await SignInAsync(admin, "auditadmin", password);
        await admin.ClickAsync("#admin-menu summary");
        await admin.GetByRole(AriaRole.Link, new() { Name = "审计日志" }).ClickAsync();
        await admin.FillAsync("#audit-filter input[name=target]", "user:auditadmin");
        await admin.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();

        await admin.WaitForURLAsync(url => url.Contains("target=user%3Aauditadmin", StringComparison.Ordinal));
        var targets = await admin.Locator("#audit-log tbody tr td:nth-child(5)").AllInnerTextsAsync();
        Assert.NotEmpty(targets);
        Assert.All(targets, t => Assert.Equal("user:auditadmin", t));
        await Assertions.Expect(admin.Locator("#audit-log td[data-action='user.reset-password'], #audit-log td[data-action='user.create']")).Not.ToHaveCountAsync(0);
    }
}
