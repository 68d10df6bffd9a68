namespace ExamNetWatch.Crawler.Crawling;

/// <summary>Receives posts as the crawl finds them (the next room of the house: detection and storage).</summary>
public interface ICrawlSink
{
    /// <summary>Takes one post. Called once per post per crawl; the sink deduplicates by <see cref="CrawledPost.StableId"/>.</summary>
    Task AcceptAsync(CrawledPost post, CancellationToken cancellationToken);
}
