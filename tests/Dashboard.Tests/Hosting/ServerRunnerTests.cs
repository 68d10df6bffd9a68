using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamNetWatch.Dashboard.Tests.Hosting;

public sealed class ServerRunnerTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "enw-serve-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Serve_StartedTwiceOnOneDataDirectory_FirstCreatesTheAdminSecondReusesEverything()
    {
        var settings = new HostSettings(_dataDir, "http://127.0.0.1:0");
        string password;
        await using (var first = await ServerRunner.StartAsync(settings, CancellationToken.None))
        {
            Assert.Equal("admin", first.UserName);
            password = first.Password!;
            Assert.NotNull(password);
            using var scope = first.App.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
            db.Audit.Add(new AuditEntry { Actor = "test", Action = "marker", Target = "x", AtUtc = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) });
            await db.SaveChangesAsync();
            var stored = await db.Users.SingleAsync(u => u.UserName == "admin");
            Assert.DoesNotContain(password, stored.PasswordHash, StringComparison.Ordinal);
        }

        await using var second = await ServerRunner.StartAsync(settings, CancellationToken.None);

        Assert.Null(second.Password);
        using var again = second.App.Services.CreateScope();
        var users = again.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var admin = await users.FindByNameAsync("admin");
        Assert.True(await users.CheckPasswordAsync(admin!, password));
        Assert.True(await users.IsInRoleAsync(admin!, StaffRoles.Admin));
        Assert.True(await again.ServiceProvider.GetRequiredService<WatchDbContext>().Audit.AnyAsync(a => a.Action == "marker"));
    }

    [Fact]
    public async Task Serve_SecondServerOnARunningDataDirectory_IsRefusedNamingIt_TheFirstGoesOn()
    {
        var settings = new HostSettings(_dataDir, "http://127.0.0.1:0");
        await using var first = await ServerRunner.StartAsync(settings, CancellationToken.None);

        var error = await Assert.ThrowsAsync<DataDirectoryInUseException>(() => ServerRunner.StartAsync(settings, CancellationToken.None));
        var cli = await Support.ExamNetWatchProcess.RunAsync("serve", "--data-dir", _dataDir, "--urls", "http://127.0.0.1:0");

        Assert.Contains(_dataDir, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, cli.Code);
        Assert.Contains("该数据目录已被另一个 ExamNetWatch 进程使用", cli.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", cli.Stderr, StringComparison.Ordinal);
        using var client = new HttpClient();
        Assert.True((await client.GetAsync(new Uri(first.DashboardUrl, "Account/Login"))).IsSuccessStatusCode);
    }

    [Fact]
    public async Task Serve_ResetPassword_IssuesANewPasswordThatWorks()
    {
        await using (await ServerRunner.StartAsync(new HostSettings(_dataDir, "http://127.0.0.1:0"), CancellationToken.None))
        {
        }

        await using var reset = await ServerRunner.StartAsync(new HostSettings(_dataDir, "http://127.0.0.1:0") { ResetPassword = true }, CancellationToken.None);

        Assert.NotNull(reset.Password);
        using var scope = reset.App.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        Assert.True(await users.CheckPasswordAsync((await users.FindByNameAsync("admin"))!, reset.Password!));
    }

    [Fact]
    public async Task BehindAProxy_ForwardedHttpsFromTheKnownProxy_SecureCookiesAndHsts_FromAnyoneElseIgnored()
    {
        var proxied = new HostSettings(_dataDir, "http://127.0.0.1:0")
        {
            Configuration = new Dictionary<string, string?> { ["Proxy:Enabled"] = "true", ["Proxy:KnownProxies:0"] = "127.0.0.1" },
        };
        await using var server = await ServerRunner.StartAsync(proxied, CancellationToken.None);
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = server.DashboardUrl };

        async Task<HttpResponseMessage> SignInAsync(bool forwarded)
        {
            using var form = new HttpRequestMessage(HttpMethod.Get, "Account/Login");
            if (forwarded)
            {
                form.Headers.Add("X-Forwarded-Proto", "https");
                form.Headers.Add("X-Forwarded-Host", "watch.example.edu.cn");
            }

            using var page = await client.SendAsync(form);
            var html = await page.Content.ReadAsStringAsync();
            var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
            var cookie = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
            var post = new HttpRequestMessage(HttpMethod.Post, "Account/Login")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = "admin", ["Password"] = server.Password!, ["__RequestVerificationToken"] = token }),
            };
            post.Headers.Add("Cookie", cookie);
            if (forwarded)
            {
                post.Headers.Add("X-Forwarded-Proto", "https");
                post.Headers.Add("X-Forwarded-Host", "watch.example.edu.cn");
            }

            return await client.SendAsync(post);
        }

        using var viaProxy = await SignInAsync(forwarded: true);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, viaProxy.StatusCode);
        var sessionCookie = viaProxy.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
        Assert.Contains("secure", sessionCookie, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("max-age=15552000", viaProxy.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);

        // Plain HTTP: no HSTS, no Secure flag (a loopback-only embedded install keeps working).
        using var direct = await SignInAsync(forwarded: false);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, direct.StatusCode);
        Assert.DoesNotContain("secure", direct.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);
        Assert.False(direct.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task BehindAProxy_KnownProxyThatIsNotAnAddress_RefusedAtStartNamingTheSetting()
    {
        var bad = new HostSettings(_dataDir, "http://127.0.0.1:0") { Configuration = new Dictionary<string, string?> { ["Proxy:Enabled"] = "true", ["Proxy:KnownProxies:0"] = "proxy.intranet" } };

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => ServerRunner.StartAsync(bad, CancellationToken.None));

        Assert.Contains("Proxy:KnownProxies:0 ('proxy.intranet') is not an IP address.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Retention:NonAlertPostDays", "0", "Retention:NonAlertPostDays must be between 1 and 3650 days")]
    [InlineData("Retention:ClosedAlertDays", "-5", "Retention:ClosedAlertDays must be between 1 and 36500 days")]
    [InlineData("Retention:Schedule", "every night", "Retention:Schedule ('every night') is not a cron expression")]
    [InlineData("Sla:CriticalMinutes", "0", "Sla:CriticalMinutes must be between 1 and 10080 minutes")]
    [InlineData("Indexing:BatchSize", "0", "Indexing:BatchSize must be between 1 and 10000")]
    [InlineData("Indexing:Lease", "00:00:01", "Indexing:Lease must be at least 10 seconds")]
    [InlineData("Notifications:MinSeverity", "9", "Notifications:MinSeverity must be 1 (low) to 4 (critical) (was 9)")]
    [InlineData("Notifications:Webhooks:0:Url", "ftp://robot.example/x", "Notifications:Webhooks:0:Url must be an absolute http(s) URL")]
    [InlineData("Notifications:Webhooks:0:Kind", "slack", "Notifications:Webhooks:0:Kind must be one of webhook, dingtalk, wecom (was 'slack')")]
    [InlineData("Evidence:TsaUrl", "file:///etc/passwd", "Evidence:TsaUrl must be an absolute http(s) URL")]
    public async Task Settings_OutOfRange_RefusedAtStartNamingTheSetting(string key, string value, string message)
    {
        var configuration = new Dictionary<string, string?> { [key] = value };
        if (key.StartsWith("Notifications:Webhooks:0:", StringComparison.Ordinal))
        {
            configuration.TryAdd("Notifications:Webhooks:0:Kind", "webhook");
            configuration.TryAdd("Notifications:Webhooks:0:Url", "https://robot.example/hook");
        }

        var bad = new HostSettings(_dataDir, "http://127.0.0.1:0") { Configuration = configuration };

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => ServerRunner.StartAsync(bad, CancellationToken.None));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithRetentionThatWouldPurgeEverything_StopsWithTheMessage_NoStackTrace()
    {
        var run = await Support.ExamNetWatchProcess.RunAsync(
            new Dictionary<string, string> { ["Retention__NonAlertPostDays"] = "0" },
            "serve", "--data-dir", _dataDir, "--urls", "http://127.0.0.1:0");

        Assert.NotEqual(0, run.Code);
        Assert.Contains("Retention:NonAlertPostDays must be between 1 and 3650 days", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }
}
