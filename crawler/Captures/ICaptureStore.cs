using ExamNetWatch.Crawler.Fetching;

namespace ExamNetWatch.Crawler.Captures;

/// <summary>Keeps the raw bytes of every fetched page, so what was online can be shown later.</summary>
public interface ICaptureStore
{
    /// <summary>Stores the page's raw body and returns its SHA-256 (lower-case hex), which names the capture.</summary>
    Task<string> SaveAsync(FetchedPage page, CancellationToken cancellationToken);

    /// <summary>Opens the raw body stored under <paramref name="sha256"/>, or returns null if it is not kept.</summary>
    Stream? Open(string sha256);
}
