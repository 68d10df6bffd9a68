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

    public DateTime? PostedAtUtc { get; set; }

    public required string Text { get; set; }

    /// <summary>Gets or sets the post body's markup as received. Hostile: never rendered without sanitising.</summary>
    public required string Html { get; set; }

    public DateTime FetchedAtUtc { get; set; }

    /// <summary>Gets or sets the SHA-256 of the raw capture of the page the post was read from.</summary>
    public required string CaptureSha256 { get; set; }

    public int Severity { get; set; }

    public double Score { get; set; }

    /// <summary>Gets or sets the full detection result as JSON (matches, contacts, explanations).</summary>
    public required string DetectionJson { get; set; }
}
