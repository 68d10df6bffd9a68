namespace ExamNetWatch.Dashboard.Data;

/// <summary>
/// "Make the search index agree with the database for this post": written in the same transaction as the change
/// (a new post, a triage decision, a purge), removed once the index has taken it. A worker holds a lease on the
/// entries it is working on, so several worker processes never index the same entry at once.
/// </summary>
public sealed class IndexOutboxEntry
{
    public long Id { get; set; }

    public required string PostId { get; set; }

    public DateTime EnqueuedAtUtc { get; set; }

    public int Attempts { get; set; }

    public DateTime? NextAttemptAtUtc { get; set; }

    public string? LastError { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTime? LeaseUntilUtc { get; set; }
}
