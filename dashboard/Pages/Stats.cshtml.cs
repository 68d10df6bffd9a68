using System.Globalization;
using System.Text.Json;
using ExamNetWatch.Dashboard.Localization;
using ExamNetWatch.Dashboard.Statistics;
using ExamNetWatch.Indexer.Detection;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ExamNetWatch.Dashboard.Pages;

/// <summary>Statistics for a period: alerts per day, source, category and severity, and the time staff took to respond; drawn with ECharts.</summary>
public sealed class StatsModel(AlertStatistics statistics, TimeProvider time) : PageModel
{
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    public AlertStatisticsReport? Report { get; private set; }

    public string? Error { get; private set; }

    /// <summary>Gets the chart data, serialised for the page's script (series names translated).</summary>
    public string ChartJson { get; private set; } = "{}";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var today = Hosting.BeijingTime.Today(time);
        try
        {
            var to = string.IsNullOrWhiteSpace(To) ? today : DateOnly.ParseExact(To.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var from = string.IsNullOrWhiteSpace(From) ? to.AddDays(-29) : DateOnly.ParseExact(From.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture);
            (From, To) = (from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            Report = await statistics.ReportAsync(from, to, cancellationToken);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            Error = UiText.Format("日期有误：请用 2026-06-20 这样的日期，期间不超过 {0} 天。", AlertStatistics.MaxDays);
            return;
        }

        var severities = new[] { 4, 3, 2, 1 };
        ChartJson = JsonSerializer.Serialize(new
        {
            days = Report.PerDay.Select(d => d.Day.ToString("MM-dd", CultureInfo.InvariantCulture)),
            perDay = severities.Select(s => new { name = Rendering.Labels.Severity(s), key = ((Indexer.Detection.Severity)s).Name(), data = Report.PerDay.Select(d => d.BySeverity[s]) }),
            perSource = Report.PerSource.Select(c => new { name = c.Name, value = c.Count }),
            perCategory = Report.PerCategory.Select(c => new { name = c.Name, value = c.Count }),
            perSeverity = Report.PerSeverity.Select(c => new { name = c.Name, key = c.Key, value = c.Count }),
            rumours = new { name = UiText.Get("泄题传言（关注项）"), data = Report.Rumours.PerDay.Select(d => d.Count) },
            labels = new { alerts = UiText.Get("告警数") },
        });
    }

    /// <summary>Formats a response time as staff read it (e.g. 1 小时 5 分).</summary>
    public static string Duration(TimeSpan? span) => span switch
    {
        null => "—",
        { TotalMinutes: < 1 } s => UiText.Format("{0} 秒", (int)s.TotalSeconds),
        { TotalHours: < 1 } s => UiText.Format("{0} 分", (int)s.TotalMinutes),
        { TotalDays: < 1 } s => UiText.Format("{0} 小时 {1} 分", (int)s.TotalHours, s.Minutes),
        var s => UiText.Format("{0} 天 {1} 小时", (int)s.Value.TotalDays, s.Value.Hours),
    };
}
