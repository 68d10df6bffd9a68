using System.Text.Json;

using ExamNetWatch.Dashboard.Tests.Support;

namespace ExamNetWatch.Dashboard.Tests.Cli;

/// <summary><c>sources</c> verbs run as the executable, against a fresh data directory.</summary>
public sealed class SourcesCommandTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "enw-sources-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task AddListShowDisable_ASource_AreReflectedInJsonAndAudited()
    {
        var (code, stdout, stderr) = await RunAsync(
            "sources", "add", "某市中考论坛",
            "--entry", "http://bbs.test/forum.php?mod=forumdisplay&fid=2",
            "--scope", "http://bbs.test/forum.php",
            "--basis", "赣考院中〔2019〕3号", "--approved-by", "江西省教育考试院", "--scope-note", "中考交流版块",
            "--valid-from", "2020-01-01", "--valid-until", "2099-12-31 23:59", "--registered-by", "王老师",
            "--exam-critical", "--json");
        Assert.True(code == 0, stderr);
        var added = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("active", added.GetProperty("status").GetString());
        Assert.True(added.GetProperty("examCritical").GetBoolean());
        Assert.Equal("赣考院中〔2019〕3号", added.GetProperty("authorisations")[0].GetProperty("basis").GetString());

        var list = JsonDocument.Parse((await RunAsync("sources", "list", "--json")).Stdout).RootElement;
        Assert.Equal("某市中考论坛", Assert.Single(list.EnumerateArray()).GetProperty("name").GetString());

        var (_, shown, _) = await RunAsync("sources", "show", "某市中考论坛");
        Assert.Contains("http://bbs.test/forum.php", shown, StringComparison.Ordinal);
        Assert.Contains("江西省教育考试院", shown, StringComparison.Ordinal);

        // A sweep back to a Beijing date, for the next crawl; a date that is not one is refused, naming the flag.
        var swept = await RunAsync("sources", "sweep", "1", "--since", "2026-01-31", "--by", "李主任", "--json");
        Assert.True(swept.Code == 0, swept.Stderr);
        Assert.Equal(new DateTime(2026, 1, 30, 16, 0, 0, DateTimeKind.Utc), JsonDocument.Parse(swept.Stdout).RootElement.GetProperty("sweepSinceUtc").GetDateTime());
        Assert.Contains("sweep:    back to 2026-01-31 (Beijing)", (await RunAsync("sources", "show", "1")).Stdout, StringComparison.Ordinal);
        var (badCode, _, badStderr) = await RunAsync("sources", "sweep", "1", "--since", "31/01/2026");
        Assert.Equal(2, badCode);
        Assert.Contains("sources sweep: --since '31/01/2026' is not a date", badStderr, StringComparison.Ordinal);

        var disabled = JsonDocument.Parse((await RunAsync("sources", "disable", "1", "--by", "李主任", "--reason", "考试结束", "--json")).Stdout).RootElement;
        Assert.Equal("disabled", disabled.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Add_ValidUntilADate_CoversThatWholeDay_AndIsShownAsThatDay()
    {
        var (code, stdout, stderr) = await RunAsync(
            "sources", "add", "十二月专项",
            "--entry", "http://bbs.test/forum.php?mod=forumdisplay&fid=2", "--scope", "http://bbs.test/forum.php",
            "--basis", "b", "--approved-by", "a", "--valid-from", "2098-12-01", "--valid-until", "2098-12-31", "--registered-by", "r", "--json");
        Assert.True(code == 0, stderr);

        // 2098-12-31 23:59 Beijing time is still covered: the authorisation ends as 2099-01-01 begins in Beijing.
        var authorisation = JsonDocument.Parse(stdout).RootElement.GetProperty("authorisations")[0];
        Assert.Equal(new DateTime(2098, 11, 30, 16, 0, 0, DateTimeKind.Utc), authorisation.GetProperty("validFromUtc").GetDateTime());
        Assert.Equal(new DateTime(2098, 12, 31, 16, 0, 0, DateTimeKind.Utc), authorisation.GetProperty("validUntilUtc").GetDateTime());
        Assert.Contains("2098-12-01 – 2098-12-31", (await RunAsync("sources", "show", "十二月专项")).Stdout, StringComparison.Ordinal);

        // A time of day is taken as given.
        var timed = await RunAsync(
            "sources", "add", "到六点",
            "--entry", "http://bbs.test/forum.php?mod=forumdisplay&fid=3", "--scope", "http://bbs.test/forum.php",
            "--basis", "b", "--approved-by", "a", "--valid-from", "2098-12-01", "--valid-until", "2098-12-31 18:00", "--registered-by", "r", "--json");
        Assert.True(timed.Code == 0, timed.Stderr);
        Assert.Equal(new DateTime(2098, 12, 31, 10, 0, 0, DateTimeKind.Utc), JsonDocument.Parse(timed.Stdout).RootElement.GetProperty("authorisations")[0].GetProperty("validUntilUtc").GetDateTime());
    }

    [Fact]
    public async Task Add_EntryOutsideTheScope_RefusedWithAClearMessageAndNothingStored()
    {
        var (code, _, stderr) = await RunAsync(
            "sources", "add", "越界",
            "--entry", "http://other.test/forum.php", "--scope", "http://bbs.test/forum.php",
            "--basis", "b", "--approved-by", "a", "--valid-from", "2020-01-01", "--valid-until", "2099-01-01", "--registered-by", "r");

        Assert.Equal(2, code);
        Assert.Contains("outside the scope", stderr, StringComparison.Ordinal);
        Assert.Equal("[]", (await RunAsync("sources", "list", "--json")).Stdout.Trim());
    }

    [Fact]
    public async Task Add_WithoutAnAuthorisationBasis_Refused()
    {
        var (code, _, stderr) = await RunAsync(
            "sources", "add", "无授权", "--entry", "http://bbs.test/forum.php", "--scope", "http://bbs.test/forum.php",
            "--approved-by", "a", "--valid-from", "2020-01-01", "--valid-until", "2099-01-01", "--registered-by", "r");

        Assert.NotEqual(0, code);
        Assert.Contains("--basis", stderr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    private Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args) =>
        ExamNetWatchProcess.RunAsync([.. args, "--data-dir", _dataDir]);
}
