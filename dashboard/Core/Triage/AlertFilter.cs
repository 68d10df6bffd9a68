using ExamNetWatch.Dashboard.Data;

namespace ExamNetWatch.Dashboard.Triage;

/// <summary>
/// The queue's filter: status (none: the open alerts; "all"), minimum severity, category, source, assignee ("me", "none" or a name), a time window
/// (Beijing dates) and text in the title or matched terms. The same filter selects the page and the bulk actions, so
/// "all matching" means all, not the page.
/// </summary>
public sealed record AlertFilter
{
    public string? Status { get; init; }

    public int? MinSeverity { get; init; }

    public string? Category { get; init; }

    public int? SourceId { get; init; }

    public string? Assignee { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }

    public string? Text { get; init; }

    /// <summary>Gets whether only new alerts past their SLA are shown (as of <see cref="NowUtc"/>).</summary>
    public bool Overdue { get; init; }

    /// <summary>Gets the time "overdue" is judged at.</summary>
    public DateTime NowUtc { get; init; }

    /// <summary>
    /// Gets a time window named rather than typed (as of <see cref="NowUtc"/>): "24h" the last 24 hours, "today" since
    /// the start of the Beijing day, "exam" the papers of the exam day (<see cref="ExamStartUtc"/>–<see cref="ExamEndUtc"/>).
    /// </summary>
    public string? Within { get; init; }

    /// <summary>Gets when the exam day's first paper starts (what "exam" selects from), if there is one.</summary>
    public DateTime? ExamStartUtc { get; init; }

    /// <summary>Gets when the exam day's last paper ends.</summary>
    public DateTime? ExamEndUtc { get; init; }

    /// <summary>The named windows of <see cref="Within"/>.</summary>
    public static IReadOnlyList<string> Windows { get; } = ["24h", "today", "exam"];

    /// <summary>Gets the group to show (its first alert's id), if any.</summary>
    public long? GroupId { get; init; }

    /// <summary>
    /// Applies the filter for <paramref name="user"/> (who "me" is). With <paramref name="contacts"/> the text also finds
    /// alerts by a contact they name (a QQ number, a WeChat id).
    /// </summary>
    /// <exception cref="FormatException">A date is not yyyy-MM-dd.</exception>
    public IQueryable<Alert> Apply(IQueryable<Alert> alerts, string user, IQueryable<AlertContact>? contacts = null)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        // No status means the open ones (what staff work on); "all" includes closed alerts.
        if (!string.IsNullOrEmpty(Status) && AlertStatus.All.Contains(Status))
        {
            alerts = alerts.Where(a => a.Status == Status);
        }
        else if (Status != "all")
        {
            alerts = alerts.Where(a => a.Status != AlertStatus.Closed);
        }

        if (MinSeverity is { } severity)
        {
            alerts = alerts.Where(a => a.Severity >= severity);
        }

        if (!string.IsNullOrEmpty(Category))
        {
            var category = Category;
            alerts = alerts.Where(a => ("," + a.Categories + ",").Contains("," + category + ","));
        }

        if (SourceId is { } source)
        {
            alerts = alerts.Where(a => a.SourceId == source);
        }

        switch (Assignee)
        {
            case null or "":
                break;
            case "me":
                alerts = alerts.Where(a => a.Assignee == user);
                break;
            case "none":
                alerts = alerts.Where(a => a.Assignee == null);
                break;
            default:
                var assignee = Assignee;
                alerts = alerts.Where(a => a.Assignee == assignee);
                break;
        }

        if (Hosting.BeijingTime.ParseDayUtc(From) is { } from)
        {
            alerts = alerts.Where(a => a.CreatedAtUtc >= from);
        }

        if (Hosting.BeijingTime.ParseDayUtc(To) is { } to)
        {
            var end = to.AddDays(1);
            alerts = alerts.Where(a => a.CreatedAtUtc < end);
        }

        switch (Within)
        {
            case "24h":
                var day = NowUtc.AddHours(-24);
                alerts = alerts.Where(a => a.CreatedAtUtc >= day);
                break;
            case "today":
                var today = Hosting.BeijingTime.StartUtc(Hosting.BeijingTime.DayOf(NowUtc));
                alerts = alerts.Where(a => a.CreatedAtUtc >= today);
                break;
            case "exam" when ExamStartUtc is { } start && ExamEndUtc is { } end:
                alerts = alerts.Where(a => a.CreatedAtUtc >= start && a.CreatedAtUtc < end);
                break;
            case "exam":
                // No exam day in the calendar: nothing was raised during one.
                alerts = alerts.Where(a => false);
                break;
        }

        if (Overdue)
        {
            var now = NowUtc;
            alerts = alerts.Where(a => a.Status == AlertStatus.New && a.DueAtUtc != null && a.DueAtUtc < now);
        }

        if (GroupId is { } group)
        {
            alerts = alerts.Where(a => a.GroupId == group || a.Id == group);
        }

        if (!string.IsNullOrWhiteSpace(Text))
        {
            var text = Text.Trim();
            alerts = contacts is null
                ? alerts.Where(a => a.Title.Contains(text) || a.MatchedTerms.Contains(text))
                : alerts.Where(a => a.Title.Contains(text) || a.MatchedTerms.Contains(text) || contacts.Any(c => c.AlertId == a.Id && c.Contact.Contains(text)));
        }

        return alerts;
    }
}
