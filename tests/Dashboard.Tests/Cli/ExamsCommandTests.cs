using ExamNetWatch.Dashboard.Tests.Support;

namespace ExamNetWatch.Dashboard.Tests.Cli;

/// <summary><c>exams</c> run as the executable against a fresh data directory: the calendar in Beijing time, bad input refused.</summary>
public sealed class ExamsCommandTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "enw-exams-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task AddListRemove_PapersInBeijingTimeOrAnOffset_ListedInOrderOfStart_RemovedByNumber()
    {
        var maths = await RunAsync("exams", "add", "--exam", "2026年中考", "--subject", "数学", "--from", "2026-06-20 09:00", "--to", "2026-06-20 11:00");
        Assert.True(maths.Code == 0, maths.Stderr);
        Assert.Equal("1 2026年中考 数学 2026-06-20 09:00:00 – 2026-06-20 11:00:00", maths.Stdout.Trim());
        // An instant with an offset is shown in Beijing time (23:30 UTC is 07:30 the next morning in Beijing).
        var english = await RunAsync("exams", "add", "--subject", "英语", "--from", "2026-06-19T23:30:00Z", "--to", "2026-06-20 09:30");
        Assert.True(english.Code == 0, english.Stderr);

        var listed = (await RunAsync("exams", "list")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["2 中考 英语 2026-06-20 07:30:00 – 2026-06-20 09:30:00", "1 2026年中考 数学 2026-06-20 09:00:00 – 2026-06-20 11:00:00"], listed);

        Assert.Equal(0, (await RunAsync("exams", "remove", "2")).Code);
        Assert.Equal(["1 2026年中考 数学 2026-06-20 09:00:00 – 2026-06-20 11:00:00"], (await RunAsync("exams", "list")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var missing = await RunAsync("exams", "remove", "2");
        Assert.Equal(2, missing.Code);
        Assert.Contains("there is no paper 2", missing.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-06-21 11:00", "2026-06-21 09:00", "exams add: 结束时间必须晚于开始时间。")]
    [InlineData("20/06/2026", "2026-06-21 09:00", "exams add: --from '20/06/2026' is not a date")]
    [InlineData("2026-06-21 09:00", "11:00", "exams add: --to '11:00' is not a date")]
    public async Task Add_BadTimes_RefusedWithExitCode2NamingWhatIsWrong_NothingStored(string from, string to, string message)
    {
        var (code, _, stderr) = await RunAsync("exams", "add", "--subject", "语文", "--from", from, "--to", to);

        Assert.Equal(2, code);
        Assert.StartsWith(message, stderr.Trim(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, (await RunAsync("exams", "list")).Stdout.Trim());
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
