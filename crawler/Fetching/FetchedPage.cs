namespace ExamNetWatch.Crawler.Fetching;

/// <summary>One HTTP exchange as it happened: the raw body is kept byte for byte for the capture store.</summary>
/// <param name="Url">The URL finally answered (after in-scope redirects).</param>
/// <param name="StatusCode">HTTP status code.</param>
/// <param name="ContentType">The Content-Type header, if any.</param>
/// <param name="StatusLine">The response status line, e.g. <c>HTTP/1.1 200 OK</c>.</param>
/// <param name="ResponseHeaders">Response and content headers, one line each (<c>Name: value</c>).</param>
/// <param name="RequestHead">The request line and headers as sent, CRLF-separated, without the final blank line.</param>
/// <param name="RemoteAddress">The IP address the connection went to, if known.</param>
/// <param name="Body">The response body (decoded from gzip/br if the server compressed it).</param>
/// <param name="Html">The body decoded to text.</param>
/// <param name="FetchedAt">When the response arrived.</param>
public sealed record FetchedPage(
    Uri Url,
    int StatusCode,
    string? ContentType,
    string StatusLine,
    IReadOnlyList<string> ResponseHeaders,
    string RequestHead,
    string? RemoteAddress,
    ReadOnlyMemory<byte> Body,
    string Html,
    DateTimeOffset FetchedAt)
{
    /// <summary>Gets the server certificate of the connection, for HTTPS pages.</summary>
    public TlsCertificateInfo? Tls { get; init; }

    /// <summary>Returns the value of the first response header named <paramref name="name"/>, or null.</summary>
    public string? Header(string name) => ResponseHeaders
        .Where(h => h.Length > name.Length && h[name.Length] == ':' && h.StartsWith(name, StringComparison.OrdinalIgnoreCase))
        .Select(h => h[(name.Length + 1)..].Trim())
        .FirstOrDefault();
}
