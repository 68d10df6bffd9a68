using System.Net;
using System.Security.Claims;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ExamNetWatch.Dashboard.Tests.Security;

/// <summary>
/// Sessions as the README describes them: eight hours, sliding with use; a changed role, a new password or a stopped
/// account ends the account's open sessions at their next request.
/// </summary>
public sealed class SessionTests : IAsyncLifetime
{
    private const string CookieName = ".AspNetCore.Identity.Application";
    private TestServer _test = null!;
    private string _analystPassword = null!;

    private RunningServer Server => _test.Server;

    public async Task InitializeAsync()
    {
        _test = await TestServer.StartAsync("session", dataDir => new HostSettings(dataDir, "http://127.0.0.1:0", "0 0 1 1 *"));
        await using var scope = Server.App.Services.CreateAsyncScope();
        _analystPassword = (await scope.ServiceProvider.GetRequiredService<AccountBootstrap>().EnsureAsync("session-analyst", StaffRoles.Analyst, resetPassword: false))!;
    }

    public async Task DisposeAsync() => await _test.DisposeAsync();

    [Fact]
    public async Task SignIn_SessionLastsEightHours_UseSlidesIt_AndAnExpiredOneSendsToTheLoginPage()
    {
        var (client, cookies) = await SignedInAsync("session-analyst", _analystPassword);
        using var _ = client;
        var format = Server.App.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme).TicketDataFormat;
        var ticket = format.Unprotect(Cookie(cookies))!;
        Assert.Equal(TimeSpan.FromHours(8), ticket.Properties.ExpiresUtc - ticket.Properties.IssuedUtc);

        // A session signed in seven hours ago and used now is renewed: eight hours from now again.
        var now = TimeProvider.System.GetUtcNow();
        SetCookie(cookies, format.Protect(Aged(ticket, now.AddHours(-7), now.AddHours(1))));
        using (var used = await client.GetAsync(string.Empty))
        {
            Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        }

        var renewed = format.Unprotect(Cookie(cookies))!;
        Assert.InRange(renewed.Properties.ExpiresUtc!.Value, now.AddHours(8).AddMinutes(-1), now.AddHours(8).AddMinutes(5));

        // A session left unused for more than eight hours is over.
        SetCookie(cookies, format.Protect(Aged(ticket, now.AddHours(-9), now.AddHours(-1))));
        using var expired = await client.GetAsync(string.Empty);
        Assert.Equal(HttpStatusCode.Redirect, expired.StatusCode);
        Assert.Contains("/Account/Login", expired.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenSession_OfAnAccountWhoseRoleChangesOrThatIsStopped_EndsAtItsNextRequest()
    {
        string password;
        await using (var scope = Server.App.Services.CreateAsyncScope())
        {
            password = (await scope.ServiceProvider.GetRequiredService<AccountBootstrap>().EnsureAsync("session-viewer", StaffRoles.Viewer, resetPassword: true))!;
        }

        var (admin, _) = await SignedInAsync(Server.UserName!, Server.Password!);
        using var adminClient = admin;
        var (viewer, _) = await SignedInAsync("session-viewer", password);
        using var viewerClient = viewer;
        await AssertSignedInAsync(viewerClient);

        // The admin makes the viewer an analyst: the viewer's open session ends at once, a new sign-in works.
        await AdminPostsAsync(adminClient, "Role", ("userName", "session-viewer"), ("role", StaffRoles.Analyst));
        await AssertSentToLoginAsync(viewerClient);
        await using (var scope = Server.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            Assert.True(await users.IsInRoleAsync((await users.FindByNameAsync("session-viewer"))!, StaffRoles.Analyst));
        }

        var (again, _) = await SignedInAsync("session-viewer", password);
        using var againClient = again;
        await AssertSignedInAsync(againClient);

        // The admin stops the account: that session ends too, and signing in is refused.
        await AdminPostsAsync(adminClient, "Enable", ("userName", "session-viewer"), ("enable", "false"));
        await AssertSentToLoginAsync(againClient);
        var token = await SignedInClient.TokenAsync(againClient, "Account/Login");
        using var refused = await againClient.PostAsync("Account/Login", SignedInClient.Form(("UserName", "session-viewer"), ("Password", password), ("__RequestVerificationToken", token)));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("用户名或密码错误，或账户已停用。", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static AuthenticationTicket Aged(AuthenticationTicket ticket, DateTimeOffset issued, DateTimeOffset expires)
    {
        var properties = ticket.Properties.Clone();
        properties.IssuedUtc = issued;
        properties.ExpiresUtc = expires;
        return new AuthenticationTicket(new ClaimsPrincipal(ticket.Principal.Identities.Select(i => i.Clone())), properties, ticket.AuthenticationScheme);
    }

    private string Cookie(CookieContainer cookies) => cookies.GetCookies(Server.DashboardUrl)[CookieName]?.Value ?? throw new InvalidOperationException("no session cookie");

    private void SetCookie(CookieContainer cookies, string value) => cookies.Add(Server.DashboardUrl, new System.Net.Cookie(CookieName, value, "/"));

    private Task<(HttpClient Client, CookieContainer Cookies)> SignedInAsync(string userName, string password) => SignedInClient.SignInAsync(Server.DashboardUrl, userName, password);

    private static async Task AssertSignedInAsync(HttpClient client)
    {
        using var response = await client.GetAsync(string.Empty);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task AssertSentToLoginAsync(HttpClient client)
    {
        using var response = await client.GetAsync(string.Empty);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    private static async Task AdminPostsAsync(HttpClient admin, string handler, params (string Name, string Value)[] fields)
    {
        var token = await SignedInClient.TokenAsync(admin, "Users");
        using var response = await admin.PostAsync("Users?handler=" + handler, SignedInClient.Form([.. fields, ("__RequestVerificationToken", token)]));
        Assert.True((int)response.StatusCode is 200 or 302, $"Users?handler={handler}: {(int)response.StatusCode}");
    }
}
