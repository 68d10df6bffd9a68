using System.CommandLine;
using ExamNetWatch.Dashboard.Cli;

namespace ExamNetWatch.Dashboard.Tests.Cli;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData(new[] { "--help" }, "serve")]
    [InlineData(new[] { "serve", "--help" }, "--urls")]
    [InlineData(new[] { "demo", "--help" }, "--forum-port")]
    [InlineData(new[] { "detect", "--help" }, "UTF-16 offsets")]
    [InlineData(new[] { "alerts", "--help" }, "list")]
    [InlineData(new[] { "alerts", "list", "--help" }, "--status")]
    public void Help_EveryVerb_PrintsItsUsageAndSucceeds(string[] args, string expected)
    {
        var output = new StringWriter();

        var exit = CommandLine.Build().Parse(args).Invoke(new InvocationConfiguration { Output = output });

        Assert.Equal(0, exit);
        Assert.Contains(expected, output.ToString(), StringComparison.Ordinal);
        Assert.Contains("--data-dir", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownStatus_IsRejectedWithTheAllowedValues()
    {
        var result = CommandLine.Build().Parse(["alerts", "list", "--status", "archived"]);

        var error = Assert.Single(result.Errors);
        Assert.Contains("acknowledged", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DemoCrawlIntervalOutOfRange_IsRejected() =>
        Assert.NotEmpty(CommandLine.Build().Parse(["demo", "--crawl-seconds", "90"]).Errors);

    [Theory]
    [InlineData("detect", "--input", "{missing}")]
    [InlineData("detect", "--evaluate", "{missing}")]
    [InlineData("detect", "--input", "{folder}")]
    [InlineData("evidence", "verify", "{missing}")]
    public async Task FileThatCannotBeRead_IsNamedWithoutAStackTrace(string verb, string option, string which)
    {
        var folder = Directory.CreateTempSubdirectory("enw-cli-").FullName;
        try
        {
            var missing = Path.Combine(folder, "没有这个文件.jsonl");
            var path = which == "{missing}" ? missing : folder;

            var (code, stdout, stderr) = await Support.ExamNetWatchProcess.RunAsync(verb, option, path, "--data-dir", Path.Combine(folder, "data"));

            Assert.NotEqual(0, code);
            Assert.Contains(path, stdout + stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", stdout + stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
