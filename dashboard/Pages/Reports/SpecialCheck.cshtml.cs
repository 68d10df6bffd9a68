using System.Globalization;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Localization;
using ExamNetWatch.Dashboard.Reports;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ExamNetWatch.Dashboard.Pages.Reports;

/// <summary>The special-check report for a period, downloaded as PDF or DOCX (Analyst or Admin; audited).</summary>
[Authorize(Policy = StaffPolicies.Triage)]
public sealed class SpecialCheckModel(SpecialCheckReport reports, AuditLog audit, WatchDbContext db, TimeProvider time) : PageModel
{
    [BindProperty]
    public string? From { get; set; }

    [BindProperty]
    public string? To { get; set; }

    [BindProperty]
    public string Authority { get; set; } = string.Empty;

    [BindProperty]
    public string Format { get; set; } = "pdf";

    public string? Error { get; private set; }

    public void OnGet()
    {
        var today = Hosting.BeijingTime.Today(time);
        From = today.AddDays(-29).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        To = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        ReportDocument report;
        DateOnly first, last;
        try
        {
            first = DateOnly.ParseExact(From ?? string.Empty, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            last = DateOnly.ParseExact(To ?? string.Empty, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            using (UiText.InChinese())
            {
                report = await reports.BuildAsync(first, last, string.IsNullOrWhiteSpace(Authority) ? "（报送单位）" : Authority.Trim(), cancellationToken);
            }
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            Error = UiText.Get("日期有误：请用 2026-06-20 这样的日期，期间不超过一年。");
            return Page();
        }

        var format = Format == "docx" ? "docx" : "pdf";
        var output = new MemoryStream();
        ReportRenderer.Write(report, format, output, time.GetUtcNow().UtcDateTime);
        output.Position = 0;
        audit.Add(db, User.Identity!.Name!, AuditActions.ReportSpecialCheck, "report", $"{first:yyyy-MM-dd} – {last:yyyy-MM-dd} {format}", HttpContext.Connection.RemoteIpAddress?.ToString());
        await db.SaveChangesAsync(cancellationToken);
        var contentType = format == "pdf" ? "application/pdf" : "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        return File(output, contentType, $"special-check-{first:yyyyMMdd}-{last:yyyyMMdd}.{format}");
    }
}
