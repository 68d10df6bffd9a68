namespace ExamNetWatch.Crawler.Fetching;

/// <summary>Fetches pages of an authorised source, refusing anything outside its scope, network policy or robots.txt.</summary>
public interface IPageFetcher
{
    /// <summary>Fetches the request's URL, following in-scope redirects.</summary>
    /// <exception cref="OutOfScopeException">The URL or a redirect target lies outside the source's scope.</exception>
    /// <exception cref="NetworkRefusedException">The host resolves to an address the source may not reach.</exception>
    /// <exception cref="RobotsRefusedException">robots.txt disallows the URL.</exception>
    /// <exception cref="PageTooLargeException">The body exceeds the size cap.</exception>
    /// <exception cref="HttpRequestException">The host could not be reached after retries.</exception>
    Task<FetchedPage> FetchAsync(FetchRequest request, CancellationToken cancellationToken);
}
