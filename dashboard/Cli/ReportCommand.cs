using System.CommandLine;
using System.Globalization;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Reports;

namespace ExamNetWatch.Dashboard.Cli;

/// <summary><c>report special-check</c>: the special-check report (专项检查报告) for a period, as PDF or DOCX.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "First day of the period (Beijing), e.g. 2026-06-01", Required = true };
        var to = new Option<string>("--to") { Description = "Last day of the period (Beijing), inclusive", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "The report to write: .pdf or .docx", Required = true };
        var authority = new Option<string?>("--authority") { Description = "The reporting authority (报送单位), e.g. 某市教育考试院 (default: the setting Evidence:Unit; one of the two is required)" };
        var number = new Option<string?>("--number") { Description = "The document number (文号), e.g. 某教考〔2026〕12号" };
        var conclusions = new Option<string?>("--conclusions") { Description = "The authority's own conclusions and next steps, printed after the generated ones" };
        var by = new Option<string>("--by") { Description = "Who produces it (audited)", DefaultValueFactory = _ => Environment.UserName };
        var command = new Command("special-check", "Write the special-check report for a period: sources and authorisations, pages and posts examined, alerts by category and severity, confirmed cases and their handling, open items") { from, to, output, authority, number, conclusions, by };
        command.SetAction(async (r, ct) =>
        {
            DateOnly first, last;
            var file = r.GetValue(output)!;
            var format = file.Extension.TrimStart('.').ToLowerInvariant();
            try
            {
                first = DateOnly.ParseExact(r.GetValue(from)!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                last = DateOnly.ParseExact(r.GetValue(to)!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                if (format is not ("pdf" or "docx"))
                {
                    throw new FormatException($"{file.Name}: the report is written as .pdf or .docx");
                }
            }
            catch (FormatException ex)
            {
                await Console.Error.WriteLineAsync("report special-check: " + ex.Message);
                return 2;
            }

            await using var services = await CliHost.OpenAsync(r.GetValue(CommandLine.DataDir)!, ct);
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
            var time = services.GetRequiredService<TimeProvider>();
            ReportDocument report;
            try
            {
                var unit = r.GetValue(authority) ?? services.GetRequiredService<Evidence.EvidenceOptions>().Unit ?? string.Empty;
                report = await scope.ServiceProvider.GetRequiredService<SpecialCheckReport>().BuildAsync(new SpecialCheckRequest(first, last, unit, r.GetValue(number), r.GetValue(conclusions)), ct);
            }
            catch (ArgumentException ex)
            {
                await Console.Error.WriteLineAsync("report special-check: " + ex.Message);
                return 2;
            }

            await using (var stream = file.Create())
            {
                ReportRenderer.Write(report, format, stream, time.GetUtcNow().UtcDateTime);
            }

            services.GetRequiredService<AuditLog>().Add(db, r.GetValue(by)!, AuditActions.ReportSpecialCheck, "report", $"{first:yyyy-MM-dd} – {last:yyyy-MM-dd} {format}");
            await db.SaveChangesAsync(ct);
            await Console.Out.WriteLineAsync($"{file.FullName}: {report.Title}");
            return 0;
        });
        return new Command("report", "Written reports") { command };
    }
}
