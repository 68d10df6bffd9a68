namespace ExamNetWatch.Crawler.Fetching;

/// <summary>Thrown when a URL (a link or a redirect target) lies outside the source's authorised scope.</summary>
public sealed class OutOfScopeException : Exception
{
    public OutOfScopeException()
    {
    }

    public OutOfScopeException(string message)
        : base(message)
    {
    }

    public OutOfScopeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OutOfScopeException(Uri url)
        : base($"Refused to fetch {url}: outside the source's authorised scope.")
    {
        Url = url;
    }

    /// <summary>Gets the refused URL.</summary>
    public Uri? Url { get; }
}
