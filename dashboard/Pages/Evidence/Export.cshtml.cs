using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Evidence;
using ExamNetWatch.Dashboard.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Pages.Evidence;

/// <summary>Exports the evidence package of an alert or its group as a download (Analyst or Admin; audited per alert).</summary>
[Authorize(Policy = StaffPolicies.Triage)]
public sealed class ExportModel(EvidenceCollector collector, EvidenceExporter exporter, WatchDbContext db) : PageModel
{
    public string? Error { get; private set; }

    public IActionResult OnGet() => RedirectToPage("/Index");

    /// <summary>Exports alert <paramref name="id"/>, or with <paramref name="group"/> every alert of the group it belongs to.</summary>
    public async Task<IActionResult> OnPostAsync(long id, bool group, CancellationToken cancellationToken)
    {
        if (group)
        {
            id = await db.Alerts.Where(a => a.Id == id).Select(a => a.GroupId ?? a.Id).FirstOrDefaultAsync(cancellationToken);
        }

        var evidence = await collector.CollectAsync(id, group, User.Identity!.Name!, cancellationToken);
        if (evidence is null)
        {
            Error = UiText.Format("没有编号为 {0} 的告警或告警组。", id);
            return Page();
        }

        var package = new MemoryStream();
        await exporter.ExportAsync(evidence, package, HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        package.Position = 0;
        return File(package, "application/zip", $"evidence-{evidence.CaseId}.zip");
    }
}
