namespace ExamNetWatch.Dashboard.Data;

/// <summary>One crawl of a source and what it examined: kept for the special-check report (posts themselves expire).</summary>
public sealed class CrawlRun
{
    public long Id { get; set; }

    public int SourceId { get; set; }

    public DateTime StartedAtUtc { get; set; }

    public DateTime EndedAtUtc { get; set; }

    /// <summary>Gets or sets the pages fetched (board, thread and article pages).</summary>
    public int Pages { get; set; }

    /// <summary>Gets or sets the posts read on those pages, new or already known.</summary>
    public int PostsExamined { get; set; }

    public int NewPosts { get; set; }

    public int NewAlerts { get; set; }

    public int Failures { get; set; }
}
