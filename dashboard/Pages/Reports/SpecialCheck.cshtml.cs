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
public sealed class SpecialCheckModel(SpecialCheckReport reports, AuditLog audit, WatchDbContext db, TimeProvider time, ExamNetWatch.Dashboard.Evidence.EvidenceOptions settings) : PageModel
{
    [BindProperty]
    public string? From { get; set; }

    [BindProperty]
    public string? To { get; set; }

    [BindProperty]
    public string Authority { get; set; } = string.Empty;

    [BindProperty]
    public string? DocumentNumber { get; set; }

    [BindProperty]
    public string? Conclusions { get; set; }

    [BindProperty]
    public string Format { get; set; } = "pdf";

    /// <summary>Gets today in Beijing, the latest day a period may end on.</summary>
    public string Today => Hosting.BeijingTime.Today(time).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public string? Error { get; private set; }

    /// <summary>This month so far, and the unit of the settings (Evidence:Unit) as the 报送单位.</summary>
    public void OnGet()
    {
        var today = Hosting.BeijingTime.Today(time);
        From = new DateOnly(today.Year, today.Month, 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        To = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Authority = settings.Unit ?? string.Empty;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        ReportDocument report;
        DateOnly first, last;
        if (!DateOnly.TryParseExact(From ?? string.Empty, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out first)
            || !DateOnly.TryParseExact(To ?? string.Empty, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out last))
        {
            return Refuse(UiText.Get("日期有误：请用 2026-06-20 这样的日期。"));
        }

        if (last < first || last.DayNumber - first.DayNumber >= 366)
        {
            return Refuse(UiText.Get("期间有误：结束日期不能早于开始日期，期间不超过一年。"));
        }

        if (last > Hosting.BeijingTime.Today(time))
        {
            return Refuse(UiText.Format("期间不能晚于今天（{0}）：报告只统计已经发生的情况。", Today));
        }

        if (string.IsNullOrWhiteSpace(Authority))
        {
            return Refuse(UiText.Get("请填写报送单位，如 某市教育考试院。"));
        }

        try
        {
            using (UiText.InChinese())
            {
                report = await reports.BuildAsync(new SpecialCheckRequest(first, last, Authority, DocumentNumber, Conclusions), cancellationToken);
            }
        }
        catch (ArgumentException)
        {
            return Refuse(UiText.Format("文号不超过 {0} 个字，结论不超过 {1} 个字。", SpecialCheckReport.MaxDocumentNumber, SpecialCheckReport.MaxConclusions));
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

    /// <summary>The form again with what was typed, and why it was refused.</summary>
    private PageResult Refuse(string error)
    {
        Error = error;
        return Page();
    }
}
