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
}
