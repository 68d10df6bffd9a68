using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Pages;

/// <summary>The audit log for admins: who did what, to what, when and from where; filterable, newest first.</summary>
[Authorize(Policy = StaffPolicies.Admin)]
public sealed class AuditModel(WatchDbContext db) : PageModel
{
    private const int PageSize = 100;

    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Target { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public bool HasMore { get; private set; }

    public string? Error { get; private set; }

    public object RouteValues(int page) => new { actor = Actor, action = Action, target = Target, from = From, to = To, p = page };

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        PageNumber = Math.Max(1, PageNumber);
        var query = db.Audit.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Actor))
        {
            var actor = Actor.Trim();
            query = query.Where(a => a.Actor == actor);
        }

        if (!string.IsNullOrWhiteSpace(Action))
        {
            var action = Action.Trim();
            query = query.Where(a => a.Action.StartsWith(action));
        }

        if (!string.IsNullOrWhiteSpace(Target))
        {
            var target = Target.Trim();
            query = query.Where(a => a.Target == target);
        }

        try
        {
            if (Hosting.BeijingTime.ParseDayUtc(From) is { } from)
            {
                query = query.Where(a => a.AtUtc >= from);
            }

            if (Hosting.BeijingTime.ParseDayUtc(To) is { } to)
            {
                var end = to.AddDays(1);
                query = query.Where(a => a.AtUtc < end);
            }
        }
        catch (FormatException)
        {
            Error = UiText.Get("日期格式应为 2026-06-20。");
            return;
        }

        var rows = await query.OrderByDescending(a => a.AtUtc).ThenByDescending(a => a.Id)
            .Skip((PageNumber - 1) * PageSize).Take(PageSize + 1).ToListAsync(cancellationToken);
        HasMore = rows.Count > PageSize;
        Entries = [.. rows.Take(PageSize)];
    }
}
