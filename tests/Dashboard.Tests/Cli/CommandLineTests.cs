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
}
