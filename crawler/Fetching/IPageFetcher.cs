using ExamNetWatch.Crawler.Sources;

namespace ExamNetWatch.Crawler.Fetching;

/// <summary>Fetches pages of an authorised source, refusing anything outside its scope.</summary>
public interface IPageFetcher
{
    /// <summary>Fetches <paramref name="url"/>, following in-scope redirects.</summary>
    /// <exception cref="OutOfScopeException">The URL or a redirect target lies outside <paramref name="scope"/>.</exception>
    /// <exception cref="HttpRequestException">The host could not be reached after retries, or the page is too large.</exception>
    Task<FetchedPage> FetchAsync(Uri url, CrawlScope scope, CancellationToken cancellationToken);
}
