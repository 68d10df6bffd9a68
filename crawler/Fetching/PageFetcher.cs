using System.Net;
using ExamNetWatch.Crawler.Sources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ExamNetWatch.Crawler.Fetching;

/// <summary>
/// Fetches one page of an authorised source: every URL, including each redirect target, is checked against
/// the scope before a request leaves; transient failures are retried with jittered exponential backoff; each
/// attempt has a timeout and the body a size cap.
/// </summary>
public sealed class PageFetcher : IPageFetcher
{
    /// <summary>The name of the <see cref="HttpClient"/> this fetcher asks the factory for.</summary>
    public const string HttpClientName = "ExamNetWatch.Crawler";

    private readonly IHttpClientFactory _clients;
    private readonly FetcherOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PageFetcher> _logger;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public PageFetcher(IHttpClientFactory clients, IOptions<FetcherOptions> options, TimeProvider time, ILogger<PageFetcher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clients = clients;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _pipeline = BuildPipeline(_options, time);
    }

    /// <inheritdoc />
    public async Task<FetchedPage> FetchAsync(Uri url, CrawlScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(scope);
        var client = _clients.CreateClient(HttpClientName);
        var current = url;
        for (var redirects = 0; ; redirects++)
        {
            if (!scope.Allows(current))
            {
                Log.OutOfScope(_logger, current);
                throw new OutOfScopeException(current);
            }

            var target = current;
            using var response = await _pipeline.ExecuteAsync(
                async ct =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, target);
                    request.Headers.UserAgent.ParseAdd(_options.UserAgent);
                    return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                },
                cancellationToken);

            if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
            {
                if (redirects >= _options.MaxRedirects)
                {
                    throw new HttpRequestException($"Too many redirects fetching {url} (more than {_options.MaxRedirects}).");
                }

                current = location.IsAbsoluteUri ? location : new Uri(current, location);
                continue;
            }

            var body = await ReadCappedAsync(response, current, cancellationToken);
            var contentType = response.Content.Headers.ContentType?.ToString();
            var html = PageDecoder.Decode(body, response.Content.Headers.ContentType?.CharSet);
            var headers = response.Headers.Concat(response.Content.Headers)
                .Select(h => $"{h.Key}: {string.Join(", ", h.Value)}")
                .ToList();
            Log.Fetched(_logger, current, (int)response.StatusCode, body.Length);
            return new FetchedPage(current, (int)response.StatusCode, contentType, headers, body, html, _time.GetUtcNow());
        }
    }

    private async Task<byte[]> ReadCappedAsync(HttpResponseMessage response, Uri url, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > _options.MaxBodyBytes)
        {
            throw new HttpRequestException($"{url} declares {response.Content.Headers.ContentLength} bytes, over the cap of {_options.MaxBodyBytes}.");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > _options.MaxBodyBytes)
            {
                throw new HttpRequestException($"{url} sent more than the cap of {_options.MaxBodyBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static ResiliencePipeline<HttpResponseMessage> BuildPipeline(FetcherOptions options, TimeProvider time) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(1, options.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => r.StatusCode == HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
}
