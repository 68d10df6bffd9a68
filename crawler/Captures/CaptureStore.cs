using ExamNetWatch.Crawler.Fetching;

namespace ExamNetWatch.Crawler.Captures;

/// <summary>Keeps every fetched exchange (request and response, byte for byte), so what was online can be shown later.</summary>
public interface ICaptureWriter
{
    /// <summary>Stores the exchange and returns where its response record lies.</summary>
    Task<CaptureRef> SaveAsync(FetchedPage page, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a file that was not fetched but handed over (a group-chat export a member made) byte for byte as a WARC
    /// <c>resource</c> record named <paramref name="target"/>, with its own fields, and returns where it lies.
    /// </summary>
    Task<CaptureRef> SaveResourceAsync(Uri target, string contentType, ReadOnlyMemory<byte> body, DateTimeOffset at, IReadOnlyList<KeyValuePair<string, string>> fields, CancellationToken cancellationToken);
}

/// <summary>Reads kept exchanges back (the capture view, evidence packages); never writes, so readers need no writer.</summary>
public interface ICaptureReader
{
    /// <summary>Reads back the response record of a capture.</summary>
    WarcRecord Read(CaptureRef capture);
}
