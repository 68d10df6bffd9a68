using System.Collections.Concurrent;
using System.Net;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace ExamNetWatch.Crawler.Fetching;

/// <summary>
/// One Polly pipeline per host: retries with jittered exponential backoff (or the server's Retry-After on 429/503),
/// a circuit breaker so a failing host is left alone for a while, and a timeout per attempt.
/// </summary>
/// <summary>One attempt's response with its body read (within the attempt's timeout).</summary>
internal sealed record FetchAttempt(HttpResponseMessage Response, byte[] Body);

internal sealed class HostPipelines(FetcherOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ResiliencePipeline<FetchAttempt>> _pipelines = new(StringComparer.OrdinalIgnoreCase);

    public ResiliencePipeline<FetchAttempt> For(string host) => _pipelines.GetOrAdd(host, _ => Build());

    /// <summary>Returns the delay a 429/503 response asks for, if it carries Retry-After.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) || response.Headers.RetryAfter is not { } header)
        {
            return null;
        }

        var delay = header.Delta ?? (header.Date is { } date ? date - time.GetUtcNow() : null);
        return delay is { } d && d > TimeSpan.Zero ? d : TimeSpan.Zero;
    }

    private ResiliencePipeline<FetchAttempt> Build() =>
        new ResiliencePipelineBuilder<FetchAttempt> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<FetchAttempt>
            {
                MaxRetryAttempts = Math.Max(1, options.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                ShouldHandle = new PredicateBuilder<FetchAttempt>()
                    .Handle<HttpRequestException>(ex => ex.InnerException is not NetworkRefusedException)
                    .Handle<IOException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => IsTransient(r.Response) && !(RetryAfter(r.Response, time) > options.MaxRetryAfter)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(
                    args.Outcome.Result is { } r && RetryAfter(r.Response, time) is { } wait ? wait : null),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Response.Dispose();
                    return default;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<FetchAttempt>
            {
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = TimeSpan.FromSeconds(60),
                BreakDuration = options.BreakerDuration,
                ShouldHandle = new PredicateBuilder<FetchAttempt>()
                    .Handle<HttpRequestException>(ex => ex.InnerException is not NetworkRefusedException)
                    .Handle<IOException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => (int)r.Response.StatusCode >= 500),
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();

    private static bool IsTransient(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)response.StatusCode >= 500;
}
