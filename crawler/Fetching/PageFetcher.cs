using System.IO.Compression;
using System.Net;
using System.Text;
using ExamNetWatch.Crawler.Sources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ExamNetWatch.Crawler.Fetching;

/// <summary>
/// Fetches one page of an authorised source. Before any request leaves: the URL (and each redirect target) must
/// be in the source's scope, its host must resolve to addresses the source may reach (SSRF guard), and robots.txt
/// must allow it (unless the source records an override). Requests to a host wait their turn at the shared
/// politeness gate; transient failures are retried per <see cref="HostPipelines"/>; bodies are capped.
/// </summary>
public sealed class PageFetcher : IPageFetcher
{
    /// <summary>The name of the <see cref="HttpClient"/> this fetcher asks the factory for.</summary>
    public const string HttpClientName = "ExamNetWatch.Crawler";

    private readonly IHttpClientFactory _clients;
    private readonly FetcherOptions _options;
    private readonly TimeProvider _time;
    private readonly PolitenessGate _gate;
    private readonly RobotsCache _robots;
    private readonly ILogger<PageFetcher> _logger;
    private readonly HostPipelines _pipelines;
    private readonly TlsObserver? _tls;

    public PageFetcher(IHttpClientFactory clients, IOptions<FetcherOptions> options, TimeProvider time, PolitenessGate gate, RobotsCache robots, ILogger<PageFetcher> logger, TlsObserver? tls = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clients = clients;
        _options = options.Value;
        _time = time;
        _gate = gate;
        _robots = robots;
        _logger = logger;
        _pipelines = new HostPipelines(_options, time);
        _tls = tls;
    }

    /// <inheritdoc />
    public async Task<FetchedPage> FetchAsync(FetchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var page = await FetchCoreAsync(request, cancellationToken);
            CrawlerMetrics.PageFetched(page.StatusCode);
            return page;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            CrawlerMetrics.FetchFailed(e);
            throw;
        }
    }

    private async Task<FetchedPage> FetchCoreAsync(FetchRequest request, CancellationToken cancellationToken)
    {
        var current = request.Url;
        for (var redirects = 0; ; redirects++)
        {
            if (!request.Scope.Allows(current))
            {
                Log.OutOfScope(_logger, current);
                throw new OutOfScopeException(current);
            }

            var addresses = await NetworkGuard.ResolveAsync(current.IdnHost, request.Policy.AllowPrivateNetwork, cancellationToken);
            var delay = await CheckRobotsAsync(current, request.Policy, cancellationToken);
            var first = redirects == 0;
            var attempt = await SendAsync(current, request.Policy, delay, first ? request.ETag : null, first ? request.LastModified : null, cancellationToken);
            using var response = attempt.Response;

            if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
            {
                if (redirects >= _options.MaxRedirects)
                {
                    throw new HttpRequestException($"Too many redirects fetching {request.Url} (more than {_options.MaxRedirects}).");
                }

                current = location.IsAbsoluteUri ? location : new Uri(current, location);
                continue;
            }

            var sent = response.RequestMessage!;
            var remote = sent.Options.TryGetValue(NetworkGuard.RemoteAddress, out var connected) ? connected : addresses[0].ToString();
            var html = response.StatusCode == HttpStatusCode.NotModified ? string.Empty : PageDecoder.Decode(attempt.Body, response.Content.Headers.ContentType?.CharSet);
            Log.Fetched(_logger, current, (int)response.StatusCode, attempt.Body.Length);
            return new FetchedPage(
                current,
                (int)response.StatusCode,
                response.Content.Headers.ContentType?.ToString(),
                $"HTTP/{response.Version.ToString(2)} {(int)response.StatusCode} {response.ReasonPhrase}",
                [.. response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(", ", h.Value)}")],
                RequestHead(sent),
                remote,
                attempt.Body,
                html,
                _time.GetUtcNow())
            {
                Tls = current.Scheme == Uri.UriSchemeHttps ? _tls?.For(current.IdnHost) : null,
            };
        }
    }

    private async Task<TimeSpan> CheckRobotsAsync(Uri url, SourcePolicy policy, CancellationToken cancellationToken)
    {
        var delay = policy.MinDelay ?? _options.PerHostDelay;
        if (policy.IgnoreRobots)
        {
            return delay;
        }

        var rules = await _robots.GetAsync(url, (robotsUrl, ct) => FetchRobotsAsync(robotsUrl, policy, delay, ct), cancellationToken);
        if (!rules.Allows(url))
        {
            throw new RobotsRefusedException($"robots.txt of {url.Authority} disallows {url.PathAndQuery}.");
        }

        return rules.CrawlDelay is { } crawlDelay && crawlDelay > delay ? TimeSpan.FromTicks(Math.Min(crawlDelay.Ticks, _options.MaxCrawlDelay.Ticks)) : delay;
    }

    private async Task<(int Status, string Body)> FetchRobotsAsync(Uri url, SourcePolicy policy, TimeSpan delay, CancellationToken cancellationToken)
    {
        await NetworkGuard.ResolveAsync(url.IdnHost, policy.AllowPrivateNetwork, cancellationToken);
        var attempt = await SendAsync(url, policy, delay, null, null, cancellationToken);
        using var response = attempt.Response;
        return ((int)response.StatusCode, Encoding.UTF8.GetString(attempt.Body));
    }

    private async Task<FetchAttempt> SendAsync(Uri url, SourcePolicy policy, TimeSpan delay, string? etag, string? lastModified, CancellationToken cancellationToken)
    {
        var client = _clients.CreateClient(HttpClientName);
        return await _pipelines.For(url.Authority).ExecuteAsync(
            async ct =>
            {
                using var turn = await _gate.EnterAsync(url.Authority, delay, ct);
                var message = new HttpRequestMessage(HttpMethod.Get, url);
                message.Headers.UserAgent.ParseAdd(_options.UserAgent);
                message.Headers.Accept.ParseAdd("text/html,application/xhtml+xml;q=0.9,*/*;q=0.8");
                message.Headers.AcceptLanguage.ParseAdd("zh-CN,zh;q=0.9");
                message.Headers.AcceptEncoding.ParseAdd("gzip, deflate, br");
                if (etag is not null)
                {
                    message.Headers.TryAddWithoutValidation("If-None-Match", etag);
                }

                if (lastModified is not null)
                {
                    message.Headers.TryAddWithoutValidation("If-Modified-Since", lastModified);
                }

                message.Options.Set(NetworkGuard.AllowPrivateNetwork, policy.AllowPrivateNetwork);
                var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ct);
                try
                {
                    // The next request to the host waits its delay from this answer too, not only from this request's
                    // start: a request slowed on its way (a new connection, a busy worker) then never reaches the forum
                    // closer than the delay to the next one. Retry-After, if longer, pushes it further.
                    var after = HostPipelines.RetryAfter(response, _time) is { } wait && wait > delay ? wait : delay;
                    if (after > TimeSpan.Zero)
                    {
                        await _gate.DeferAsync(url.Authority, after, ct);
                    }

                    return new FetchAttempt(response, await ReadCappedAsync(response, url, ct));
                }
                catch
                {
                    response.Dispose();
                    throw;
                }
            },
            cancellationToken);
    }

    private async Task<byte[]> ReadCappedAsync(HttpResponseMessage response, Uri url, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > _options.MaxBodyBytes)
        {
            throw new PageTooLargeException($"{url} declares {response.Content.Headers.ContentLength} bytes, over the cap of {_options.MaxBodyBytes}.");
        }

        // Decompressed here rather than by the handler, so the capture still shows how the server sent it;
        // the cap applies to the decompressed size, which also stops compression bombs.
        await using var raw = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using var stream = response.Content.Headers.ContentEncoding.LastOrDefault()?.ToUpperInvariant() switch
        {
            null or "IDENTITY" => raw,
            "GZIP" or "X-GZIP" => new GZipStream(raw, CompressionMode.Decompress),
            "DEFLATE" => new ZLibStream(raw, CompressionMode.Decompress),
            "BR" => new BrotliStream(raw, CompressionMode.Decompress),
            var other => throw new HttpRequestException($"{url} uses an unsupported content encoding '{other}'."),
        };
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > _options.MaxBodyBytes)
            {
                throw new PageTooLargeException($"{url} sent more than the cap of {_options.MaxBodyBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string RequestHead(HttpRequestMessage request)
    {
        var head = new StringBuilder()
            .Append(request.Method).Append(' ').Append(request.RequestUri!.PathAndQuery).Append(" HTTP/").Append(request.Version.ToString(2))
            .Append("\r\nHost: ").Append(request.RequestUri.Authority);
        foreach (var header in request.Headers)
        {
            head.Append("\r\n").Append(header.Key).Append(": ").Append(string.Join(", ", header.Value));
        }

        return head.ToString();
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;
}
