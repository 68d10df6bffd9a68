using System.Text.Json;
using ExamNetWatch.Dashboard.Demo;
using Microsoft.Extensions.Logging.Abstractions;

using ExamNetWatch.Dashboard.Tests.Support;

namespace ExamNetWatch.Dashboard.Tests.Cli;

/// <summary><c>scan</c> run as the executable against the Discuz!-style demo forum served locally.</summary>
public sealed class ScanCommandTests : IAsyncLifetime
{
    private DemoForum _forum = null!;

    public async Task InitializeAsync() =>
        _forum = await DemoForum.StartAsync(0, TimeSpan.Zero, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);

    public async Task DisposeAsync() => await _forum.DisposeAsync();

    [Fact]
    public async Task Scan_DiscuzBoard_PrintsEveryPostWithItsVerdictAndASummary()
    {
        var (code, stdout, stderr) = await RunAsync("scan", _forum.BoardUrl.AbsoluteUri, "--authorisation", "演考院〔2026〕1号", "--allow-private-network", "--delay", "0", "--max-pages", "100", "--json");

        Assert.True(code == 0, stderr);
        var posts = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(_forum.Content.SeedCount, posts.Count);
        var offer = posts.Single(p => p.GetProperty("title").GetString() == "作弊器出售");
        Assert.True(offer.GetProperty("detection").GetProperty("alert").GetBoolean());
        Assert.Equal("考试助手", offer.GetProperty("author").GetString());
        // A thread's address is its first page, the same on every post of it, whichever page the post was read from.
        Assert.All(posts, p => Assert.Equal(
            new Uri(_forum.BoardUrl, "forum.php?mod=viewthread&tid=" + p.GetProperty("thread_id").GetString()).AbsoluteUri,
            p.GetProperty("thread_url").GetString()));
        Assert.Contains("#pid", offer.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(JsonValueKind.Null, offer.GetProperty("published").ValueKind);
        // Every post written to be caught alerts, and no other.
        var cheating = _forum.Content.AllPosts.Take(_forum.Content.SeedCount).Count(p => p.IsCheating);
        Assert.Equal(11, cheating);
        Assert.Equal(cheating, posts.Count(p => p.GetProperty("detection").GetProperty("alert").GetBoolean()));
        Assert.Contains("演考院〔2026〕1号", stderr, StringComparison.Ordinal);
        Assert.Contains($"{posts.Count} posts, {cheating} alerts", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_AgainWithTheSameCaptureDir_ResumesAndReadsNothingTwice()
    {
        var folder = Path.Combine(Path.GetTempPath(), "enw-scan-resume-" + Guid.NewGuid().ToString("N"));
        string[] scan = ["scan", _forum.BoardUrl.AbsoluteUri, "--authorisation", "演考院〔2026〕1号", "--allow-private-network", "--delay", "0", "--max-pages", "200", "--json", "--capture-dir", folder];
        try
        {
            var (code, stdout, stderr) = await RunAsync(scan);
            Assert.True(code == 0, stderr);
            Assert.Equal(_forum.Content.SeedCount, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            // The board's history is swept, page by page, and the summary says it is done.
            Assert.Contains("  progress: " + _forum.BoardUrl.AbsoluteUri + " board page 1", stderr, StringComparison.Ordinal);
            Assert.Contains("  sweep: " + _forum.BoardUrl.AbsoluteUri + " done", stderr, StringComparison.Ordinal);

            var (again, secondOut, secondErr) = await RunAsync(scan);

            Assert.True(again == 0, secondErr);
            Assert.Contains("scan: resuming from " + Path.Combine(folder, "scan-state.jsonl"), secondErr, StringComparison.Ordinal);
            Assert.Empty(secondOut.Trim());
            Assert.Contains("0 posts", secondErr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Scan_SinceNotADate_IsRefusedNamingTheFlag()
    {
        var (code, stdout, stderr) = await RunAsync("scan", _forum.BoardUrl.AbsoluteUri, "--authorisation", "REF", "--allow-private-network", "--since", "6/15/2026");

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains("--since '6/15/2026' is not a date like 2026-01-31", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_WithoutAnAuthorisation_RefusesWithAClearMessage()
    {
        var (code, stdout, stderr) = await RunAsync("scan", _forum.BoardUrl.AbsoluteUri, "--allow-private-network");

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains("--authorisation", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_LoopbackWithoutPermission_RefusedBySsrfGuard()
    {
        var (code, stdout, stderr) = await RunAsync("scan", _forum.BoardUrl.AbsoluteUri, "--authorisation", "REF", "--delay", "0");

        Assert.Equal(0, code);
        Assert.Empty(stdout);
        Assert.Contains("refused", stderr, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_BoardLongerThanItsPageLimit_SaysSoAndTheLimitCanBeRaised()
    {
        var boardPages = (_forum.Content.Threads.Count + DemoForumPages.ThreadsPerPage - 1) / DemoForumPages.ThreadsPerPage;
        Assert.True(boardPages >= 2);
        string[] scan = ["scan", _forum.BoardUrl.AbsoluteUri, "--authorisation", "REF", "--allow-private-network", "--delay", "0", "--max-pages", "500", "--json"];

        // From the command line and from the environment, one board page: the rest is named as left unread.
        var (code, stdout, stderr) = await RunAsync([.. scan, "--max-board-pages", "1"]);
        var (envCode, envStdout, envStderr) = await ExamNetWatchProcess.RunAsync(new Dictionary<string, string> { ["Crawler__MaxBoardPages"] = "1" }, scan);

        foreach (var (c, output, summary) in new[] { (code, stdout, stderr), (envCode, envStdout, envStderr) })
        {
            Assert.True(c == 0, summary);
            Assert.InRange(Lines(output), 1, _forum.Content.SeedCount - 1);
            Assert.Contains("1 limits reached", summary, StringComparison.Ordinal);
            Assert.Contains("limit: Crawler:MaxBoardPages = 1 reached; first left unread: " + _forum.BoardUrl.GetLeftPart(UriPartial.Path), summary, StringComparison.Ordinal);
            Assert.Contains("page=2", summary, StringComparison.Ordinal);
            Assert.Contains("raise it with --max-board-pages or Crawler__MaxBoardPages", summary, StringComparison.Ordinal);
        }

        // Raised above the board's length, everything is read and no limit is named.
        var (allCode, all, allSummary) = await RunAsync([.. scan, "--max-board-pages", "50"]);
        Assert.True(allCode == 0, allSummary);
        Assert.Equal(_forum.Content.SeedCount, Lines(all));
        Assert.Contains("0 limits reached", allSummary, StringComparison.Ordinal);

        // A bound out of its range is refused, naming the setting.
        var (badCode, _, badSummary) = await RunAsync([.. scan, "--max-board-pages", "0"]);
        Assert.Equal(2, badCode);
        Assert.Contains("MaxBoardPages", badSummary, StringComparison.Ordinal);

        static int Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
    }

    [Fact]
    public async Task Scan_JudgesWithTheRulesInForceInTheDataDirectory()
    {
        // An analyst adds a term (压轴题, in one ordinary post of the forum) to the rules of a data directory; a scan with
        // that directory reports it, a scan with another directory (the shipped rules) does not.
        var root = Path.Combine(Path.GetTempPath(), "enw-scan-rules-" + Guid.NewGuid().ToString("N"));
        try
        {
            var rules = Path.Combine(root, "rules");
            var data = Path.Combine(root, "data");
            var (exportCode, _, exportErr) = await RunAsync("rules", "export", rules, "--data-dir", data);
            Assert.True(exportCode == 0, exportErr);
            await File.AppendAllTextAsync(Path.Combine(rules, "terms.tsv"), "paper_leak\t压轴题\t0.2\n");
            var (importCode, _, importErr) = await RunAsync("rules", "import", rules, "--data-dir", data, "--by", "研判员", "--reason", "test");
            Assert.True(importCode == 0, importErr);

            string[] scan = ["scan", _forum.BoardUrl.AbsoluteUri, "--authorisation", "REF", "--allow-private-network", "--delay", "0", "--max-pages", "100", "--json"];
            var (code, stdout, stderr) = await RunAsync([.. scan, "--data-dir", data]);
            var (shippedCode, shippedOut, shippedErr) = await RunAsync([.. scan, "--data-dir", Path.Combine(root, "empty")]);

            Assert.True(code == 0, stderr);
            Assert.True(shippedCode == 0, shippedErr);
            Assert.Equal(1, Matching(stdout));
            Assert.Equal(0, Matching(shippedOut));
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }

        static int Matching(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Count(l => JsonDocument.Parse(l).RootElement.GetProperty("detection").GetProperty("matches").EnumerateArray().Any(m => m.GetProperty("term").GetString() == "压轴题"));
    }

    private static Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args) => ExamNetWatchProcess.RunAsync(args);
}
