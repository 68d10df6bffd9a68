using ExamNetWatch.Dashboard.Tests.Support;

namespace ExamNetWatch.Dashboard.Tests.Cli;

/// <summary><c>doctor</c> as an operator runs it: what is configured, whether each part answers, never a secret.</summary>
public sealed class DoctorCommandTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "enw-doctor-" + Guid.NewGuid().ToString("N"));
    private string _database = string.Empty;

    public async Task InitializeAsync() => _database = await PostgresServer.Instance.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        await PostgresServer.Instance.DropDatabaseAsync(_database);
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task EmbeddedDefault_FreshDataDirectory_EveryRequiredPartAnswers()
    {
        var result = await ExamNetWatchProcess.RunAsync("doctor", "--data-dir", _dir);

        Assert.True(result.Code == 0, result.Stdout + result.Stderr);
        Assert.Matches(@"(?m)^warn\s+store\s+Sqlite .*no database yet", result.Stdout);
        Assert.Matches(@"(?m)^ok\s+job storage\s+Sqlite", result.Stdout);
        Assert.Matches(@"(?m)^ok\s+captures\s+.*writable", result.Stdout);
        Assert.Matches(@"(?m)^ok\s+cjk font", result.Stdout);
        Assert.Contains("every required part answers", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostgreSql_MigratedThenUnreachable_SaysWhichPartAndWhereWithoutThePassword()
    {
        var connection = PostgresServer.Instance.ConnectionString(_database) + ";Password=not-for-eyes";
        var settings = new Dictionary<string, string> { ["Storage__Provider"] = "PostgreSql", ["Storage__ConnectionString"] = connection, ["Jobs__Storage"] = "PostgreSql" };

        var before = await ExamNetWatchProcess.RunAsync(settings, "doctor", "--data-dir", _dir);
        Assert.Equal(1, before.Code);
        Assert.Matches(@"(?m)^FAIL\s+store\s+PostgreSql enw_\w+ on 127\.0\.0\.1:\d+ as postgres .*run `examnetwatch migrate`", before.Stdout);

        Assert.Equal(0, (await ExamNetWatchProcess.RunAsync(settings, "migrate", "--data-dir", _dir)).Code);
        var after = await ExamNetWatchProcess.RunAsync(settings, "doctor", "--data-dir", _dir);
        Assert.True(after.Code == 0, after.Stdout + after.Stderr);
        Assert.Matches(@"(?m)^ok\s+store\s+PostgreSql .*schema current", after.Stdout);
        Assert.Matches(@"(?m)^ok\s+job storage\s+PostgreSql schema hangfire .*answers", after.Stdout);

        settings["Storage__ConnectionString"] = "Host=127.0.0.1;Port=1;Database=enw;Username=enw;Password=not-for-eyes;Timeout=2";
        settings["Jobs__Storage"] = "Sqlite";
        var down = await ExamNetWatchProcess.RunAsync(settings, "doctor", "--data-dir", _dir);
        Assert.Equal(1, down.Code);
        Assert.Matches(@"(?m)^FAIL\s+store\s+PostgreSql enw on 127\.0\.0\.1:1 .*does not answer", down.Stdout);
        Assert.DoesNotContain("not-for-eyes", before.Stdout + after.Stdout + down.Stdout + down.Stderr, StringComparison.Ordinal);
    }
}
