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
public sealed class ExamsModel(WatchDbContext db, Calendar.ExamCalendar calendar, TimeProvider time) : PageModel
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

        try
        {
            await calendar.AddAsync(Exam, Subject, BeijingTime.ParseUtc($"{Day} {Start}"), BeijingTime.ParseUtc($"{Day} {End}"), User.Identity!.Name!, HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        }
        catch (FormatException ex)
        {
            Error = ex.Message;
        }
        catch (Calendar.ExamCalendarException ex)
        {
            Error = UiText.Of(ex.Text);
        }

        if (Error is not null)
        {
            await LoadAsync(cancellationToken);
            return Page();
        }

        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }

        await calendar.RemoveAsync(id, User.Identity!.Name!, HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken);

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
