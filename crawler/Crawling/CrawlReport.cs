namespace ExamNetWatch.Crawler.Crawling;

/// <summary>A page the crawl could not fetch or parse; the crawl went on without it.</summary>
public sealed record CrawlFailure(Uri Url, string Reason);

/// <summary>What one crawl of one source did.</summary>
/// <param name="Refusals">URLs (links or redirect targets) not fetched because they lie outside the source's authorised scope.</param>
public sealed record CrawlReport(int SourceId, int PagesFetched, int PostsFound, IReadOnlyList<CrawlFailure> Failures, IReadOnlyList<CrawlFailure> Refusals)
{
    /// <summary>Gets how many threads were skipped because the board showed no new replies.</summary>
    public int ThreadsUnchanged { get; init; }

    /// <summary>Gets the bounds of <see cref="CrawlerOptions"/> this crawl reached, so more was there than it read.</summary>
    public IReadOnlyList<CrawlLimit> LimitsReached { get; init; } = [];

    /// <summary>Gets the boards this crawl swept (read through their history), with the progress last saved for each.</summary>
    public IReadOnlyList<BoardProgress> Sweeps { get; init; } = [];
}

/// <summary>Where a crawl is, after a board page of a sweep: that board's sweep, and the crawl's pages and posts so far.</summary>
public sealed record CrawlProgress(BoardProgress Sweep, int PagesFetched, int PostsFound);

/// <summary>
/// A bound of <see cref="CrawlerOptions"/> a crawl reached: <paramref name="Setting"/> (its configuration key, e.g.
/// <c>Crawler:MaxBoardPages</c>) at <paramref name="Value"/>, how many times, and the first URL left unread because of it.
/// </summary>
public sealed record CrawlLimit(string Setting, int Value, int Times, Uri FirstLeftUnread)
{
    /// <summary>Describes the limit for a log or a command-line summary.</summary>
    public override string ToString() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"{Setting} = {Value} reached{(Times > 1 ? $" {Times} times" : string.Empty)}; first left unread: {FirstLeftUnread}");
}
