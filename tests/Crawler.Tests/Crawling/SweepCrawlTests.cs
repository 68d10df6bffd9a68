using System.Collections.Concurrent;
using System.Globalization;
using ExamNetWatch.Crawler.Crawling;
using ExamNetWatch.Crawler.Sources;
using ExamNetWatch.Crawler.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ExamNetWatch.Crawler.Tests.Crawling;

/// <summary>
/// Sweeps: a first crawl reads a board's whole history (or back to a date), later crawls read the newest pages and
/// carry an unfinished sweep on from where it stopped, and the sweep says where it is.
/// </summary>
public sealed class SweepCrawlTests
{
    [Fact]
    public async Task CrawlAsync_FirstCrawlSweepsEveryBoardPage_LaterCrawlsReadOnlyTheNewestPages()
    {
        var forum = new PagedBoard(pages: 12);
        await using var server = await LocalServer.StartAsync(app => app.MapGet("/forum.php", forum.Page));
        using var services = new CrawlerServices(crawler: o => o.StopAtUnchangedPage = true);
        var state = new MemoryState();
        var store = new ListSink();
        var progress = new List<CrawlProgress>();

        var first = await services.Get<ForumCrawler>().CrawlAsync(PagedBoard.Target(server), store, state, progress.Add, CancellationToken.None);

        // Twelve board pages (beyond the five a crawl used to stop at), one thread each, and nothing left unread.
        Assert.Empty(first.LimitsReached);
        Assert.Equal(12, store.Posts.Count);
        Assert.Equal(Enumerable.Range(1, 12), forum.BoardPagesAsked());
        var sweep = Assert.Single(first.Sweeps);
        Assert.Equal((true, 12, 12, 12, 12), (sweep.SweepDone, sweep.PagesRead, sweep.PagesTotal!.Value, sweep.Threads, sweep.Posts));
        Assert.Equal(Enumerable.Range(1, 12), progress.Select(p => p.Sweep.PagesRead));
        Assert.All(progress.SkipLast(1), p => Assert.NotNull(p.Sweep.Remaining));
        Assert.Equal(TimeSpan.Zero, progress[^1].Sweep.Remaining);

        // A new reply in the thread on page 1: the next crawl reads page 1, that thread, and page 2, which brings nothing.
        forum.Clear();
        forum.Reply(1);
        await services.Get<ForumCrawler>().CrawlAsync(PagedBoard.Target(server), store, state, CancellationToken.None);
        Assert.Equal([1, 2], forum.BoardPagesAsked());
        Assert.Equal([1], forum.ThreadsAsked());

        // Nothing new: the first page only.
        forum.Clear();
        var quiet = await services.Get<ForumCrawler>().CrawlAsync(PagedBoard.Target(server), store, state, CancellationToken.None);
        Assert.Equal([1], forum.BoardPagesAsked());
        Assert.Empty(quiet.Sweeps);
    }

    [Fact]
    public async Task CrawlAsync_SweepCutShortByItsBounds_EachNextCrawlCarriesItOnUntilTheHistoryIsRead()
    {
        var forum = new PagedBoard(pages: 12);
        await using var server = await LocalServer.StartAsync(app => app.MapGet("/forum.php", forum.Page));
        using var services = new CrawlerServices(crawler: o => (o.MaxThreads, o.StopAtUnchangedPage) = (4, true));
        var state = new MemoryState();
        var store = new ListSink();

        var first = await services.Get<ForumCrawler>().CrawlAsync(PagedBoard.Target(server), store, state, CancellationToken.None);
        Assert.Equal("Crawler:MaxThreads", Assert.Single(first.LimitsReached).Setting);
        var cut = Assert.Single(first.Sweeps);
        Assert.Equal((false, 4), (cut.SweepDone, cut.PagesRead));
        Assert.Contains("page=5", cut.SweepNextPageUrl, StringComparison.Ordinal);

        // The next crawl reads the newest page (nothing new there), then goes on at page 5, not at page 2.
        forum.Clear();
        await services.Get<ForumCrawler>().CrawlAsync(PagedBoard.Target(server), store, state, CancellationToken.None);
        Assert.Equal([1, 5, 6, 7, 8], forum.BoardPagesAsked());

        for (var crawl = 0; crawl < 5 && store.Posts.Select(p => p.StableId).Distinct().Count() < 12; crawl++)
        {
            await services.Get<ForumCrawler>().CrawlAsync(PagedBoard.Target(server), store, state, CancellationToken.None);
        }

        Assert.Equal(12, store.Posts.Count);
        Assert.Equal(12, store.Posts.Select(p => p.StableId).Distinct().Count());
        Assert.True((await state.GetBoardAsync(7, PagedBoard.BoardUrl(server).AbsoluteUri, CancellationToken.None))!.SweepDone);
    }

    [Fact]
    public async Task CrawlAsync_SweepCutShort_WithDefaultSettings_NextCrawlsStillCarryItOn()
    {
        // Without StopAtUnchangedPage, later crawls read the board on; an unfinished sweep is still carried on from where
        // it stopped as soon as a page brings nothing new, rather than reading the same first pages every crawl.
        var forum = new PagedBoard(pages: 12);
        await using var server = await LocalServer.StartAsync(app => app.MapGet("/forum.php", forum.Page));
        using var services = new CrawlerServices(crawler: o => o.MaxThreads = 4);
        var state = new MemoryState();
        var store = new ListSink();

        for (var crawl = 0; crawl < 6 && store.Posts.Select(p => p.StableId).Distinct().Count() < 12; crawl++)
        {
            await services.Get<ForumCrawler>().CrawlAsync(PagedBoard.Target(server), store, state, CancellationToken.None);
        }

        Assert.Equal(12, store.Posts.Select(p => p.StableId).Distinct().Count());
        Assert.True((await state.GetBoardAsync(7, PagedBoard.BoardUrl(server).AbsoluteUri, CancellationToken.None))!.SweepDone);

        // Once the history is read, a crawl reads the board on again (every page: nothing is skipped by default).
        forum.Clear();
        await services.Get<ForumCrawler>().CrawlAsync(PagedBoard.Target(server), new ListSink(), state, CancellationToken.None);
        Assert.Equal([1, 2, 3, 4, 5], forum.BoardPagesAsked());
    }

    [Fact]
    public async Task CrawlAsync_StoppedWhileTheNewestPagesStillBroughtNews_NextCrawlCarriesOnPastAnUnchangedFirstPage()
    {
        var forum = new PagedBoard(pages: 12);
        await using var server = await LocalServer.StartAsync(app => app.MapGet("/forum.php", forum.Page));
        using var services = new CrawlerServices(crawler: o => o.StopAtUnchangedPage = true);
        var state = new MemoryState();
        await services.Get<ForumCrawler>().CrawlAsync(PagedBoard.Target(server), new ListSink(), state, CancellationToken.None);

        // Replies on pages 1 and 2; the crawl reads page 1's and is stopped as it reaches page 2's (a killed worker).
        forum.Reply(1);
        forum.Reply(2);
        var stopping = new StoppingSink(stopAtThread: "2");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => services.Get<ForumCrawler>().CrawlAsync(PagedBoard.Target(server), stopping, state, CancellationToken.None));
        Assert.Contains(stopping.Posts, p => p.ThreadId == "1");

        // Page 1 now brings nothing new, but the last crawl had not finished: this one carries on at page 2.
        forum.Clear();
        var next = new ListSink();
        await services.Get<ForumCrawler>().CrawlAsync(PagedBoard.Target(server), next, state, CancellationToken.None);

        Assert.Equal(["s7-t2-p200", "s7-t2-p201"], next.Posts.Select(p => p.StableId).Order(StringComparer.Ordinal));
        Assert.Equal([1, 2, 3], forum.BoardPagesAsked());

        // And then the pass is over: the next crawl reads the first page only.
        forum.Clear();
        await services.Get<ForumCrawler>().CrawlAsync(PagedBoard.Target(server), new ListSink(), state, CancellationToken.None);
        Assert.Equal([1], forum.BoardPagesAsked());
    }

    [Fact]
    public async Task CrawlAsync_Since_ReadsOnlyThreadsActiveSinceThenAndEndsAtTheFirstPageAllOlder()
    {
        // Page p lists a thread last active on 2026-06-(20 - p): pages 1-5 are on or after 06-15, page 6 is older.
        var forum = new PagedBoard(pages: 12);
        await using var server = await LocalServer.StartAsync(app => app.MapGet("/forum.php", forum.Page));
        using var services = new CrawlerServices(crawler: o => o.StopAtUnchangedPage = true);
        var target = PagedBoard.Target(server) with { Since = new DateTimeOffset(2026, 6, 15, 0, 0, 0, TimeSpan.FromHours(8)) };

        var report = await services.Get<ForumCrawler>().CrawlAsync(target, new ListSink(), new MemoryState(), CancellationToken.None);

        Assert.Equal([1, 2, 3, 4, 5], forum.ThreadsAsked());
        Assert.Equal(Enumerable.Range(1, 6), forum.BoardPagesAsked());
        Assert.True(Assert.Single(report.Sweeps).SweepDone);
    }

    /// <summary>Keeps posts until one of <c>stopAtThread</c> arrives, then stops the crawl as a killed worker would.</summary>
    private sealed class StoppingSink(string stopAtThread) : ICrawlSink
    {
        private readonly ConcurrentQueue<CrawledPost> _posts = new();

        public IReadOnlyList<CrawledPost> Posts => [.. _posts];

        public Task AcceptAsync(CrawledPost post, CancellationToken cancellationToken)
        {
            if (post.ThreadId == stopAtThread)
            {
                throw new OperationCanceledException("stopped");
            }

            _posts.Enqueue(post);
            return Task.CompletedTask;
        }
    }

    /// <summary>A Discuz!-style board of N pages, one thread a page (thread p on page p, one post), with dates and a pager.</summary>
    private sealed class PagedBoard(int pages)
    {
        private readonly ConcurrentDictionary<int, int> _replies = new();
        private readonly ConcurrentQueue<(string Mod, int Number)> _requests = new();

        public static Uri BoardUrl(LocalServer server) => server.Url("forum.php?mod=forumdisplay&fid=2");

        public static CrawlTarget Target(LocalServer server) =>
            new(7, "paged", [BoardUrl(server)], new CrawlScope([server.Url("forum.php")]), new SourcePolicy(AllowPrivateNetwork: true));

        public void Reply(int tid) => _replies.AddOrUpdate(tid, 1, (_, n) => n + 1);

        public void Clear() => _requests.Clear();

        public List<int> BoardPagesAsked() => [.. _requests.Where(r => r.Mod == "forumdisplay").Select(r => r.Number)];

        public List<int> ThreadsAsked() => [.. _requests.Where(r => r.Mod == "viewthread").Select(r => r.Number)];

        public IResult Page(HttpRequest request)
        {
            var page = int.TryParse(request.Query["page"], CultureInfo.InvariantCulture, out var p) ? p : 1;
            if (request.Query["mod"] == "forumdisplay")
            {
                _requests.Enqueue(("forumdisplay", page));
                var next = page < pages ? $"""<a class="nxt" href="forum.php?mod=forumdisplay&amp;fid=2&amp;page={page + 1}">下一页</a>""" : "";
                var day = 20 - page;
                return Html($"""
                    <table><tbody id="normalthread_{page}"><tr><th><a class="s xst" href="forum.php?mod=viewthread&amp;tid={page}">帖子{page}</a></th>
                    <td class="by"><cite>作者</cite><em><span>2026-5-1</span></em></td>
                    <td class="num"><a class="xi2">{_replies.GetValueOrDefault(page)}</a><em>9</em></td>
                    <td class="by"><cite>回复者</cite><em><a href="forum.php?mod=redirect&amp;tid={page}&amp;goto=lastpost">2026-6-{day} 10:00</a></em></td></tr></tbody></table>
                    <div class="pg"><strong>{page}</strong><a href="forum.php?mod=forumdisplay&amp;fid=2&amp;page={pages}" class="last">... {pages}</a>{next}</div>
                    """);
            }

            var tid = int.Parse(request.Query["tid"]!, CultureInfo.InvariantCulture);
            _requests.Enqueue(("viewthread", tid));
            var posts = string.Concat(Enumerable.Range(0, 1 + _replies.GetValueOrDefault(tid)).Select(i => (tid * 100) + i).Select(pid =>
                $"<div id=\"post_{pid}\"><table><tr><td class=\"t_f\" id=\"postmessage_{pid}\">第{pid}楼</td></tr></table></div>"));
            return Html($"<span id=\"thread_subject\">帖子{tid}</span>{posts}");
        }

        private static IResult Html(string body) => Results.Content("<html><body>" + body + "</body></html>", "text/html; charset=utf-8");
    }
}
