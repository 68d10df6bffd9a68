using System.Text.Json;
using ExamNetWatch.Dashboard.Cli;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Indexing;
using ExamNetWatch.Dashboard.Ingestion;
using ExamNetWatch.Dashboard.Tests.Support;
using ExamNetWatch.Indexer.Detection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExamNetWatch.Dashboard.Tests.Cli;

/// <summary><c>index status</c>, <c>index rebuild</c> and <c>search</c> run as a user runs them, on a data directory with posts.</summary>
public sealed class SearchAndIndexCommandTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "enw-search-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        using var services = await CliHost.OpenAsync(_dir, CancellationToken.None);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        var source = new Source { Name = "论坛", EntryUrls = "", ScopePrefixes = "", Schedule = "" };
        db.Sources.Add(source);
        await db.SaveChangesAsync();
        var ingestor = new PostIngestor(db, new PostDetector(Lexicon.LoadDefault()), new IndexingSignal(), new AuditLog(TimeProvider.System), TimeProvider.System, NullLogger<PostIngestor>.Instance);
        string[] texts = ["出售2026中考答案，考前一天发，微信 zk2026da", "隐形耳机出售，考场专用，加薇 erji888", "数学复习到哪了？大家加油"];
        for (var i = 0; i < texts.Length; i++)
        {
            var id = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ingestor.AcceptAsync(
                TestPosts.Crawled(source.Id, id, id, texts[i], title: "帖子" + id),
                CancellationToken.None);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task StatusRebuildSearch_ShowBacklogThenIndexEverythingThenFindByWord()
    {
        var before = await ExamNetWatchProcess.RunAsync("index", "status", "--data-dir", _dir);
        Assert.Equal(0, before.Code);
        Assert.Matches(@"documents\s+0", before.Stdout);
        Assert.Matches(@"posts in db\s+3", before.Stdout);
        Assert.Matches(@"backlog\s+3", before.Stdout);

        var rebuild = await ExamNetWatchProcess.RunAsync("index", "rebuild", "--data-dir", _dir);
        Assert.Equal(0, rebuild.Code);
        Assert.Contains("3 posts", rebuild.Stdout, StringComparison.Ordinal);

        var after = await ExamNetWatchProcess.RunAsync("index", "status", "--data-dir", _dir);
        Assert.Matches(@"documents\s+3", after.Stdout);
        Assert.Matches(@"backlog\s+0", after.Stdout);

        var search = await ExamNetWatchProcess.RunAsync("search", "耳机", "--json", "--aggregations", "--data-dir", _dir);
        Assert.Equal(0, search.Code);
        using var json = JsonDocument.Parse(search.Stdout);
        Assert.Equal(1, json.RootElement.GetProperty("total").GetInt64());
        var hit = json.RootElement.GetProperty("hits")[0];
        Assert.Contains("<mark>耳机</mark>", hit.GetProperty("snippet").GetString(), StringComparison.Ordinal);
        Assert.True(hit.GetProperty("alertId").GetInt64() > 0);
        Assert.Equal(1, json.RootElement.GetProperty("aggregations").GetProperty("perSource")[0].GetProperty("count").GetInt64());

        var table = await ExamNetWatchProcess.RunAsync("search", "答案", "--severity", "none", "--data-dir", _dir);
        Assert.Equal(0, table.Code);
        Assert.StartsWith("0 posts match", table.Stdout, StringComparison.Ordinal);

        var alerts = await ExamNetWatchProcess.RunAsync("search", "", "--alerts", "--sort", "newest", "--data-dir", _dir);
        Assert.StartsWith("2 posts match", alerts.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_UnclosedQuote_ExitsWithTheReason()
    {
        var result = await ExamNetWatchProcess.RunAsync("search", "\"中考", "--data-dir", _dir);

        Assert.Equal(2, result.Code);
        Assert.Contains("not closed", result.Stderr, StringComparison.Ordinal);
    }
}
