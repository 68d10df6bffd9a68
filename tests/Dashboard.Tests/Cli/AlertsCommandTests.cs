using ExamNetWatch.Dashboard.Cli;
using ExamNetWatch.Dashboard.Hosting;

namespace ExamNetWatch.Dashboard.Tests.Cli;

public sealed class AlertsCommandTests
{
    [Fact]
    public async Task ReadAsync_DataDirectoryWithoutADatabase_ListsNothingAndCreatesNothing()
    {
        var dir = Path.Combine(Path.GetTempPath(), "enw-empty-" + Guid.NewGuid().ToString("N"));

        await using var services = CliHost.Build(dir);
        var rows = await AlertsCommand.ReadAsync(services, null, 10, CancellationToken.None);

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

    [Fact]
    public async Task WriteAsync_TitleWithTerminalEscapes_PrintsThemAsTextNotAsCodes()
    {
        var output = new StringWriter();
        // Retitle the window, recolour, clear the screen, a fake second line and a right-to-left override.
        var hostile = "出售\u001b]0;pwned\u0007答案\u001b[31m红\u001b[2J\r\n伪造的一行\u009b1m\u202Egnp.exe";
        var row = new AlertsCommand.AlertRow(8, new DateTime(2026, 6, 20, 1, 2, 3, DateTimeKind.Utc), "high", "new", "某论坛\u001b[0m", hostile, "http://forum.test/t/2");

        await AlertsCommand.WriteAsync(output, [row], json: false);

        var printed = output.ToString();
        Assert.Equal(2, printed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain(printed, c => c is '\u001b' or '\u0007' or '\u009b' or '\u202E' or '\r');
        Assert.Contains(@"出售\x1b]0;pwned\x07答案\x1b[31m红", printed, StringComparison.Ordinal);
        Assert.Contains(@"\u202egnp.exe", printed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("普通标题 plain", "普通标题 plain")]
    [InlineData("a\tb", "a b")]
    [InlineData("\u0000\u007f\u0085", @"\x00\x7f\x85")]
    [InlineData("\u2028x\u2066", @"\u2028x\u2066")]
    public void Clean_ControlCharacters_BecomeVisibleEscapes(string text, string expected) =>
        Assert.Equal(expected, TerminalText.Clean(text));
}
