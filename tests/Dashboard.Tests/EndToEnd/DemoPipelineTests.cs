using System.Diagnostics;
using System.Text.Json;
using ExamNetWatch.Crawler.Crawling;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Demo;
using ExamNetWatch.Dashboard.Tests.Support;
using ExamNetWatch.Indexer.Indexing;
using ExamNetWatch.Indexer.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamNetWatch.Dashboard.Tests.EndToEnd;

/// <summary>Forum post → crawl (Hangfire) → detection → database, index and alert, as the demo runs it.</summary>
[Collection(DemoServerGroup.Name)]
public sealed class DemoPipelineTests(DemoServerFixture demo)
{
    [Fact]
    public async Task FirstCrawl_SeededForum_AlertsForEveryCheatingPostAndNoneForOrdinaryOnes()
    {
        Assert.True(await demo.WaitForSeedAsync(), "the first crawl did not store the seeded posts within 60 s");
        var forum = demo.Server.Forum!.Content;
        await using var scope = demo.Server.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        var sourceId = await db.Sources.Where(s => s.Name == DemoSetup.SourceName).Select(s => s.Id).SingleAsync();
        var alerted = (await db.Alerts.Select(a => a.PostId).ToListAsync()).ToHashSet();

        var seeded = forum.AllPosts.Take(forum.SeedCount).ToList();
        foreach (var post in seeded)
        {
            var id = CrawledPost.MakeStableId(sourceId, post.ThreadId.ToString(System.Globalization.CultureInfo.InvariantCulture), post.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(post.IsCheating == alerted.Contains(id), $"{id} ({forum.Thread(post.ThreadId)!.Title}): cheating={post.IsCheating}, alerted={alerted.Contains(id)}");
        }

        Assert.Contains(seeded, p => p.IsCheating);
        Assert.Contains(seeded, p => !p.IsCheating);
    }

    [Fact]
    public async Task LiveForum_CheatingPostPublishedWhileRunning_RaisesAnAlert()
    {
        var forum = demo.Server.Forum!.Content;

        var found = await demo.WaitUntilAsync(async db =>
        {
            var live = forum.AllPosts.Skip(forum.SeedCount).Where(p => p.IsCheating).Select(p => p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
            return live.Count > 0 && await db.Alerts.AnyAsync(a => live.Contains(a.Post!.ForumPostId));
        });

        Assert.True(found, "no alert for a cheating post published after start within 60 s");
    }

    [Fact]
    public async Task AlertsList_RunAsASecondProcessWhileTheServerRuns_PrintsTheAlertsAsJson()
    {
        Assert.True(await demo.WaitForSeedAsync());
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "examnetwatch"))
        {
            ArgumentList = { "alerts", "list", "--json", "--data-dir", demo.DataDir },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, stderr);
        var rows = JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToList();
        var row = Assert.Single(rows, r => r.GetProperty("title").GetString() == "2026中考答案出售，考前一天发");
        Assert.Equal(DemoSetup.SourceName, row.GetProperty("source").GetString());
        Assert.Contains(row.GetProperty("severity").GetString(), new[] { "medium", "high", "critical" });
        Assert.Contains("mod=viewthread", row.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.True(row.GetProperty("id").GetInt64() > 0);
        Assert.DoesNotContain(rows, r => r.GetProperty("title").GetString() == "中考倒计时30天，大家数学复习到哪了？");
    }

    [Fact]
    public async Task Index_AfterTheFirstCrawl_FindsAPostByAChineseWord()
    {
        Assert.True(await demo.WaitForSeedAsync());
        var index = demo.Server.App.Services.GetRequiredService<IPostIndex>();

        // The index is fed through the outbox by the indexing worker: give it a moment after the posts are stored.
        SearchResults found = new(0, [], null);
        for (var wait = System.Diagnostics.Stopwatch.StartNew(); wait.Elapsed < TimeSpan.FromSeconds(20) && found.Total == 0; await Task.Delay(100))
        {
            found = await index.SearchAsync(new SearchRequest { Query = "米粒耳机" });
        }

        var hit = Assert.Single(found.Hits);
        Assert.Contains("<mark>米粒耳机</mark>", hit.Snippet, StringComparison.Ordinal);
        Assert.True(await index.CountAsync() >= demo.Server.Forum!.Content.SeedCount);
    }

    [Fact]
    public async Task Crawl_RepeatedEveryTwoSeconds_StoresEachPostOnce()
    {
        Assert.True(await demo.WaitForSeedAsync());
        long after;
        await using (var before = demo.Server.App.Services.CreateAsyncScope())
        {
            after = await before.ServiceProvider.GetRequiredService<WatchDbContext>().CrawlRuns.MaxAsync(r => (long?)r.Id) ?? 0;
        }

        // Two more crawls that read posts already stored (the forum keeps every post on its pages).
        Assert.True(await demo.WaitUntilAsync(async db => await db.CrawlRuns.CountAsync(r => r.Id > after && r.PostsExamined > r.NewPosts) >= 2));
        await using var scope = demo.Server.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();

        var perForumPost = await db.Posts.GroupBy(p => p.ForumPostId).Select(g => g.Count()).ToListAsync();

        Assert.All(perForumPost, count => Assert.Equal(1, count));
        Assert.True(await db.Sources.AnyAsync(s => s.LastCrawlResult != null && s.LastCrawlResult.Contains('页')));
    }
}
