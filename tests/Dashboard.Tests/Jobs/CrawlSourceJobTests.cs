using ExamNetWatch.Crawler;
using ExamNetWatch.Crawler.Crawling;
using ExamNetWatch.Crawler.Fetching;
using ExamNetWatch.Dashboard.Crawling;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Indexing;
using ExamNetWatch.Dashboard.Ingestion;
using ExamNetWatch.Dashboard.Jobs;
using ExamNetWatch.Dashboard.Sources;
using ExamNetWatch.Dashboard.Tests.Support;
using ExamNetWatch.Indexer.Detection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExamNetWatch.Dashboard.Tests.Jobs;

/// <summary>A source's scheduled crawl of a board served locally: what the sources page and the audit log are told.</summary>
[Trait(StoreTrait.Name, StoreTrait.Any)]
public sealed class CrawlSourceJobTests : IAsyncLifetime
{
    private readonly string _captures = Path.Combine(Path.GetTempPath(), "enw-job-captures-" + Guid.NewGuid().ToString("N"));
    private TempDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await TempDatabase.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        if (Directory.Exists(_captures))
        {
            Directory.Delete(_captures, recursive: true);
        }
    }

    [Fact]
    public async Task Crawl_BoardLongerThanItsLimitAndManyLinksOutOfScope_SourceSaysWhatWasLeftAndTheAuditHoldsOneSummary()
    {
        // A board of three pages under /bbs/, each linking one thread there and 25 under /other/ (not authorised).
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapGet("/bbs/forum.php", (HttpRequest r) => r.Query["mod"] == "forumdisplay"
            ? Html(string.Concat(Enumerable.Range(1, 25).Select(i => $"""<a class="s xst" href="/other/forum.php?mod=viewthread&amp;tid={i + 100}">别处{i}</a>"""))
                + $"""<a class="s xst" href="/bbs/forum.php?mod=viewthread&amp;tid={r.Query["page"]}1">本版</a>"""
                + (r.Query["page"] == "3" ? "" : $"""<div class="pg"><a class="nxt" href="/bbs/forum.php?mod=forumdisplay&amp;fid=2&amp;page={int.Parse(r.Query["page"].FirstOrDefault() ?? "1", System.Globalization.CultureInfo.InvariantCulture) + 1}">下一页</a></div>"""))
            : Html("""<span id="thread_subject">复习计划</span><div id="post_7"><div class="authi"><a class="xw1">同学</a></div><table><tr><td class="t_f" id="postmessage_7">每天一套卷子</td></tr></table></div>"""));
        await app.StartAsync();
        var root = new Uri(app.Urls.First());

        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        await using var db = _database.NewContext();
        var audit = new AuditLog(TimeProvider.System);
        var source = await new SourceRegistry(db, audit, TimeProvider.System).AddAsync(
            TestSources.Registration(now) with
            {
                EntryUrls = [new Uri(root, "/bbs/forum.php?mod=forumdisplay&fid=2&page=1").AbsoluteUri],
                ScopePrefixes = [new Uri(root, "/bbs/").AbsoluteUri],
                AllowPrivateNetwork = true,
                MinDelaySeconds = 0,
            },
            CancellationToken.None);

        await using var services = CrawlerWith(new() { ["Crawler:MaxBoardPages"] = "2" });
        using var signal = new IndexingSignal();
        var ingestor = new PostIngestor(db, new PostDetector(Lexicon.LoadDefault()), signal, audit, TimeProvider.System, NullLogger<PostIngestor>.Instance);
        var hangfire = new FakeHangfire();
        var job = new SourceCrawl(db, services.GetRequiredService<ForumCrawler>(), ingestor, new DbCrawlState(db), new HangfireCrawlJobs(hangfire, hangfire), audit, _database.NewLeases(TimeProvider.System), TimeProvider.System, NullLogger<SourceCrawl>.Instance);

        await job.RunAsync(source.Id, CancellationToken.None);

        // Two board pages read, the third named; two threads read; 50 links refused, in one audit entry.
        var shown = (await db.Sources.AsNoTracking().SingleAsync(s => s.Id == source.Id)).LastCrawlResult!;
        Assert.Contains("拒绝 50", shown, StringComparison.Ordinal);
        Assert.Contains("已达上限，未抓完：版块只读了前 2 页（Crawler:MaxBoardPages）", shown, StringComparison.Ordinal);
        Assert.Equal(2, await db.Posts.CountAsync());
        // The first crawl is a sweep of the board's history; where it stopped is kept for the next crawl and shown.
        Assert.Contains("历史扫描未完（1 个版块，已读 2 页）", shown, StringComparison.Ordinal);
        var sweep = await db.CrawlBoards.AsNoTracking().SingleAsync(b => b.SourceId == source.Id);
        Assert.Equal((false, 2), (sweep.SweepDone, sweep.PagesRead));
        Assert.EndsWith("page=3", sweep.SweepNextPageUrl, StringComparison.Ordinal);
        // … and goes on at once, not at the next scheduled crawl.
        Assert.Equal(nameof(CrawlSourceJob.RunAsync), Assert.Single(hangfire.Queued).Method.Name);
        Assert.Contains("已排队接着扫描", shown, StringComparison.Ordinal);
        var summary = Assert.Single(await db.Audit.Where(a => a.Action.StartsWith("crawl.refused")).ToListAsync());
        Assert.Equal("crawl.refused-urls", summary.Action);
        Assert.StartsWith("50 个链接未抓取（outside the source's authorised scope ×50）；前 10 个：" + new Uri(root, "/other/forum.php?mod=viewthread&tid=101").AbsoluteUri, summary.Detail, StringComparison.Ordinal);

        static IResult Html(string body) => Results.Content("<html><body>" + body + "</body></html>", "text/html; charset=utf-8");
    }

    [Theory]
    [InlineData("expired", "授权有效期已于")]
    [InlineData("revoked", "撤销")]
    [InlineData("disabled", "已停用")]
    [InlineData("not-yet-valid", "起生效")]
    public async Task Crawl_OfASourceWithoutAnAuthorisationInForce_SendsNoRequest_IsAuditedAndUnscheduled(string state, string shownReason)
    {
        var requests = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.Run(context =>
        {
            Interlocked.Increment(ref requests);
            return context.Response.WriteAsync("<html><body>论坛</body></html>");
        });
        await app.StartAsync();
        var root = new Uri(app.Urls.First());

        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        await using var db = _database.NewContext();
        var audit = new AuditLog(TimeProvider.System);
        var registry = new SourceRegistry(db, audit, TimeProvider.System);
        var registration = TestSources.Registration(now) with
        {
            EntryUrls = [new Uri(root, "/forum.php?mod=forumdisplay&fid=2").AbsoluteUri],
            ScopePrefixes = [new Uri(root, "/").AbsoluteUri],
            AllowPrivateNetwork = true,
            MinDelaySeconds = 0,
        };
        var source = await registry.AddAsync(state == "not-yet-valid" ? registration with { ValidFromUtc = now.AddDays(2), ValidUntilUtc = now.AddDays(30) } : registration, CancellationToken.None);
        // The crawl runs 61 days on for "expired" (the authorisation ends after 60).
        var crawlTime = state == "expired" ? new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(now.AddDays(61), TimeSpan.Zero)) : TimeProvider.System;
        if (state == "revoked")
        {
            Assert.NotNull(await registry.RevokeAsync(source.Id, source.Authorisations.Single().Id, "王老师", "授权单位撤回", null, CancellationToken.None));
        }
        else if (state == "disabled")
        {
            Assert.NotNull(await registry.DisableAsync(source.Name, "王老师", "停止检查", CancellationToken.None));
        }

        var hangfire = new FakeHangfire();
        var jobs = new HangfireCrawlJobs(hangfire, hangfire);
        jobs.Schedule(source.Id, "*/10 * * * *");
        await using var services = CrawlerWith([]);
        using var signal = new IndexingSignal();
        var ingestor = new PostIngestor(db, new PostDetector(Lexicon.LoadDefault()), signal, audit, crawlTime, NullLogger<PostIngestor>.Instance);
        var job = new SourceCrawl(db, services.GetRequiredService<ForumCrawler>(), ingestor, new DbCrawlState(db), jobs, audit, _database.NewLeases(crawlTime), crawlTime, NullLogger<SourceCrawl>.Instance);

        await job.RunAsync(source.Id, CancellationToken.None);

        // Not one request (not even robots.txt), the refusal in the audit log and on the sources page, the schedule gone.
        Assert.Equal(0, requests);
        var refusal = Assert.Single(await db.Audit.AsNoTracking().Where(a => a.Action == "crawl.refused").ToListAsync());
        Assert.Equal($"source:{source.Id}", refusal.Target);
        Assert.Contains(shownReason, refusal.Detail, StringComparison.Ordinal);
        var shown = (await db.Sources.AsNoTracking().SingleAsync(s => s.Id == source.Id)).LastCrawlResult!;
        Assert.StartsWith("未抓取：", shown, StringComparison.Ordinal);
        Assert.Contains(shownReason, shown, StringComparison.Ordinal);
        Assert.Empty(hangfire.Recurring);
        Assert.Empty(hangfire.Queued);
        Assert.Equal(0, await db.CrawlRuns.CountAsync());
    }

    [Fact]
    public async Task Crawl_StoppedInsideAThread_NextCrawlResumesFromTheDatabaseState_EveryPostStoredOnce()
    {
        // A board of two threads: thread 1 has three pages of two posts, thread 2 one page. The first crawl is stopped
        // while it reads page 3 of thread 1, as a killed worker would be.
        var requests = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapGet("/bbs/forum.php", (HttpRequest r) =>
        {
            if (r.Query["mod"] == "forumdisplay")
            {
                return Html("""<table><tbody id="normalthread_1"><tr><th><a class="s xst" href="forum.php?mod=viewthread&amp;tid=1">长帖</a></th><td class="num"><a class="xi2">5</a></td></tr></tbody>"""
                    + """<tbody id="normalthread_2"><tr><th><a class="s xst" href="forum.php?mod=viewthread&amp;tid=2">短帖</a></th><td class="num"><a class="xi2">0</a></td></tr></tbody></table>""");
            }

            var tid = int.Parse(r.Query["tid"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
            var page = r.Query["page"].ToString() is { Length: > 0 } p ? int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) : 1;
            requests.Enqueue($"t{tid}p{page}");
            if (tid == 1 && page == 3 && !stop.IsCancellationRequested)
            {
                stop.Cancel();
            }

            var pages = tid == 1 ? 3 : 1;
            var posts = tid == 1 ? new[] { (page * 2) - 1, page * 2 } : [1];
            return Html($"<span id=\"thread_subject\">帖子{tid}</span>" + string.Concat(posts.Select(n =>
                $"<div id=\"post_{(tid * 100) + n}\"><div class=\"authi\"><a class=\"xw1\">同学{n}</a></div><table><tr><td class=\"t_f\" id=\"postmessage_{(tid * 100) + n}\">第{n}楼：复习资料分享</td></tr></table></div>"))
                + (page < pages ? $"<div class=\"pg\"><a class=\"nxt\" href=\"forum.php?mod=viewthread&amp;tid={tid}&amp;page={page + 1}\">下一页</a></div>" : string.Empty));
        });
        await app.StartAsync();
        var root = new Uri(app.Urls.First());

        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        int sourceId;
        await using (var db = _database.NewContext())
        {
            sourceId = (await new SourceRegistry(db, new AuditLog(TimeProvider.System), TimeProvider.System).AddAsync(
                TestSources.Registration(now) with
                {
                    EntryUrls = [new Uri(root, "/bbs/forum.php?mod=forumdisplay&fid=2").AbsoluteUri],
                    ScopePrefixes = [new Uri(root, "/bbs/").AbsoluteUri],
                    AllowPrivateNetwork = true,
                    MinDelaySeconds = 0,
                },
                CancellationToken.None)).Id;
        }

        await using var services = CrawlerWith([]);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunCrawlAsync(services, sourceId, stop.Token));
        var firstCrawl = requests.ToArray();
        await using (var db = _database.NewContext())
        {
            // Pages 1 and 2 of thread 1 were stored; page 3's posts were not delivered.
            Assert.Equal(["1#101", "1#102", "1#103", "1#104"], (await db.Posts.AsNoTracking().Select(p => p.ThreadId + "#" + p.ForumPostId).ToListAsync()).Order(StringComparer.Ordinal));
        }

        // The next crawl, with a new database context as a new worker would have, reads on from the last page stored.
        requests.Clear();
        await RunCrawlAsync(services, sourceId, CancellationToken.None);

        Assert.Equal(["t1p1", "t1p2", "t1p3"], firstCrawl);
        Assert.Equal(["t1p2", "t1p3", "t2p1"], requests.ToArray());
        await using (var db = _database.NewContext())
        {
            var stored = await db.Posts.AsNoTracking().Select(p => p.ThreadId + "#" + p.ForumPostId).ToListAsync();
            Assert.Equal(["1#101", "1#102", "1#103", "1#104", "1#105", "1#106", "2#201"], stored.Order(StringComparer.Ordinal));
        }

        // A third crawl finds both threads unchanged on the board and reads no thread page.
        requests.Clear();
        await RunCrawlAsync(services, sourceId, CancellationToken.None);
        Assert.Empty(requests);

        static IResult Html(string body) => Results.Content("<html><body>" + body + "</body></html>", "text/html; charset=utf-8");
    }

    private async Task RunCrawlAsync(ServiceProvider services, int sourceId, CancellationToken cancellationToken)
    {
        await using var db = _database.NewContext();
        var audit = new AuditLog(TimeProvider.System);
        using var signal = new IndexingSignal();
        var ingestor = new PostIngestor(db, new PostDetector(Lexicon.LoadDefault()), signal, audit, TimeProvider.System, NullLogger<PostIngestor>.Instance);
        var hangfire = new FakeHangfire();
        var job = new SourceCrawl(db, services.GetRequiredService<ForumCrawler>(), ingestor, new DbCrawlState(db), new HangfireCrawlJobs(hangfire, hangfire), audit, _database.NewLeases(TimeProvider.System), TimeProvider.System, NullLogger<SourceCrawl>.Instance);
        await job.RunAsync(sourceId, cancellationToken);
    }

    private ServiceProvider CrawlerWith(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddCrawler(_captures);
        services.Configure<FetcherOptions>(o => o.PerHostDelay = TimeSpan.Zero);
        return services.BuildServiceProvider();
    }
}
