using System.Collections.Concurrent;
using ExamNetWatch.Crawler.Fetching;
using ExamNetWatch.Crawler.Sources;
using ExamNetWatch.Crawler.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace ExamNetWatch.Crawler.Tests.Fetching;

/// <summary>What the fetcher refuses or waits for: SSRF guard, robots.txt, Retry-After, conditional GET, circuit breaker.</summary>
public sealed class FetcherPolicyTests
{
    [Fact]
    public async Task FetchAsync_LoopbackHostWithoutPrivateNetworkAllowed_RefusedAndNothingSent()
    {
        var calls = 0;
        await using var server = await LocalServer.StartAsync(app => app.MapGet("/forum.php", () => Interlocked.Increment(ref calls).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var services = new CrawlerServices();

        var error = await Assert.ThrowsAsync<NetworkRefusedException>(() => services.Get<IPageFetcher>().FetchAsync(
            new FetchRequest(server.Url("forum.php"), new CrawlScope([server.Url("forum.php")]), SourcePolicy.Default), CancellationToken.None));

        Assert.Contains("127.0.0.1", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task FetchAsync_RobotsDisallowsThePage_RefusedUnlessTheSourceOverrides()
    {
        var threadCalls = 0;
        await using var server = await LocalServer.StartAsync(app =>
        {
            app.MapGet("/robots.txt", () => "User-agent: *\nDisallow: /forum.php?mod=viewthread&tid=9\n");
            app.MapGet("/forum.php", () =>
            {
                Interlocked.Increment(ref threadCalls);
                return Results.Content("<p>帖子</p>", "text/html; charset=utf-8");
            });
        });
        using var services = new CrawlerServices();
        var scope = new CrawlScope([server.Url("forum.php")]);

        await Assert.ThrowsAsync<RobotsRefusedException>(() => services.Get<IPageFetcher>().FetchAsync(
            new FetchRequest(server.Url("forum.php?mod=viewthread&tid=9"), scope, new SourcePolicy(AllowPrivateNetwork: true)), CancellationToken.None));
        Assert.Equal(0, threadCalls);

        var allowed = await services.Get<IPageFetcher>().FetchAsync(
            new FetchRequest(server.Url("forum.php?mod=viewthread&tid=8"), scope, new SourcePolicy(AllowPrivateNetwork: true)), CancellationToken.None);
        var overridden = await services.Get<IPageFetcher>().FetchAsync(
            new FetchRequest(server.Url("forum.php?mod=viewthread&tid=9"), scope, new SourcePolicy(AllowPrivateNetwork: true, IgnoreRobots: true)), CancellationToken.None);

        Assert.Equal(200, allowed.StatusCode);
        Assert.Equal(200, overridden.StatusCode);
        Assert.Equal(2, threadCalls);
    }

    [Fact]
    public async Task FetchAsync_HostAnswers429WithRetryAfter_WaitsThatLongBeforeAskingAgain()
    {
        var time = new WatchedFakeTime(new DateTimeOffset(2026, 6, 20, 8, 0, 0, TimeSpan.Zero));
        var calls = 0;
        await using var server = await LocalServer.StartAsync(app => app.MapGet("/forum.php", (HttpResponse response) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                response.Headers.RetryAfter = "30";
                return Results.StatusCode(429);
            }

            return Results.Content("<p>好了</p>", "text/html; charset=utf-8");
        }));
        using var services = new CrawlerServices(time: time);

        var fetch = services.Get<IPageFetcher>().FetchAsync(Request(server), CancellationToken.None);
        await WaitForAsync(() => Volatile.Read(ref calls) == 1);
        // The client has read the 429 and scheduled its 30 s wait: only now does moving the clock mean "29 s later".
        await time.UntilScheduledAsync(TimeSpan.FromSeconds(29));
        time.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(200);
        Assert.Equal(1, Volatile.Read(ref calls));
        Assert.False(fetch.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        var page = await fetch.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(200, page.StatusCode);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task FetchAsync_RetryAfterLongerThanTheCap_GivesUpWithThe429()
    {
        var calls = 0;
        await using var server = await LocalServer.StartAsync(app => app.MapGet("/forum.php", (HttpResponse response) =>
        {
            Interlocked.Increment(ref calls);
            response.Headers.RetryAfter = "86400";
            return Results.StatusCode(429);
        }));
        using var services = new CrawlerServices();

        var page = await services.Get<IPageFetcher>().FetchAsync(Request(server), CancellationToken.None);

        Assert.Equal(429, page.StatusCode);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task FetchAsync_KnownETag_SendsIfNoneMatchAndGets304()
    {
        string? sent = null;
        await using var server = await LocalServer.StartAsync(app => app.MapGet("/forum.php", (HttpRequest request, HttpResponse response) =>
        {
            sent = request.Headers.IfNoneMatch.ToString();
            if (sent == "\"v1\"")
            {
                return Results.StatusCode(304);
            }

            response.Headers.ETag = "\"v1\"";
            return Results.Content("<p>一</p>", "text/html; charset=utf-8");
        }));
        using var services = new CrawlerServices();
        var fetcher = services.Get<IPageFetcher>();

        var first = await fetcher.FetchAsync(Request(server), CancellationToken.None);
        var etag = first.ResponseHeaders.Single(h => h.StartsWith("ETag:", StringComparison.OrdinalIgnoreCase))["ETag:".Length..].Trim();
        var second = await fetcher.FetchAsync(Request(server) with { ETag = etag }, CancellationToken.None);

        Assert.Equal(200, first.StatusCode);
        Assert.Equal(304, second.StatusCode);
        Assert.Equal("\"v1\"", sent);
    }

    [Fact]
    public async Task FetchAsync_HostKeepsFailing_CircuitOpensAndTheHostIsLeftAlone()
    {
        var calls = 0;
        await using var server = await LocalServer.StartAsync(app => app.MapGet("/forum.php", () =>
        {
            Interlocked.Increment(ref calls);
            return Results.StatusCode(500);
        }));
        using var services = new CrawlerServices(o =>
        {
            o.MaxRetries = 1;
            o.BreakerMinimumThroughput = 4;
        });
        var fetcher = services.Get<IPageFetcher>();

        Exception? last = null;
        for (var i = 0; i < 10; i++)
        {
            try
            {
                await fetcher.FetchAsync(Request(server), CancellationToken.None);
            }
            catch (Polly.CircuitBreaker.BrokenCircuitException ex)
            {
                last = ex;
            }
        }

        Assert.IsType<Polly.CircuitBreaker.BrokenCircuitException>(last, exactMatch: false);
        // Four outcomes (robots.txt and three failed attempts) open the circuit; the remaining fetches send nothing.
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task FetchAsync_PageFetched_RecordsTheRequestAndTheAddressConnectedTo()
    {
        await using var server = await LocalServer.StartAsync(app => app.MapGet("/forum.php", () => Results.Content("<p>x</p>", "text/html; charset=utf-8")));
        using var services = new CrawlerServices(o => o.UserAgent = "ExamNetWatch/test");

        var page = await services.Get<IPageFetcher>().FetchAsync(Request(server), CancellationToken.None);

        Assert.Equal("127.0.0.1", page.RemoteAddress);
        Assert.StartsWith("GET /forum.php HTTP/1.1\r\nHost: 127.0.0.1:", page.RequestHead, StringComparison.Ordinal);
        Assert.Contains("User-Agent: ExamNetWatch/test", page.RequestHead, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200", page.StatusLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_GzipCompressedPage_IsDecodedAndCapturedDecoded()
    {
        using var compressed = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            await gzip.WriteAsync(System.Text.Encoding.UTF8.GetBytes("<p>压缩的帖子</p>"));
        }

        await using var server = await LocalServer.StartAsync(app => app.MapGet("/forum.php", (HttpResponse response) =>
        {
            response.Headers.ContentEncoding = "gzip";
            return Results.Bytes(compressed.ToArray(), "text/html; charset=utf-8");
        }));
        using var services = new CrawlerServices();

        var page = await services.Get<IPageFetcher>().FetchAsync(Request(server), CancellationToken.None);
        var record = services.Get<ExamNetWatch.Crawler.Captures.ICaptureReader>().Read(await services.Get<ExamNetWatch.Crawler.Captures.ICaptureWriter>().SaveAsync(page, CancellationToken.None));
        var (head, payload) = ExamNetWatch.Crawler.Captures.WarcReader.SplitHttp(record.Block);

        Assert.Contains("压缩的帖子", page.Html, StringComparison.Ordinal);
        Assert.Equal("<p>压缩的帖子</p>", System.Text.Encoding.UTF8.GetString(payload.Span));
        Assert.Contains("X-Crawler-Original-Content-Encoding: gzip", head, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 2)]
    [InlineData(5, 5)]
    public async Task FetchAsync_TwoPagesOfOneHost_AreSpacedByTheDefaultDelayOrTheLongerRobotsCrawlDelay(int? crawlDelay, int expectedSeconds)
    {
        var time = new WatchedFakeTime(new DateTimeOffset(2026, 6, 20, 8, 0, 0, TimeSpan.Zero));
        var pages = new ConcurrentQueue<string>();
        await using var server = await LocalServer.StartAsync(app =>
        {
            app.MapGet("/robots.txt", () => "User-agent: *\nDisallow: /admin/\n" + (crawlDelay is { } d ? $"Crawl-delay: {d}\n" : string.Empty));
            app.MapGet("/forum.php", (HttpRequest r) =>
            {
                pages.Enqueue(r.QueryString.Value!);
                return Results.Content("<p>帖子</p>", "text/html; charset=utf-8");
            });
        });
        // The shipped default delay, not the tests' zero.
        using var services = new CrawlerServices(o => o.PerHostDelay = new FetcherOptions().PerHostDelay, time);
        Assert.Equal(TimeSpan.FromSeconds(2), new FetcherOptions().PerHostDelay);
        var fetcher = services.Get<IPageFetcher>();
        var scope = new CrawlScope([server.Url("forum.php")]);
        var policy = new SourcePolicy(AllowPrivateNetwork: true);
        var delay = TimeSpan.FromSeconds(expectedSeconds);

        // robots.txt first; the first page then waits the default 2 s after its answer (robots.txt's delay is not known yet).
        var first = fetcher.FetchAsync(new FetchRequest(server.Url("forum.php?tid=1"), scope, policy), CancellationToken.None);
        await time.UntilScheduledExactlyAsync(TimeSpan.FromSeconds(2));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(200, (await first.WaitAsync(TimeSpan.FromSeconds(30))).StatusCode);

        // The second page of the host waits the delay from the first's answer: not a millisecond less.
        var second = fetcher.FetchAsync(new FetchRequest(server.Url("forum.php?tid=2"), scope, policy), CancellationToken.None);
        await time.UntilScheduledExactlyAsync(delay, count: delay == TimeSpan.FromSeconds(2) ? 2 : 1);
        time.Advance(delay - TimeSpan.FromMilliseconds(1));
        await Task.Delay(300);
        Assert.Equal(["?tid=1"], pages);
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(200, (await second.WaitAsync(TimeSpan.FromSeconds(30))).StatusCode);
        Assert.Equal(["?tid=1", "?tid=2"], pages);
    }

    private static FetchRequest Request(LocalServer server) =>
        new(server.Url("forum.php"), new CrawlScope([server.Url("forum.php")]), new SourcePolicy(AllowPrivateNetwork: true));

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition());
    }
}
