namespace ExamNetWatch.Crawler.Fetching;

/// <summary>Thrown when a page is larger than <see cref="FetcherOptions.MaxBodyBytes"/>; such a page is refused, not truncated.</summary>
public sealed class PageTooLargeException : Exception
{
    public PageTooLargeException()
    {
    }

    public PageTooLargeException(string message)
        : base(message)
    {
    }

    public PageTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
