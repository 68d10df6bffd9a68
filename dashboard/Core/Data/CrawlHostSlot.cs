namespace ExamNetWatch.Dashboard.Data;

/// <summary>When the next request to a host may start, shared by every crawling process (the production profile).</summary>
public sealed class CrawlHostSlot
{
    /// <summary>Gets or sets the host and port (<c>bbs.example.cn</c>, <c>127.0.0.1:8080</c>).</summary>
    public required string Host { get; set; }

    public DateTime NextStartUtc { get; set; }
}
