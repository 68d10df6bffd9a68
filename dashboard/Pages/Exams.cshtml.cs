using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Pages;

/// <summary>
/// The exam calendar: every paper (exam, subject, time slot in Beijing time). While a paper is in progress the queue
/// shows it, SLAs shorten and exam-critical sources are crawled every minute. Admins add and remove papers (audited).
/// </summary>
public sealed class ExamsModel(WatchDbContext db, AuditLog audit, TimeProvider time) : PageModel
{
    [BindProperty]
    public string? Exam { get; set; }

    [BindProperty]
    public string? Subject { get; set; }

    /// <summary>Gets or sets the day of the paper (Beijing), yyyy-MM-dd.</summary>
    [BindProperty]
    public string? Day { get; set; }

    /// <summary>Gets or sets the start time (Beijing), HH:mm.</summary>
    [BindProperty]
    public string? Start { get; set; }

    [BindProperty]
    public string? End { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Past { get; set; }

    public IReadOnlyList<ExamSlot> Slots { get; private set; } = [];

    public DateTime NowUtc { get; private set; }

    public string? Error { get; private set; }

    public bool CanEdit => User.IsInRole(StaffRoles.Admin);

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }

        DateTime start, end;
        try
        {
            if (string.IsNullOrWhiteSpace(Exam) || string.IsNullOrWhiteSpace(Subject) || Exam.Length > 100 || Subject.Length > 100)
            {
                throw new FormatException(UiText.Get("请填写考试和科目（各不超过 100 字）。"));
            }

            start = BeijingTime.ParseUtc($"{Day} {Start}");
            end = BeijingTime.ParseUtc($"{Day} {End}");
            if (end <= start)
            {
                throw new FormatException(UiText.Get("结束时间必须晚于开始时间。"));
            }
        }
        catch (FormatException ex)
        {
            Error = ex.Message;
            await LoadAsync(cancellationToken);
            return Page();
        }

        var slot = new ExamSlot { Exam = Exam.Trim(), Subject = Subject.Trim(), StartsAtUtc = start, EndsAtUtc = end };
        db.ExamSlots.Add(slot);
        audit.Add(db, User.Identity!.Name!, AuditActions.ExamAdd, "exam:" + slot.Exam, $"{slot.Subject} {start:u} – {end:u}", HttpContext.Connection.RemoteIpAddress?.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }

        if (await db.ExamSlots.FindAsync([id], cancellationToken) is { } slot)
        {
            db.ExamSlots.Remove(slot);
            audit.Add(db, User.Identity!.Name!, AuditActions.ExamRemove, "exam:" + slot.Exam, $"{slot.Subject} {slot.StartsAtUtc:u} – {slot.EndsAtUtc:u}", HttpContext.Connection.RemoteIpAddress?.ToString());
            await db.SaveChangesAsync(cancellationToken);
        }

        return RedirectToPage(new { past = Past });
    }

    /// <summary>Names the state of a paper at the time the page was made.</summary>
    public string State(ExamSlot slot) =>
        slot.HasEndedAt(NowUtc) ? UiText.Get("已结束") : slot.IsOpenAt(NowUtc) ? UiText.Get("进行中") : UiText.Get("未开始");

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        NowUtc = time.GetUtcNow().UtcDateTime;
        var now = NowUtc;
        var query = db.ExamSlots.AsNoTracking();
        query = Past ? query.Where(s => s.EndsAtUtc <= now).OrderByDescending(s => s.StartsAtUtc) : query.Where(s => s.EndsAtUtc > now).OrderBy(s => s.StartsAtUtc);
        Slots = await query.Take(500).ToListAsync(cancellationToken);
    }
}
