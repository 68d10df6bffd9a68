namespace ExamNetWatch.Dashboard.Data;

/// <summary>
/// An alert whose notification is still to be sent: written in the same transaction as the alert and its
/// <c>alert.raise</c> audit entry, so a process killed in between loses neither; removed once every target has it.
/// </summary>
public sealed class NotificationOutboxEntry
{
    public long Id { get; set; }

    public long AlertId { get; set; }

    public DateTime EnqueuedAtUtc { get; set; }

    public int Attempts { get; set; }

    public DateTime? NextAttemptAtUtc { get; set; }

    /// <summary>Gets or sets why the last attempt failed (which target, the status or exception; never a reply body).</summary>
    public string? LastError { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTime? LeaseUntilUtc { get; set; }
}
