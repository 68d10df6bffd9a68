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

        await Assertions.Expect(page.Locator("[role=alert]")).ToHaveTextAsync("用户名或密码错误。");
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
