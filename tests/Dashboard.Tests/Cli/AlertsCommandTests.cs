using ExamNetWatch.Dashboard.Cli;
using ExamNetWatch.Dashboard.Hosting;

namespace ExamNetWatch.Dashboard.Tests.Cli;

public sealed class AlertsCommandTests
{
    [Fact]
    public async Task ReadAsync_DataDirectoryWithoutADatabase_ListsNothingAndCreatesNothing()
    {
        var dir = Path.Combine(Path.GetTempPath(), "enw-empty-" + Guid.NewGuid().ToString("N"));

        var rows = await AlertsCommand.ReadAsync(new DataDirectory(dir), null, 10, CancellationToken.None);

        Assert.Empty(rows);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public async Task WriteAsync_Table_ShowsEveryColumnOfEachAlert()
    {
        var output = new StringWriter();
        var row = new AlertsCommand.AlertRow(7, new DateTime(2026, 6, 20, 1, 2, 3, DateTimeKind.Utc), "high", "new", "某论坛", "出售答案", "http://forum.test/t/1");

        await AlertsCommand.WriteAsync(output, [row], json: false);

        var line = output.ToString().Split('\n')[1];
        Assert.Contains("7", line, StringComparison.Ordinal);
        Assert.Contains("2026-06-20 01:02:03", line, StringComparison.Ordinal);
        Assert.Contains("high", line, StringComparison.Ordinal);
        Assert.Contains("某论坛 / 出售答案 / http://forum.test/t/1", line, StringComparison.Ordinal);
    }
}
