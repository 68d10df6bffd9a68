using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Messages;

namespace ExamNetWatch.Dashboard.Calendar;

/// <summary>A paper that cannot be added as given; <see cref="Text"/> says why, for the host to put in its language.</summary>
public sealed class ExamCalendarException : Exception
{
    public ExamCalendarException()
        : this(new StaffText("考试日程有误。"))
    {
    }

    public ExamCalendarException(string message)
        : this(new StaffText(message))
    {
    }

    public ExamCalendarException(string message, Exception innerException)
        : base(message, innerException) => Text = new StaffText(message);

    public ExamCalendarException(StaffText text)
        : base(text?.ToString()) => Text = text ?? throw new ArgumentNullException(nameof(text));

    /// <summary>Gets what is wrong, as staff read it.</summary>
    public StaffText Text { get; }
}

/// <summary>
/// The exam calendar's rules, for the calendar page and <c>exams add</c> alike: an exam and a subject of at most
/// <see cref="MaxNameLength"/> characters, a paper that ends after it starts; every addition and removal audited.
/// </summary>
public sealed class ExamCalendar(WatchDbContext db, AuditLog audit)
{
    /// <summary>The longest exam or subject name.</summary>
    public const int MaxNameLength = 100;

    /// <summary>Adds a paper of <paramref name="exam"/> in <paramref name="subject"/> from <paramref name="startsUtc"/> to <paramref name="endsUtc"/>.</summary>
    /// <exception cref="ExamCalendarException">A name is missing or too long, or the paper does not end after it starts; nothing is saved.</exception>
    public async Task<ExamSlot> AddAsync(string? exam, string? subject, DateTime startsUtc, DateTime endsUtc, string user, string? address, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(exam) || string.IsNullOrWhiteSpace(subject) || exam.Trim().Length > MaxNameLength || subject.Trim().Length > MaxNameLength)
        {
            throw new ExamCalendarException(new StaffText("请填写考试和科目（各不超过 100 字）。"));
        }

        if (endsUtc <= startsUtc)
        {
            throw new ExamCalendarException(new StaffText("结束时间必须晚于开始时间。"));
        }

        var slot = new ExamSlot { Exam = exam.Trim(), Subject = subject.Trim(), StartsAtUtc = startsUtc, EndsAtUtc = endsUtc };
        db.ExamSlots.Add(slot);
        audit.Add(db, user, AuditActions.ExamAdd, "exam:" + slot.Exam, $"{slot.Subject} {startsUtc:u} – {endsUtc:u}", address);
        await db.SaveChangesAsync(cancellationToken);
        return slot;
    }

    /// <summary>Removes paper <paramref name="id"/>; false if there is none.</summary>
    public async Task<bool> RemoveAsync(int id, string user, string? address, CancellationToken cancellationToken)
    {
        if (await db.ExamSlots.FindAsync([id], cancellationToken) is not { } slot)
        {
            return false;
        }

        db.ExamSlots.Remove(slot);
        audit.Add(db, user, AuditActions.ExamRemove, "exam:" + slot.Exam, $"{slot.Subject} {slot.StartsAtUtc:u} – {slot.EndsAtUtc:u}", address);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
