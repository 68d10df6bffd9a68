namespace ExamNetWatch.Dashboard.Data;

/// <summary>Which process is crawling a source now, and until when its claim holds unless it renews it.</summary>
public sealed class CrawlLease
{
    public int SourceId { get; set; }

    /// <summary>Gets or sets the holder (<see cref="LeaseOwner"/>: machine, process id, nonce).</summary>
    public required string Owner { get; set; }

    public DateTime TakenAtUtc { get; set; }

    /// <summary>Gets or sets when the claim lapses if the holder stops renewing it (killed, cut off).</summary>
    public DateTime UntilUtc { get; set; }
}
