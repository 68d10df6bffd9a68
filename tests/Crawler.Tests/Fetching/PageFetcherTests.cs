using System.Net;
using ExamNetWatch.Crawler.Fetching;
using ExamNetWatch.Crawler.Sources;
using ExamNetWatch.Crawler.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ExamNetWatch.Crawler.Tests.Fetching;

public sealed class PageFetcherTests
{
    [Fact]
    public async Task FetchAsync_HostAnswers503ThenOk_RetriesAndReturnsThePage()
    {
        var calls = 0;
        await using var server = await LocalServer.StartAsync(app => app.MapGet("/forum.php", () =>
            Interlocked.Increment(ref calls) < 3 ? Results.StatusCode(503) : Results.Content("<p>第三次</p>", "text/html; charset=utf-8")));
        using var services = new CrawlerServices();

        var page = await services.Get<IPageFetcher>().FetchAsync(Request(server, "forum.php"), CancellationToken.None);

        Assert.Equal(200, page.StatusCode);
        Assert.Contains("第三次", page.Html, StringComparison.Ordinal);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task FetchAsync_RedirectLeavesTheScope_RefusedBeforeTheTargetIsAsked()
    {
        var outsideCalls = 0;
        await using var outside = await LocalServer.StartAsync(app => app.MapGet("/secret", () =>
        {
            Interlocked.Increment(ref outsideCalls);
            return "outside";
        }));
        await using var server = await LocalServer.StartAsync(app => app.MapGet("/forum.php", () => Results.Redirect(outside.Url("secret").ToString())));
        using var services = new CrawlerServices();

        var error = await Assert.ThrowsAsync<OutOfScopeException>(() =>
            services.Get<IPageFetcher>().FetchAsync(Request(server, "forum.php"), CancellationToken.None));

        Assert.Equal(outside.Url("secret"), error.Url);
        Assert.Equal(0, outsideCalls);
    }

    [Fact]
    public async Task FetchAsync_RedirectInsideTheScope_IsFollowed()
    {
        await using var server = await LocalServer.StartAsync(app =>
        {
            app.MapGet("/forum.php", (HttpRequest r) => r.Query.ContainsKey("moved")
                ? Results.Content("<p>新地址</p>", "text/html; charset=utf-8")
                : Results.Redirect("/forum.php?moved=1"));
        });
        using var services = new CrawlerServices();

        var page = await services.Get<IPageFetcher>().FetchAsync(Request(server, "forum.php"), CancellationToken.None);

        Assert.Equal("?moved=1", page.Url.Query);
        Assert.Contains("新地址", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_BodyLargerThanTheCap_RefusedWithAClearError()
    {
        await using var server = await LocalServer.StartAsync(app => app.MapGet("/forum.php", () => Results.Text(new string('x', 50_000))));
        using var services = new CrawlerServices(o => o.MaxBodyBytes = 10_000);

        var error = await Assert.ThrowsAsync<PageTooLargeException>(() =>
            services.Get<IPageFetcher>().FetchAsync(Request(server, "forum.php"), CancellationToken.None));

        Assert.Contains("10000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_GbkPageWithCharsetInHeader_DecodesChinese()
    {
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var gbk = System.Text.Encoding.GetEncoding("GBK").GetBytes("<p>出售作弊器</p>");
        await using var server = await LocalServer.StartAsync(app => app.MapGet("/forum.php", () => Results.Bytes(gbk, "text/html; charset=GBK")));
        using var services = new CrawlerServices();

        var page = await services.Get<IPageFetcher>().FetchAsync(Request(server, "forum.php"), CancellationToken.None);

        Assert.Contains("出售作弊器", page.Html, StringComparison.Ordinal);
        Assert.Equal(gbk, page.Body.ToArray());
    }

    [Fact]
    public async Task FetchAsync_SendsTheConfiguredUserAgent()
    {
        string? agent = null;
        await using var server = await LocalServer.StartAsync(app => app.MapGet("/forum.php", (HttpRequest r) =>
        {
            agent = r.Headers.UserAgent.ToString();
            return "ok";
        }));
        using var services = new CrawlerServices(o => o.UserAgent = "ExamNetWatch/test (+contact: ops@example.cn)");

        await services.Get<IPageFetcher>().FetchAsync(Request(server, "forum.php"), CancellationToken.None);

        Assert.Equal("ExamNetWatch/test (+contact: ops@example.cn)", agent);
    }

    [Fact]
    public async Task FetchAsync_UrlOutsideTheScope_NoRequestIsSent()
    {
        var calls = 0;
        await using var server = await LocalServer.StartAsync(app => app.MapGet("/admin.php", () =>
        {
            Interlocked.Increment(ref calls);
            return HttpStatusCode.OK.ToString();
        }));
        using var services = new CrawlerServices();

        await Assert.ThrowsAsync<OutOfScopeException>(() =>
            services.Get<IPageFetcher>().FetchAsync(Request(server, "admin.php"), CancellationToken.None));

        Assert.Equal(0, calls);
    }

    private static FetchRequest Request(LocalServer server, string relative) =>
        new(server.Url(relative), new CrawlScope([server.Url("forum.php")]), new SourcePolicy(AllowPrivateNetwork: true));
}
