using System.Collections.Concurrent;
using System.Globalization;
using ExamNetWatch.Crawler.Crawling;
using ExamNetWatch.Crawler.Sources;
using ExamNetWatch.Crawler.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ExamNetWatch.Crawler.Tests.Crawling;

/// <summary>Recrawls read only what changed, and a crawl stopped halfway resumes without losing or repeating posts.</summary>
public sealed class IncrementalCrawlTests
{
    [Fact]
    public async Task CrawlAsync_NothingChanged_SecondCrawlFetchesOnlyTheBoard()
    {
        var forum = new GrowingForum();
        await using var server = await LocalServer.StartAsync(app => app.MapGet("/forum.php", forum.Page));
        using var services = new CrawlerServices();
        var state = new MemoryState();
        await services.Get<ForumCrawler>().CrawlAsync(Target(server), new StoreSink(), state, CancellationToken.None);
        forum.Requests.Clear();

        var report = await services.Get<ForumCrawler>().CrawlAsync(Target(server), new StoreSink(), state, CancellationToken.None);

        Assert.Equal(["forumdisplay"], forum.Requests.Select(r => r.Mod).Distinct());
        Assert.Equal(2, report.ThreadsUnchanged);
        Assert.Equal(0, report.PostsFound);
    }

    [Fact]
    public async Task CrawlAsync_NewReply_RevisitsOnlyThatThreadFromItsLastPage()
    {
        var forum = new GrowingForum();
        await using var server = await LocalServer.StartAsync(app => app.MapGet("/forum.php", forum.Page));
        using var services = new CrawlerServices();
        var state = new MemoryState();
        var store = new StoreSink();
        await services.Get<ForumCrawler>().CrawlAsync(Target(server), store, state, CancellationToken.None);
        forum.Requests.Clear();

        forum.Reply(1, 99, "新回复：有人出作弊器吗");
        await services.Get<ForumCrawler>().CrawlAsync(Target(server), store, state, CancellationToken.None);

        var threadPages = forum.Requests.Where(r => r.Mod == "viewthread").ToList();
        Assert.Equal([("1", "3")], threadPages.Select(r => (r.Tid, r.Page)));
        Assert.Contains("s7-t1-p99", store.Stored.Keys);
        Assert.Equal(forum.PostCount, store.Stored.Count);
    }

    [Fact]
    public async Task CrawlAsync_KilledHalfway_NextCrawlResumesWithoutLosingOrRepeatingPosts()
    {
        var forum = new GrowingForum();
        await using var server = await LocalServer.StartAsync(app => app.MapGet("/forum.php", forum.Page));
        using var services = new CrawlerServices();
        var state = new MemoryState();
        var store = new StoreSink();
        using var kill = new CancellationTokenSource();
        store.AfterEachPost = () =>
        {
            if (store.Stored.Count == 3)
            {
                kill.Cancel();
            }
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => services.Get<ForumCrawler>().CrawlAsync(Target(server), store, state, kill.Token));
        Assert.Equal(3, store.Stored.Count);
        store.AfterEachPost = null;
        await services.Get<ForumCrawler>().CrawlAsync(Target(server), store, state, CancellationToken.None);

        Assert.Equal(forum.PostCount, store.Stored.Count);
        Assert.All(store.Stored.Values, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task CrawlAsync_BoardWithoutReplyCounts_RevisitsAskIfModifiedSince_A304DeliversNothing_AChangedPageIsRead()
    {
        // Without reply counts on the board every crawl looks at each known thread again, conditionally, from its last page.
        var forum = new GrowingForum { HideReplyCounts = true };
        await using var server = await LocalServer.StartAsync(app => app.MapGet("/forum.php", forum.Page));
        using var services = new CrawlerServices();
        var state = new MemoryState();
        var store = new StoreSink();
        await services.Get<ForumCrawler>().CrawlAsync(Target(server), store, state, CancellationToken.None);
        Assert.Equal(forum.PostCount, store.Stored.Count);
        var delivered = store.Deliveries;
        forum.Requests.Clear();
        forum.Conditions.Clear();

        var unchanged = await services.Get<ForumCrawler>().CrawlAsync(Target(server), store, state, CancellationToken.None);

        // Each thread's last page asked with the Last-Modified the server gave; both answered 304 and nothing was delivered.
        Assert.Equal([("1", "3"), ("2", "1")], forum.Requests.Where(r => r.Mod == "viewthread").Select(r => (r.Tid, r.Page)).Order());
        Assert.Equal([("1", GrowingForum.Stamp(1, 0)), ("2", GrowingForum.Stamp(2, 0))], forum.Conditions.Order());
        Assert.Equal(2, forum.NotModifiedAnswers);
        Assert.Equal(0, unchanged.PostsFound);
        Assert.Equal(delivered, store.Deliveries);

        // A new reply changes thread 1's page: it is read, and the reply delivered once.
        // (Its last page, page 3, now holds posts 15 and 16; thread 2 answers 304 again.)
        forum.Reply(1, 16, "新回复：考前有答案吗");
        await services.Get<ForumCrawler>().CrawlAsync(Target(server), store, state, CancellationToken.None);
        Assert.Equal(delivered + 2, store.Deliveries);
        Assert.Equal(3, forum.NotModifiedAnswers);
        Assert.Contains("s7-t1-p16", store.Stored.Keys);
        Assert.Equal(forum.PostCount, store.Stored.Count);
    }

    private static CrawlTarget Target(LocalServer server) =>
        new(7, "growing", [server.Url("forum.php?mod=forumdisplay&fid=2")], new CrawlScope([server.Url("forum.php")]), new SourcePolicy(AllowPrivateNetwork: true));

    /// <summary>A sink that stores each post once by stable id, as the host's database does, and counts deliveries of new posts.</summary>
    private sealed class StoreSink : ICrawlSink
    {
        private int _deliveries;

        public ConcurrentDictionary<string, int> Stored { get; } = new();

        /// <summary>Gets how many posts were handed over, new or not.</summary>
        public int Deliveries => Volatile.Read(ref _deliveries);

        public Action? AfterEachPost { get; set; }

        public Task AcceptAsync(CrawledPost post, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Interlocked.Increment(ref _deliveries);
            if (Stored.TryAdd(post.StableId, 1))
            {
                AfterEachPost?.Invoke();
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>Two threads, 2 posts a page; thread 1 has 5 posts (3 pages), thread 2 has 1.</summary>
    private sealed class GrowingForum
    {
        private const int PerPage = 2;
        private readonly Dictionary<int, List<(int Pid, string Text)>> _threads = new()
        {
            [1] = [(11, "一楼"), (12, "二楼"), (13, "三楼"), (14, "四楼"), (15, "五楼")],
            [2] = [(21, "只有一楼")],
        };

        private readonly Dictionary<int, int> _versions = [];
        private int _notModified;

        public ConcurrentQueue<(string Mod, string Tid, string Page)> Requests { get; } = new();

        /// <summary>Gets the If-Modified-Since values thread pages were asked with, by thread.</summary>
        public ConcurrentQueue<(string Tid, string Since)> Conditions { get; } = new();

        /// <summary>Gets or sets whether the board leaves reply counts out (as some boards and mobile views do).</summary>
        public bool HideReplyCounts { get; init; }

        public int NotModifiedAnswers => Volatile.Read(ref _notModified);

        /// <summary>Gets the Last-Modified of a thread after <paramref name="version"/> replies were added.</summary>
        public static string Stamp(int tid, int version) => new DateTimeOffset(2026, 6, 1, 8, tid, version, TimeSpan.Zero).ToString("R", CultureInfo.InvariantCulture);

        public int PostCount
        {
            get
            {
                lock (_threads)
                {
                    return _threads.Values.Sum(t => t.Count);
                }
            }
        }

        public void Reply(int tid, int pid, string text)
        {
            lock (_threads)
            {
                _threads[tid].Add((pid, text));
                _versions[tid] = _versions.GetValueOrDefault(tid) + 1;
            }
        }

        public IResult Page(HttpRequest request, HttpResponse response)
        {
            var mod = request.Query["mod"].ToString();
            var tid = request.Query["tid"].ToString();
            var page = request.Query["page"].ToString() is { Length: > 0 } p ? p : "1";
            Requests.Enqueue((mod, tid, page));
            lock (_threads)
            {
                if (mod == "forumdisplay")
                {
                    return Html("<table>" + string.Concat(_threads.Select(t =>
                        $"<tbody id=\"normalthread_{t.Key}\"><tr><th><a class=\"s xst\" href=\"forum.php?mod=viewthread&amp;tid={t.Key}\">帖子{t.Key}</a></th>"
                        + (HideReplyCounts ? string.Empty : $"<td class=\"num\"><a class=\"xi2\">{t.Value.Count - 1}</a></td>") + "</tr></tbody>")) + "</table>");
                }

                if (HideReplyCounts)
                {
                    var stamp = Stamp(int.Parse(tid, CultureInfo.InvariantCulture), _versions.GetValueOrDefault(int.Parse(tid, CultureInfo.InvariantCulture)));
                    if (request.Headers.IfModifiedSince.ToString() is { Length: > 0 } since)
                    {
                        Conditions.Enqueue((tid, since));
                        if (since == stamp)
                        {
                            Interlocked.Increment(ref _notModified);
                            return Results.StatusCode(304);
                        }
                    }

                    response.Headers.LastModified = stamp;
                }

                var posts = _threads[int.Parse(tid, CultureInfo.InvariantCulture)];
                var number = int.Parse(page, CultureInfo.InvariantCulture);
                var pages = (posts.Count + PerPage - 1) / PerPage;
                var body = $"<span id=\"thread_subject\">帖子{tid}</span>" + string.Concat(posts.Skip((number - 1) * PerPage).Take(PerPage).Select(x =>
                    $"<div id=\"post_{x.Pid}\"><table><tr><td class=\"t_f\" id=\"postmessage_{x.Pid}\">{x.Text}</td></tr></table></div>"));
                if (number < pages)
                {
                    body += $"<div class=\"pg\"><a class=\"nxt\" href=\"forum.php?mod=viewthread&amp;tid={tid}&amp;page={number + 1}\">下一页</a></div>";
                }

                return Html(body);
            }
        }

        private static IResult Html(string body) => Results.Content("<html><body>" + body + "</body></html>", "text/html; charset=utf-8");
    }
}
