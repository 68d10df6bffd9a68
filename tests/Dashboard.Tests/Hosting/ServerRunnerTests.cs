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

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }
}
