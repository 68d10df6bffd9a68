namespace ExamNetWatch.Dashboard.Data;

/// <summary>The crawler's memory of one thread of one source (see <c>ICrawlState</c>).</summary>
public sealed class CrawlThreadState
{
    public int SourceId { get; set; }

    public required string ThreadId { get; set; }

    public int? ReplyCount { get; set; }

    public string? LastPageUrl { get; set; }

    public string? ETag { get; set; }

    public string? LastModified { get; set; }

    public DateTime UpdatedAtUtc { get; set; }
}
