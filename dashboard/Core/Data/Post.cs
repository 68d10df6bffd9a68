namespace ExamNetWatch.Dashboard.Data;

/// <summary>A crawled post, stored once under its stable id, with the verdict of detection.</summary>
public sealed class Post
{
    /// <summary>Gets or sets the stable id: source + thread + post (e.g. <c>s1-t12-p345</c>).</summary>
    public required string Id { get; set; }

    public int SourceId { get; set; }

    public Source? Source { get; set; }

    public required string ThreadId { get; set; }

    public required string ForumPostId { get; set; }

    public required string Url { get; set; }

    public required string ThreadTitle { get; set; }

    public string? Author { get; set; }

    public int? Floor { get; set; }

    /// <summary>Gets or sets the forum's own id of the author (uid), when the page links it.</summary>
    public string? AuthorId { get; set; }

    public DateTime? PostedAtUtc { get; set; }

    public required string Text { get; set; }

    /// <summary>Gets or sets the post body's markup as received. Hostile: never rendered without sanitising.</summary>
    public required string Html { get; set; }

    public DateTime FetchedAtUtc { get; set; }

    /// <summary>Gets or sets the SHA-256 (hex) of the body of the page the post was read from.</summary>
    public required string CaptureSha256 { get; set; }

    /// <summary>Gets or sets the WARC file (in the capture folder) holding that page's response record.</summary>
    public required string WarcFile { get; set; }

    /// <summary>Gets or sets the offset of the record's gzip member in <see cref="WarcFile"/>.</summary>
    public long WarcOffset { get; set; }

    /// <summary>Gets or sets the length of the record's gzip member.</summary>
    public long WarcLength { get; set; }

    /// <summary>Gets or sets the WARC-Record-ID of the response record.</summary>
    public required string WarcRecordId { get; set; }

    /// <summary>Gets or sets the SHA-256 (hex) of the post's normalised own text, to find exact reposts.</summary>
    public required string ContentHash { get; set; }

    /// <summary>Gets or sets the 64-bit SimHash of the post's text, to find near-duplicate reposts.</summary>
    public long SimHash { get; set; }

    public int Severity { get; set; }

    public double Score { get; set; }

    /// <summary>Gets or sets the full detection result as JSON (matches, contacts, explanations).</summary>
    public required string DetectionJson { get; set; }
}
