using System.CommandLine;
using ExamNetWatch.Dashboard.Cli;

namespace ExamNetWatch.Dashboard.Tests.Cli;

public sealed class CommandLineTests
{
    /// <summary>Every command of the tree, by its path (the root is the empty path): all 17 verbs and their sub-verbs.</summary>
    public static TheoryData<string> EveryCommand()
    {
        var paths = new TheoryData<string>();
        void Walk(Command command, string path)
        {
            paths.Add(path);
            foreach (var sub in command.Subcommands)
            {
                Walk(sub, (path + " " + sub.Name).Trim());
            }
        }

        Walk(CommandLine.Build(), string.Empty);
        return paths;
    }

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public void Help_EveryVerb_PrintsItsUsageItsOptionsAndSucceeds(string path)
    {
        var args = path.Length == 0 ? new[] { "--help" } : [.. path.Split(' '), "--help"];
        var command = Find(CommandLine.Build(), path.Length == 0 ? [] : path.Split(' '));
        var output = new StringWriter();

        var exit = CommandLine.Build().Parse(args).Invoke(new InvocationConfiguration { Output = output });

        var help = output.ToString();
        Assert.Equal(0, exit);
        Assert.False(string.IsNullOrWhiteSpace(command.Description), $"'{path}' has no description");
        Assert.Contains(command.Description!.Split('\n')[0].Trim(), help, StringComparison.Ordinal);
        Assert.Contains("--data-dir", help, StringComparison.Ordinal);
        foreach (var option in command.Options.Where(o => !o.Hidden))
        {
            Assert.Contains(option.Name, help, StringComparison.Ordinal);
        }

        foreach (var sub in command.Subcommands.Where(c => !c.Hidden))
        {
            Assert.Contains(sub.Name, help, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Readme_VerbTable_NamesEveryVerbOfTheTree()
    {
        var readme = File.ReadAllText(Path.Combine(Support.Repository.Root, "README.md"));
        var verbs = CommandLine.Build().Subcommands.Select(c => c.Name).ToList();

        Assert.True(verbs.Count >= 17, string.Join(", ", verbs));
        Assert.All(verbs, verb => Assert.Contains("| `" + verb, readme, StringComparison.Ordinal));
    }

    private static Command Find(Command root, string[] path) =>
        path.Aggregate(root, (command, name) => command.Subcommands.Single(c => c.Name == name));

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
