namespace ExamNetWatch.Crawler.Sources;

/// <summary>
/// What one crawl of one authorised source may touch: its entry pages, the scope every fetched URL must fall
/// inside, and how to fetch. Built by the host from a registered source whose authorisation is valid.
/// </summary>
/// <param name="SourceId">The registered source's id; it is part of every post's stable id.</param>
/// <param name="Name">Human-readable source name for logs.</param>
/// <param name="EntryUrls">Board or thread pages the crawl starts from.</param>
/// <param name="Scope">The prefixes (scheme + host + path) a URL must start with to be fetched.</param>
/// <param name="Policy">Network, politeness and robots.txt policy of the source.</param>
public sealed record CrawlTarget(int SourceId, string Name, IReadOnlyList<Uri> EntryUrls, CrawlScope Scope, SourcePolicy Policy)
{
    /// <summary>Gets the forum profile to read pages with: <c>auto</c> (detected per page) or a profile name.</summary>
    public string Profile { get; init; } = "auto";

    /// <summary>
    /// Gets how far back a sweep of a board's history goes: threads last active before it are not read, and the sweep
    /// ends at the first board page where every dated thread is older. Null: the whole history.
    /// </summary>
    public DateTimeOffset? Since { get; init; }
}
