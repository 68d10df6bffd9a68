using ExamNetWatch.Crawler.Captures;
using ExamNetWatch.Crawler.Crawling;
using ExamNetWatch.Crawler.Sources;
using ExamNetWatch.Crawler.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ExamNetWatch.Crawler.Tests.Crawling;

public sealed class ForumCrawlerTests
{
    [Fact]
    public async Task CrawlAsync_BoardWithPagedThreadsABrokenOneAndAnOutsideLink_ReturnsEveryPostAndReportsFailureAndRefusal()
    {
        await using var forum = await LocalServer.StartAsync(app => app.MapGet("/forum.php", (HttpRequest r) => MiniForum.Page(r)));
        using var services = new CrawlerServices(o => o.MaxRetries = 1);
        var sink = new ListSink();
        var target = new CrawlTarget(7, "mini", [forum.Url("forum.php?mod=forumdisplay&fid=2")], new CrawlScope([forum.Url("forum.php")]), new SourcePolicy(AllowPrivateNetwork: true));

        var report = await services.Get<ForumCrawler>().CrawlAsync(target, sink, CancellationToken.None);

        // Thread 1 has two pages (3 posts), thread 2 one page (1 post); thread 3 answers 500.
        Assert.Equal(["s7-t1-p11", "s7-t1-p12", "s7-t1-p13", "s7-t2-p21"], sink.Posts.Select(p => p.StableId).Order());
        var failure = Assert.Single(report.Failures);
        Assert.Contains("tid=3", failure.Url.Query, StringComparison.Ordinal);
        Assert.Equal(4, report.PostsFound);
        var refusal = Assert.Single(report.Refusals);
        Assert.Equal("elsewhere.invalid", refusal.Url.Host);
        var opening = sink.Posts.Single(p => p.StableId == "s7-t1-p11");
        Assert.Equal("第一楼 出售作弊器", opening.Text);
        Assert.Equal("帖子一", opening.ThreadTitle);
        var capture = services.Get<ICaptureReader>().Read(opening.Capture);
        Assert.Equal("response", capture.Type);
        Assert.Equal(opening.PageUrl.AbsoluteUri, capture.Field("WARC-Target-URI"));
        Assert.Contains("postmessage_11", System.Text.Encoding.UTF8.GetString(WarcReader.SplitHttp(capture.Block).Payload.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CrawlAsync_SamePostOnTwoCrawls_GetsTheSameStableId()
    {
        await using var forum = await LocalServer.StartAsync(app => app.MapGet("/forum.php", (HttpRequest r) => MiniForum.Page(r)));
        using var services = new CrawlerServices(o => o.MaxRetries = 1);
        var target = new CrawlTarget(7, "mini", [forum.Url("forum.php?mod=viewthread&tid=2")], new CrawlScope([forum.Url("forum.php")]), new SourcePolicy(AllowPrivateNetwork: true));
        var first = new ListSink();
        var second = new ListSink();

        await services.Get<ForumCrawler>().CrawlAsync(target, first, CancellationToken.None);
        await services.Get<ForumCrawler>().CrawlAsync(target, second, CancellationToken.None);

        Assert.Equal(first.Posts.Select(p => p.StableId), second.Posts.Select(p => p.StableId));
        Assert.Equal(first.Posts[0].Capture.PayloadSha256, second.Posts[0].Capture.PayloadSha256);
        Assert.NotEqual(first.Posts[0].Capture.RecordId, second.Posts[0].Capture.RecordId);
    }

    [Fact]
    public async Task CrawlAsync_BoundsReached_AreReportedWithTheFirstUrlLeftUnread_NotAsFailures()
    {
        // Eight board pages of one thread each; every thread has three pages.
        await using var forum = await LocalServer.StartAsync(app => app.MapGet("/forum.php", (HttpRequest r) => LongForum.Page(r)));
        using var services = new CrawlerServices(o => o.MaxRetries = 1, crawler: o => (o.MaxBoardPages, o.MaxThreadPages) = (3, 2));
        var target = new CrawlTarget(7, "long", [forum.Url("forum.php?mod=forumdisplay&fid=2")], new CrawlScope([forum.Url("forum.php")]), new SourcePolicy(AllowPrivateNetwork: true));

        var report = await services.Get<ForumCrawler>().CrawlAsync(target, new ListSink(), CancellationToken.None);

        Assert.Empty(report.Failures);
        Assert.Equal(["Crawler:MaxThreadPages", "Crawler:MaxBoardPages"], report.LimitsReached.Select(l => l.Setting));
        var board = report.LimitsReached.Single(l => l.Setting == "Crawler:MaxBoardPages");
        Assert.Equal((3, 1), (board.Value, board.Times));
        Assert.Contains("page=4", board.FirstLeftUnread.Query, StringComparison.Ordinal);
        var thread = report.LimitsReached.Single(l => l.Setting == "Crawler:MaxThreadPages");
        Assert.Equal((2, 3), (thread.Value, thread.Times));
        Assert.Contains("tid=1&page=3", thread.FirstLeftUnread.Query, StringComparison.Ordinal);

        // The whole-crawl page budget is a limit too, not an error.
        using var small = new CrawlerServices(o => o.MaxRetries = 1, crawler: o => o.MaxPages = 4);
        var budget = await small.Get<ForumCrawler>().CrawlAsync(target, new ListSink(), CancellationToken.None);
        Assert.Empty(budget.Failures);
        Assert.Equal(4, budget.PagesFetched);
        Assert.Equal("Crawler:MaxPages", Assert.Single(budget.LimitsReached).Setting);

        // Within every bound, nothing is named.
        using var roomy = new CrawlerServices(o => o.MaxRetries = 1, crawler: o => o.MaxBoardPages = 20);
        var whole = await roomy.Get<ForumCrawler>().CrawlAsync(target, new ListSink(), CancellationToken.None);
        Assert.Empty(whole.LimitsReached);
        Assert.Equal(8 * 3 * 2, whole.PostsFound);
    }

    private static class LongForum
    {
        public static IResult Page(HttpRequest request)
        {
            var page = int.TryParse(request.Query["page"], out var p) ? p : 1;
            if (request.Query["mod"] == "forumdisplay")
            {
                var next = page < 8 ? $"""<div class="pg"><a class="nxt" href="forum.php?mod=forumdisplay&amp;fid=2&amp;page={page + 1}">下一页</a></div>""" : "";
                return Html($"""<a class="s xst" href="forum.php?mod=viewthread&amp;tid={page}">帖子{page}</a>{next}""");
            }

            var tid = int.Parse(request.Query["tid"]!, System.Globalization.CultureInfo.InvariantCulture);
            var more = page < 3 ? $"""<div class="pg"><a class="nxt" href="forum.php?mod=viewthread&amp;tid={tid}&amp;page={page + 1}">下一页</a></div>""" : "";
            var posts = string.Concat(Enumerable.Range(1, 2).Select(i => (tid * 100) + (page * 10) + i).Select(pid =>
                $"<div id=\"post_{pid}\"><div class=\"authi\"><a class=\"xw1\">作者{pid}</a></div><table><tr><td class=\"t_f\" id=\"postmessage_{pid}\">第{pid}楼</td></tr></table></div>"));
            return Html($"<span id=\"thread_subject\">帖子{tid}</span>{posts}{more}");
        }

        private static IResult Html(string body) => Results.Content("<html><body>" + body + "</body></html>", "text/html; charset=utf-8");
    }

    private static class MiniForum
    {
        public static IResult Page(HttpRequest request)
        {
            var tid = request.Query["tid"].ToString();
            var page = request.Query["page"].ToString();
            return (request.Query["mod"].ToString(), tid, page) switch
            {
                ("forumdisplay", _, "" or "1") => Html("""
                    <a class="s xst" href="forum.php?mod=viewthread&amp;tid=1">帖子一</a>
                    <a class="s xst" href="forum.php?mod=viewthread&amp;tid=1">帖子一</a>
                    <div class="pg"><a class="nxt" href="forum.php?mod=forumdisplay&amp;fid=2&amp;page=2">下一页</a></div>
                    """),
                ("forumdisplay", _, "2") => Html("""
                    <a class="s xst" href="forum.php?mod=viewthread&amp;tid=2">帖子二</a>
                    <a class="s xst" href="forum.php?mod=viewthread&amp;tid=3">帖子三</a>
                    <a class="s xst" href="http://elsewhere.invalid/forum.php?mod=viewthread&amp;tid=4">外站</a>
                    """),
                ("viewthread", "1", "" or "1") => Html(Thread("帖子一", (11, "第一楼 出售作弊器"), (12, "第二楼")) + """<div class="pg"><a class="nxt" href="forum.php?mod=viewthread&amp;tid=1&amp;page=2">下一页</a></div>"""),
                ("viewthread", "1", "2") => Html(Thread("帖子一", (13, "第三楼"))),
                ("viewthread", "2", _) => Html(Thread("帖子二", (21, "只有一楼"))),
                _ => Results.StatusCode(500),
            };
        }

        private static string Thread(string title, params (int Pid, string Text)[] posts) =>
            $"<span id=\"thread_subject\">{title}</span>" + string.Concat(posts.Select(p =>
                $"<div id=\"post_{p.Pid}\"><div class=\"authi\"><a class=\"xw1\">作者{p.Pid}</a></div><table><tr><td class=\"t_f\" id=\"postmessage_{p.Pid}\">{p.Text}</td></tr></table></div>"));

        private static IResult Html(string body) => Results.Content("<html><body>" + body + "</body></html>", "text/html; charset=utf-8");
    }
}
