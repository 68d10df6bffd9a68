using System.Collections.Concurrent;
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
        var capture = services.Get<ICaptureStore>().Read(opening.Capture);
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

    private sealed class ListSink : ICrawlSink
    {
        private readonly ConcurrentQueue<CrawledPost> _posts = new();

        public IReadOnlyList<CrawledPost> Posts => [.. _posts];

        public Task AcceptAsync(CrawledPost post, CancellationToken cancellationToken)
        {
            _posts.Enqueue(post);
            return Task.CompletedTask;
        }
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
