namespace ExamNetWatch.Dashboard.Data;

/// <summary>The crawler's memory of one board of one source: how far the sweep of its history got (see <c>BoardProgress</c>).</summary>
public sealed class CrawlBoardState
{
    public int SourceId { get; set; }

    /// <summary>Gets or sets the board's first page, as the crawl reached it.</summary>
    public required string BoardUrl { get; set; }

    public string? SweepNextPageUrl { get; set; }

    /// <summary>Gets or sets where an unfinished newest-pages pass carries on (see <c>BoardProgress.CatchUpPageUrl</c>).</summary>
    public string? CatchUpPageUrl { get; set; }

    public bool SweepDone { get; set; }

    public int PagesRead { get; set; }

    public int? PagesTotal { get; set; }

    public int Threads { get; set; }

    public int Posts { get; set; }

    public double ElapsedSeconds { get; set; }

    public DateTime UpdatedAtUtc { get; set; }
}
