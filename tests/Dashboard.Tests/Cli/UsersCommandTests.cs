using System.Text.RegularExpressions;
using ExamNetWatch.Dashboard.Tests.Support;

namespace ExamNetWatch.Dashboard.Tests.Cli;

public sealed class UsersCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "enw-users-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task AddThenList_CreatesTheFirstAdminWithAGeneratedPasswordShownOnce()
    {
        var add = await ExamNetWatchProcess.RunAsync("users", "add", "chief", "--role", "Admin", "--data-dir", _dir);
        Assert.Equal(0, add.Code);
        var password = Regex.Match(add.Stdout, @"password: (\S+)").Groups[1].Value;
        Assert.True(password.Length >= 12, add.Stdout);

        var again = await ExamNetWatchProcess.RunAsync("users", "add", "chief", "--role", "Admin", "--data-dir", _dir);
        Assert.Equal(0, again.Code);
        Assert.DoesNotContain("password:", again.Stdout, StringComparison.Ordinal);

        var list = await ExamNetWatchProcess.RunAsync("users", "list", "--data-dir", _dir);
        Assert.Contains("chief\tAdmin", list.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(password, list.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_UnknownRole_IsRejectedWithTheAllowedValues()
    {
        var result = await ExamNetWatchProcess.RunAsync("users", "add", "x", "--role", "Boss", "--data-dir", _dir);

        Assert.NotEqual(0, result.Code);
        Assert.Contains("Analyst", result.Stderr + result.Stdout, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
