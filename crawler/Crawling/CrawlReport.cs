namespace ExamNetWatch.Crawler.Crawling;

/// <summary>A page the crawl could not fetch or parse; the crawl went on without it.</summary>
public sealed record CrawlFailure(Uri Url, string Reason);

/// <summary>What one crawl of one source did.</summary>
/// <param name="Refusals">URLs (links or redirect targets) not fetched because they lie outside the source's authorised scope.</param>
public sealed record CrawlReport(int SourceId, int PagesFetched, int PostsFound, IReadOnlyList<CrawlFailure> Failures, IReadOnlyList<CrawlFailure> Refusals)
{
    /// <summary>Gets how many threads were skipped because the board showed no new replies.</summary>
    public int ThreadsUnchanged { get; init; }
}
