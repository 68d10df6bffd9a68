using System.Diagnostics.Metrics;

namespace ExamNetWatch.Crawler.Fetching;

/// <summary>
/// The crawler's measurements (meter <see cref="MeterName"/>): pages fetched by HTTP status class, and fetches that
/// failed by kind. Hosts export them (OpenTelemetry, Prometheus); nothing is recorded about a page's content or URL.
/// </summary>
public static class CrawlerMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "ExamNetWatch.Crawler";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Pages = Meter.CreateCounter<long>("examnetwatch.crawler.pages", "{page}", "Pages fetched, by HTTP status class (2xx, 3xx, 4xx, 5xx)");

    private static readonly Counter<long> Failures = Meter.CreateCounter<long>("examnetwatch.crawler.failures", "{fetch}", "Fetches that failed (after retries), by kind");

    /// <summary>Counts a page answered with <paramref name="status"/>.</summary>
    public static void PageFetched(int status) => Pages.Add(1, new KeyValuePair<string, object?>("status", status switch
    {
        >= 200 and < 300 => "2xx",
        >= 300 and < 400 => "3xx",
        >= 400 and < 500 => "4xx",
        _ => "5xx",
    }));

    /// <summary>Counts a fetch that failed with <paramref name="error"/>.</summary>
    public static void FetchFailed(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Failures.Add(1, new KeyValuePair<string, object?>("kind", error switch
        {
            OutOfScopeException => "out-of-scope",
            RobotsRefusedException => "robots",
            PageTooLargeException => "too-large",
            TaskCanceledException or TimeoutException => "timeout",
            HttpRequestException => "http",
            _ => "other",
        }));
    }
}
