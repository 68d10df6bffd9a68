namespace ExamNetWatch.Dashboard.Data;

/// <summary>One paper of the exam calendar: while it is in progress, exam-critical sources are crawled every minute.</summary>
public sealed class ExamSlot
{
    public int Id { get; set; }

    /// <summary>Gets or sets the exam (e.g. 2026年中考).</summary>
    public required string Exam { get; set; }

    /// <summary>Gets or sets the subject (e.g. 数学).</summary>
    public required string Subject { get; set; }

    public DateTime StartsAtUtc { get; set; }

    public DateTime EndsAtUtc { get; set; }
}
