using System.Collections.Concurrent;
using System.Globalization;
using ExamNetWatch.Crawler.Crawling;
using ExamNetWatch.Crawler.Sources;
using ExamNetWatch.Crawler.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ExamNetWatch.Crawler.Tests.Crawling;

/// <summary>
/// A phpBB forum on loopback, entered at its board index: the crawler follows the index into every forum and
/// sub-forum inside the scope, each once, stores no "who is online" box as a post, and names each topic by one address.
/// </summary>
public sealed class BoardIndexCrawlTests
{
    [Fact]
    public async Task CrawlAsync_FromTheBoardIndex_ReadsEveryForumAndSubforumOnce_AndEveryTopicUnderOneAddress()
    {
        await using var forum = await PhpBbForum.StartAsync();
        using var services = new CrawlerServices(o => o.MaxRetries = 1);
        var sink = new ListSink();

        var report = await services.Get<ForumCrawler>().CrawlAsync(forum.Target("board/index.php"), sink, CancellationToken.None);

        // Forums 2 (two board pages, sub-forum 5) and 3: topics 21, 22, 23, 51, 31, each of two pages of two posts.
        Assert.Empty(report.Failures);
        Assert.Empty(report.LimitsReached);
        Assert.Equal(
            [.. new[] { 21, 22, 23, 31, 51 }.SelectMany(t => Enumerable.Range(1, 4).Select(i => FormattableString.Invariant($"s3-t{t}-p{t * 10 + i}")))],
            sink.Posts.Select(p => p.StableId).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(sink.Posts, p => p.Text.Contains("在线", StringComparison.Ordinal));
        Assert.All(sink.Posts, p => Assert.Equal(forum.Url($"board/viewtopic.php?t={p.ThreadId}"), p.ThreadUrl));
        Assert.Contains(sink.Posts, p => p.PageUrl.Query.Contains("start=2", StringComparison.Ordinal));

        // Each board's first page once (the index lists 2 and 5, forum 2 lists 5 again); the board outside the scope is refused.
        Assert.All(new[] { "f=2", "f=3", "f=5" }, f => Assert.Equal(1, forum.Requests.Count(r => r == "/board/viewforum.php?" + f)));
        Assert.Equal("elsewhere.invalid", Assert.Single(report.Refusals).Url.Host);
    }

    [Fact]
    public async Task CrawlAsync_MoreBoardsThanMaxBoards_ReadsTheFirstAndReportsTheBoardsLeftUnread()
    {
        await using var forum = await PhpBbForum.StartAsync();
        using var services = new CrawlerServices(o => o.MaxRetries = 1, crawler: o => o.MaxBoards = 2);
        var sink = new ListSink();

        var report = await services.Get<ForumCrawler>().CrawlAsync(forum.Target("board/index.php"), sink, CancellationToken.None);

        // The index and forum 2; forums 5 and 3 are left, each counted once although forum 2 lists 5 again.
        var limit = Assert.Single(report.LimitsReached);
        Assert.Equal(("Crawler:MaxBoards", 2, 2), (limit.Setting, limit.Value, limit.Times));
        Assert.Equal(forum.Url("board/viewforum.php?f=5"), limit.FirstLeftUnread);
        Assert.Equal(["21", "22", "23"], sink.Posts.Select(p => p.ThreadId).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CrawlAsync_EntryIsALaterPageOfATopic_ReadsTheTopicFromItsFirstPage()
    {
        await using var forum = await PhpBbForum.StartAsync();
        using var services = new CrawlerServices(o => o.MaxRetries = 1);
        var sink = new ListSink();

        await services.Get<ForumCrawler>().CrawlAsync(forum.Target("board/viewtopic.php?t=21&start=2"), sink, CancellationToken.None);

        Assert.Equal(["s3-t21-p211", "s3-t21-p212", "s3-t21-p213", "s3-t21-p214"], sink.Posts.Select(p => p.StableId).Order(StringComparer.Ordinal));
        Assert.Equal([1, 2, 3, 4], sink.Posts.OrderBy(p => p.PostId, StringComparer.Ordinal).Select(p => p.Floor!.Value));
    }

    /// <summary>phpBB 3.3 prosilver markup (index, viewforum, viewtopic), session ids in every link as phpBB writes them.</summary>
    private sealed class PhpBbForum : IAsyncDisposable
    {
        private const string Sid = "&amp;sid=0123456789abcdef0123456789abcdef";
        private readonly LocalServer _server;

        private PhpBbForum(LocalServer server) => _server = server;

        public ConcurrentQueue<string> Requests { get; } = new();

        public static async Task<PhpBbForum> StartAsync()
        {
            PhpBbForum? forum = null;
            var server = await LocalServer.StartAsync(app =>
            {
                app.Use(async (context, next) =>
                {
                    forum!.Requests.Enqueue(context.Request.Path + context.Request.QueryString);
                    await next();
                });
                app.MapGet("/board/index.php", () => Html(Index()));
                app.MapGet("/board/viewforum.php", (HttpRequest r) => Html(Forum(Number(r, "f"), Number(r, "start"))));
                app.MapGet("/board/viewtopic.php", (HttpRequest r) => Html(Topic(Number(r, "t"), Number(r, "start"))));
            });
            forum = new PhpBbForum(server);
            return forum;
        }

        public Uri Url(string relative) => _server.Url(relative);

        public CrawlTarget Target(string entry) =>
            new(3, "phpbb", [Url(entry)], new CrawlScope([Url("board/")]), new SourcePolicy(AllowPrivateNetwork: true));

        public ValueTask DisposeAsync() => _server.DisposeAsync();

        private static int Number(HttpRequest request, string name) => int.TryParse(request.Query[name], CultureInfo.InvariantCulture, out var n) ? n : 0;

        private static string Index() => $"""
            <ul class="topiclist forums">
            <li class="row"><dl class="row-item"><dt><div class="list-inner"><a href="./viewforum.php?f=2{Sid}" class="forumtitle">中考交流</a>
            <br /><strong>子版块：</strong> <a href="./viewforum.php?f=5{Sid}" class="subforum read">中考真题讨论</a></div></dt>
            <dd class="lastpost"><a href="./viewtopic.php?p=212{Sid}#p212" class="lastsubject">最后</a></dd></dl></li>
            <li class="row"><dl class="row-item"><dt><div class="list-inner"><a href="./viewforum.php?f=3{Sid}" class="forumtitle">高考交流</a></div></dt></dl></li>
            <li class="row"><dl class="row-item"><dt><div class="list-inner"><a href="http://elsewhere.invalid/board/viewforum.php?f=7" class="forumtitle">友情论坛</a></div></dt></dl></li>
            </ul>
            <div class="stat-block online-list"><h3>谁在线</h3><p>总计有 12 位在线用户：1 位注册用户和 11 位游客</p></div>
            """;

        private static string Forum(int f, int start)
        {
            var (topics, next) = (f, start) switch
            {
                (2, 0) => (new[] { 21, 22 }, "./viewforum.php?f=2" + Sid + "&amp;start=25"),
                (2, _) => ([23], null),
                (3, _) => ([31], null),
                (5, _) => ([51], null),
                _ => (Array.Empty<int>(), (string?)null),
            };
            var subforum = f == 2 ? $"""<ul class="topiclist forums"><li class="row"><a href="./viewforum.php?f=5{Sid}" class="forumtitle">中考真题讨论</a></li></ul>""" : "";
            var pagination = next is null ? "" : $"""<div class="pagination"><ul><li class="arrow next"><a class="button" href="{next}" rel="next">下一页</a></li></ul></div>""";
            return subforum + pagination + """<ul class="topiclist topics">""" + string.Concat(topics.Select(t =>
                $"""<li class="row"><dl class="row-item"><dt><div class="list-inner"><a href="./viewtopic.php?t={t}{Sid}" class="topictitle">主题{t}</a></div></dt><dd class="posts">3 <dfn>回复</dfn></dd></dl></li>""")) + "</ul>";
        }

        private static string Topic(int t, int start)
        {
            var posts = string.Concat(Enumerable.Range(start + 1, 2).Select(i => (t * 10) + i).Select(p => $"""
                <div id="p{p}" class="post has-profile"><div class="inner"><div class="postbody">
                <p class="author"><a href="./memberlist.php?mode=viewprofile&amp;u=9{Sid}" class="username">作者</a> &raquo; <time datetime="2026-06-10T02:15:00+00:00">2026年 6月 10日 10:15</time></p>
                <div class="content">第 {p} 号帖子</div></div></div></div>
                """));
            var next = start == 0 ? $"""<div class="pagination"><ul><li class="arrow next"><a class="button" href="./viewtopic.php?t={t}{Sid}&amp;start=2" rel="next">下一页</a></li></ul></div>""" : "";
            return $"""<h2 class="topic-title"><a href="./viewtopic.php?t={t}{Sid}">主题{t}</a></h2>{next}{posts}""";
        }

        private static IResult Html(string body) => Results.Content("<!DOCTYPE html><html><body id=\"phpbb\">" + body + "</body></html>", "text/html; charset=utf-8");
    }
}
