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

    /// <summary>Returns whether the paper is in progress at <paramref name="nowUtc"/>: from its start, up to (not including) its end.</summary>
    public bool IsOpenAt(DateTime nowUtc) => StartsAtUtc <= nowUtc && nowUtc < EndsAtUtc;

    /// <summary>Returns whether the paper has ended at <paramref name="nowUtc"/>.</summary>
    public bool HasEndedAt(DateTime nowUtc) => EndsAtUtc <= nowUtc;
}

/// <summary>The one definition of "a paper is open now", for queries (translated to SQL) as for a loaded slot.</summary>
public static class ExamSlotQueries
{
    /// <summary>The papers in progress at <paramref name="nowUtc"/> (as <see cref="ExamSlot.IsOpenAt"/>).</summary>
    public static IQueryable<ExamSlot> OpenAt(this IQueryable<ExamSlot> slots, DateTime nowUtc) =>
        slots.Where(s => s.StartsAtUtc <= nowUtc && nowUtc < s.EndsAtUtc);
}
