namespace ExamNetWatch.Crawler.Fetching;

/// <summary>One HTTP exchange as received: the raw body is kept byte for byte for the capture store.</summary>
/// <param name="Url">The URL finally answered (after in-scope redirects).</param>
/// <param name="StatusCode">HTTP status code.</param>
/// <param name="ContentType">The Content-Type header, if any.</param>
/// <param name="Headers">Response and content headers, one line each (<c>Name: value</c>).</param>
/// <param name="Body">The raw response body.</param>
/// <param name="Html">The body decoded to text.</param>
/// <param name="FetchedAt">When the response arrived.</param>
public sealed record FetchedPage(
    Uri Url,
    int StatusCode,
    string? ContentType,
    IReadOnlyList<string> Headers,
    ReadOnlyMemory<byte> Body,
    string Html,
    DateTimeOffset FetchedAt);
