using ExamNetWatch.Dashboard.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Pages.Alerts;

/// <summary>Every alert whose post carries one contact (a QQ number, WeChat id, phone…), newest first.</summary>
public sealed class RelatedModel(WatchDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Contact { get; set; }

    public IReadOnlyList<Alert> Alerts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Contact))
        {
            return;
        }

        var contact = Contact;
        Alerts = await db.AlertContacts.Where(c => c.Contact == contact)
            .Join(db.Alerts, c => c.AlertId, a => a.Id, (c, a) => a)
            .AsNoTracking().OrderByDescending(a => a.Id).Take(500).ToListAsync(cancellationToken);
    }
}
