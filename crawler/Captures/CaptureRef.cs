namespace ExamNetWatch.Crawler.Captures;

/// <summary>Where the raw capture of one fetched page lies: its WARC response record, and the SHA-256 (hex) of the body.</summary>
public sealed record CaptureRef(string PayloadSha256, string WarcFile, long WarcOffset, long WarcLength, string RecordId);
