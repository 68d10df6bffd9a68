using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ExamNetWatch.Dashboard.Tests.Browser;

/// <summary>Staff accounts managed by an administrator in Chromium: add, sign in with the shown password, change role, stop.</summary>
[Collection(DemoServerGroup.Name)]
public sealed class UsersBrowserTests(DemoServerFixture demo) : DashboardBrowserTest(demo)
{
    [Fact]
    public async Task Admin_AddsAViewer_WhoSignsInReadOnly_ThenIsPromotedAndFinallyStopped()
    {
        var name = "viewer-" + Guid.NewGuid().ToString("N")[..6];
        var admin = await NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 720 }, Locale = "zh-CN" });
        await SignInAsAdminAsync(admin);
        // At 1280×720 the whole navigation, administration grouped in one menu, fits the one 48 px bar.
        Assert.True((await admin.Locator("header").BoundingBoxAsync())!.Height <= 48.5f, "the header wraps at 1280x720");
        await admin.ClickAsync("#admin-menu summary");
        await admin.GetByRole(AriaRole.Link, new() { Name = "用户管理" }).ClickAsync();
        await admin.FillAsync("#users-add input[name=userName]", name);
        await admin.SelectOptionAsync("#users-add select[name=role]", StaffRoles.Viewer);
        await admin.GetByRole(AriaRole.Button, new() { Name = "添加用户" }).ClickAsync();
        var password = await admin.Locator("#users-password-value").InnerTextAsync();
        await ScreenshotAsync(admin, "users");

        await using (var context = await NewContextAsync())
        {
            var viewer = await context.NewPageAsync();
            await SignInAsync(viewer, name, password);
            await Assertions.Expect(viewer.GetByRole(AriaRole.Link, new() { Name = "用户管理" })).ToHaveCountAsync(0);
            var users = await viewer.GotoAsync(new Uri(Demo.Server.DashboardUrl, "Users").ToString());
            Assert.Contains("AccessDenied", users!.Url, StringComparison.Ordinal);
        }

        var row = admin.Locator($"#users tr[data-user='{name}']");
        await row.Locator("select[name=role]").SelectOptionAsync(StaffRoles.Analyst);
        await row.GetByRole(AriaRole.Button, new() { Name = "修改" }).ClickAsync();
        await Assertions.Expect(admin.Locator("#users-message")).ToContainTextAsync("研判员");
        await row.GetByRole(AriaRole.Button, new() { Name = "停用" }).ClickAsync();
        await Assertions.Expect(row.Locator(".user-state")).ToHaveTextAsync("已停用");

        await using (var context = await NewContextAsync())
        {
            var stopped = await context.NewPageAsync();
            await stopped.GotoAsync(Demo.Server.DashboardUrl.ToString());
            await stopped.FillAsync("#UserName", name);
            await stopped.FillAsync("#Password", password);
            await stopped.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
            await Assertions.Expect(stopped.Locator("[role=alert]")).ToHaveTextAsync("用户名或密码错误，或账户已停用。");
        }

        await using var scope = Demo.Server.App.Services.CreateAsyncScope();
        var target = "user:" + name;
        var actions = await scope.ServiceProvider.GetRequiredService<WatchDbContext>().Audit.Where(a => a.Target == target && a.Actor == Demo.Server.AdminUserName).Select(a => a.Action).ToListAsync();
        Assert.Equal(["user.create", "user.role", "user.disable"], actions);
    }

    [Fact]
    public async Task Admin_CannotStopOrDemoteThemselves()
    {
        var admin = await NewLaptopPageAsync();
        await SignInAsAdminAsync(admin);
        await admin.GotoAsync(new Uri(Demo.Server.DashboardUrl, "Users").ToString());
        var self = admin.Locator($"#users tr[data-user='{Demo.Server.AdminUserName}']");
        await Assertions.Expect(self.Locator("select[name=role]")).ToHaveCountAsync(0);

        await PostDirectlyAsync(admin, "Users?handler=Enable", ("userName", Demo.Server.AdminUserName!), ("enable", "false"));

        await admin.ReloadAsync();
        await Assertions.Expect(self.Locator(".user-state")).ToHaveTextAsync("正常");
    }
}
