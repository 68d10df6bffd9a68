using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using ExamNetWatch.Crawler.Crawling;
using ExamNetWatch.Crawler.Sources;
using ExamNetWatch.Crawler.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ExamNetWatch.Crawler.Tests.Crawling;

/// <summary>
/// One board whose threads each misbehave in one way. The crawl must finish, find every post that was reachable,
/// retry as configured, and report each fault.
/// </summary>
public sealed class FaultMatrixTests
{
    // One retry more than the worst fault needs (a burst of two 500s), and attempts given far more time than a healthy
    // request takes on a loaded machine, so only the faults themselves use up attempts.
    private const int Retries = 3;

    static FaultMatrixTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [Fact]
    public async Task CrawlAsync_BoardOfMisbehavingThreads_FindsEveryReachablePostAndReportsEachFault()
    {
        var forum = new FaultyForum();
        await using var outside = await LocalServer.StartAsync(app => app.MapGet("/forum.php", () => "outside"));
        forum.Outside = outside.Url("forum.php?mod=viewthread&tid=99");
        await using var server = await LocalServer.StartAsync(app =>
        {
            app.MapGet("/robots.txt", () => "User-agent: *\nDisallow: /forum.php?mod=viewthread&tid=9\n");
            app.MapGet("/forum.php", forum.HandleAsync);
        });
        using var services = new CrawlerServices(o =>
        {
            o.MaxRetries = Retries;
            o.AttemptTimeout = TimeSpan.FromSeconds(5);
            o.MaxBodyBytes = 10 * 1024 * 1024;
            o.MaxRedirects = 5;
            // Every fault here comes from one host; keep the breaker from closing it halfway through the matrix.
            o.BreakerMinimumThroughput = 1000;
        });
        var sink = new Sink();
        var target = new CrawlTarget(1, "faulty", [server.Url("forum.php?mod=forumdisplay&fid=2")], new CrawlScope([server.Url("forum.php")]), new SourcePolicy(AllowPrivateNetwork: true));

        var report = await services.Get<ForumCrawler>().CrawlAsync(target, sink, CancellationToken.None);

        // Reachable after retries or despite their form: 500 burst, 429 + Retry-After, slow, reset, truncated, GBK, malformed.
        Assert.Equal(["101", "201", "301", "401", "501", "1001", "1101"], sink.Posts.Keys.OrderBy(k => int.Parse(k, CultureInfo.InvariantCulture)));
        Assert.Equal("出售作弊器", sink.Posts["1001"]);
        Assert.Contains("乱七八糟", sink.Posts["1101"], StringComparison.Ordinal);

        string FailureOf(int tid) => Assert.Single(report.Failures, f => f.Url.Query.Contains($"tid={tid}", StringComparison.Ordinal)).Reason;
        Assert.Contains("cap", FailureOf(6), StringComparison.Ordinal);
        Assert.Contains("redirects", FailureOf(7), StringComparison.Ordinal);
        Assert.Contains("500", FailureOf(12), StringComparison.Ordinal);
        Assert.Contains("Kept raw", FailureOf(13), StringComparison.Ordinal);
        Assert.Contains(report.Refusals, r => r.Url == forum.Outside);
        Assert.Contains(report.Refusals, r => r.Url.Query.Contains("tid=9", StringComparison.Ordinal) && r.Reason.Contains("robots.txt", StringComparison.Ordinal));
        Assert.Equal(6, report.Failures.Count + report.Refusals.Count);

        // Retries as configured: a thread that always fails is asked 1 + Retries times; robots-refused never.
        Assert.Equal(1 + Retries, forum.Calls(12));
        Assert.Equal(0, forum.Calls(9));
        // Retries stop at the first success: the burst of two 500s costs two attempts, the third brings the page.
        Assert.Equal(3, forum.Calls(1));
        Assert.Equal(2, forum.Calls(2));
    }

    private sealed class Sink : ICrawlSink
    {
        public ConcurrentDictionary<string, string> Posts { get; } = new();

        public Task AcceptAsync(CrawledPost post, CancellationToken cancellationToken)
        {
            Posts[post.PostId] = post.Text;
            return Task.CompletedTask;
        }
    }

    private sealed class FaultyForum
    {
        private static readonly int[] Threads = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
        private readonly ConcurrentDictionary<int, int> _calls = new();

        public Uri Outside { get; set; } = null!;

        public int Calls(int tid) => _calls.GetValueOrDefault(tid);

        public async Task HandleAsync(HttpContext context)
        {
            var query = context.Request.Query;
            if (query["mod"] == "forumdisplay")
            {
                await Html(context, "<table>" + string.Concat(Threads.Select(t =>
                    $"<tbody id=\"normalthread_{t}\"><tr><th><a class=\"s xst\" href=\"forum.php?mod=viewthread&amp;tid={t}\">故障{t}</a></th></tr></tbody>")) + "</table>");
                return;
            }

            var tid = int.Parse(query["tid"]!, CultureInfo.InvariantCulture);
            var call = _calls.AddOrUpdate(tid, 1, (_, n) => n + 1);
            var post = Post(tid, "正常帖子");
            switch (tid)
            {
                case 1 when call <= 2: // 500 burst
                case 12: // always failing
                    context.Response.StatusCode = 500;
                    return;
                case 2 when call == 1:
                    context.Response.StatusCode = 429;
                    context.Response.Headers.RetryAfter = "1";
                    return;
                case 3 when call == 1: // slower than the attempt timeout
                    await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                    return;
                case 4 when call == 1: // connection reset
                    context.Abort();
                    return;
                case 5 when call == 1: // truncated body
                    context.Response.ContentLength = 5000;
                    await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(post[..40]));
                    await context.Response.Body.FlushAsync();
                    context.Abort();
                    return;
                case 6: // 30 MB
                    context.Response.ContentType = "text/html";
                    context.Response.ContentLength = 30 * 1024 * 1024;
                    await context.Response.Body.WriteAsync(new byte[30 * 1024 * 1024]);
                    return;
                case 7: // redirect loop
                    context.Response.Redirect("forum.php?mod=viewthread&tid=7&loop=" + call);
                    return;
                case 8:
                    context.Response.Redirect(Outside.AbsoluteUri);
                    return;
                case 10: // GBK declared only in <meta>
                    context.Response.ContentType = "text/html";
                    await context.Response.Body.WriteAsync(Encoding.GetEncoding("GBK").GetBytes("<html><head><meta charset=\"gbk\"></head><body>" + Post(10, "出售作弊器") + "</body></html>"));
                    return;
                case 11:
                    await Html(context, "<div><table><tr><td class=\"t_f\" id=\"postmessage_1101\">乱七八糟<b><i>没有闭合</div></td><p><p></table>");
                    return;
                case 13:
                    await Html(context, "<p>系统维护中，请稍后再来</p>");
                    return;
                default:
                    await Html(context, post);
                    return;
            }
        }

        private static string Post(int tid, string text) =>
            $"<span id=\"thread_subject\">故障{tid}</span><table><tr><td class=\"t_f\" id=\"postmessage_{tid}01\">{text}</td></tr></table>";

        private static Task Html(HttpContext context, string body)
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.WriteAsync("<html><body>" + body + "</body></html>");
        }
    }
}
