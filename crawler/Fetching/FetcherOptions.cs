using System.ComponentModel.DataAnnotations;

namespace ExamNetWatch.Crawler.Fetching;

/// <summary>Options of <see cref="PageFetcher"/>.</summary>
public sealed class FetcherOptions
{
    /// <summary>Gets or sets the User-Agent sent with every request; it names the system and a contact.</summary>
    /// <value>The default value is <c>ExamNetWatch/0.1 (+exam-security monitoring; contact: operator)</c>.</value>
    [Required]
    public string UserAgent { get; set; } = "ExamNetWatch/0.1 (+exam-security monitoring; contact: operator)";

    /// <summary>Gets or sets the time one attempt may take.</summary>
    /// <value>The default value is 20 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Gets or sets how many times a failed request is retried.</summary>
    /// <value>The default value is 3.</value>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>Gets or sets the base delay of the jittered exponential backoff between retries.</summary>
    /// <value>The default value is 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the largest body accepted; a larger page is refused, not truncated.</summary>
    /// <value>The default value is 10 MiB.</value>
    [Range(1024, 512 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Gets or sets how many redirects one fetch follows.</summary>
    /// <value>The default value is 5.</value>
    [Range(0, 20)]
    public int MaxRedirects { get; set; } = 5;

    /// <summary>
    /// Gets the SHA-256 (hex) of server certificates trusted although no public CA vouches for them — servers on the
    /// authority's own network. Every other certificate must validate as usual.
    /// </summary>
    public IList<string> TrustedCertificateSha256 { get; } = [];

    /// <summary>Gets or sets the minimum delay between the starts of two requests to the same host.</summary>
    /// <value>The default value is 2 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan PerHostDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets how many requests may be in flight to one host at a time.</summary>
    /// <value>The default value is 1.</value>
    [Range(1, 16)]
    public int MaxConcurrencyPerHost { get; set; } = 1;

    /// <summary>Gets or sets the longest Crawl-delay of robots.txt that is honoured (a longer one is capped to this).</summary>
    /// <value>The default value is 60 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxCrawlDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets the longest Retry-After that is waited out; a longer one ends the fetch with the 429/503.</summary>
    /// <value>The default value is 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the product token matched against robots.txt User-agent lines.</summary>
    /// <value>The default value is <c>ExamNetWatch</c>.</value>
    [Required]
    public string RobotsProductToken { get; set; } = "ExamNetWatch";

    /// <summary>Gets or sets how long a host's robots.txt is kept.</summary>
    /// <value>The default value is 24 hours.</value>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan RobotsCacheDuration { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets or sets the share of failed requests to one host, within the sampling window, that opens its circuit.</summary>
    /// <value>The default value is 0.5.</value>
    [Range(0.01, 1.0)]
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets how many requests to one host the breaker must see before it may open.</summary>
    /// <value>The default value is 10.</value>
    [Range(2, 1000)]
    public int BreakerMinimumThroughput { get; set; } = 10;

    /// <summary>Gets or sets how long an open circuit refuses requests to its host.</summary>
    /// <value>The default value is 60 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan BreakerDuration { get; set; } = TimeSpan.FromSeconds(60);
}
