using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Indexer.Detection;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Statistics;

/// <summary>The figures of a period: alerts per Beijing day, source, category and severity, and how fast staff responded.</summary>
public sealed record AlertStatisticsReport(
    DateOnly From,
    DateOnly To,
    int Total,
    int Open,
    int Escalated,
    IReadOnlyList<DayCount> PerDay,
    IReadOnlyList<NamedCount> PerSource,
    IReadOnlyList<NamedCount> PerCategory,
    IReadOnlyList<NamedCount> PerSeverity,
    IReadOnlyList<NamedCount> ClosedBy,
    ResponseTimes Response)
{
    /// <summary>Gets the watch items of the period: posts spreading a leak rumour (not alerts), by Beijing day of fetching and by source.</summary>
    public RumourCounts Rumours { get; init; } = new(0, [], []);

    /// <summary>Gets the alerts per channel: forums, QQ groups, WeChat groups (key = the source kind), channels with alerts only.</summary>
    public IReadOnlyList<NamedCount> PerChannel { get; init; } = [];
}

/// <summary>Leak rumours (a watch level below alerts) of a period: in total, per Beijing day, per source.</summary>
public sealed record RumourCounts(int Total, IReadOnlyList<(DateOnly Day, int Count)> PerDay, IReadOnlyList<NamedCount> PerSource);

/// <summary>Alerts raised on one Beijing day, in total and per severity (index = severity value).</summary>
public sealed record DayCount(DateOnly Day, int Total, IReadOnlyList<int> BySeverity);

/// <summary>A count under a stable key (source id, category or severity code).</summary>
public sealed record NamedCount(string Key, string Name, int Count);

/// <summary>Time to acknowledge: from the alert being raised to the first triage step that took it out of "new".</summary>
public sealed record ResponseTimes(int Acknowledged, TimeSpan? Mean, TimeSpan? Median, IReadOnlyList<(string Severity, TimeSpan? Mean, int Count)> PerSeverity);

/// <summary>Computes <see cref="AlertStatisticsReport"/> for a period of Beijing days.</summary>
/// <summary>How the figures name categories, severities and close reasons (the host's labels); by default, their codes.</summary>
public sealed record StatisticsNames(Func<string, string> Category, Func<int, string> Severity, Func<string, string> CloseReason)
{
    /// <summary>Gets names that are the codes themselves (paper_leak, 4, benign).</summary>
    public static StatisticsNames Codes { get; } = new(c => c, s => ((Indexer.Detection.Severity)s).Name(), r => r);

    /// <summary>Gets how a source kind is named (forum, qq-group, wechat-group by default).</summary>
    public Func<string, string> SourceKind { get; init; } = k => k;
}

public sealed class AlertStatistics(WatchDbContext db, StatisticsNames? names = null)
{
    private StatisticsNames Names { get; } = names ?? StatisticsNames.Codes;

    /// <summary>The longest period one report covers.</summary>
    public const int MaxDays = 366;

    /// <summary>Reports on the alerts raised from the start of <paramref name="from"/> to the end of <paramref name="to"/> (Beijing days).</summary>
    /// <exception cref="ArgumentException">The period is reversed or longer than <see cref="MaxDays"/>.</exception>
    public async Task<AlertStatisticsReport> ReportAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        if (to < from || to.DayNumber - from.DayNumber >= MaxDays)
        {
            throw new ArgumentException($"the period must run forwards and cover at most {MaxDays} days.");
        }

        var startUtc = Hosting.BeijingTime.StartUtc(from);
        var endUtc = Hosting.BeijingTime.StartUtc(to.AddDays(1));
        var alerts = await db.Alerts.AsNoTracking()
            .Where(a => a.CreatedAtUtc >= startUtc && a.CreatedAtUtc < endUtc)
            .Select(a => new { a.CreatedAtUtc, a.Severity, a.Categories, a.SourceId, a.Status, a.CloseReason, a.AcknowledgedAtUtc })
            .ToListAsync(cancellationToken);
        var sources = await db.Sources.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
        var kinds = await db.Sources.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Kind, cancellationToken);

        var severities = Enum.GetValues<Indexer.Detection.Severity>().Select(s => (int)s).ToArray();
        var days = new Dictionary<DateOnly, int[]>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            days[day] = new int[severities.Max() + 1];
        }

        foreach (var a in alerts)
        {
            days[Hosting.BeijingTime.DayOf(a.CreatedAtUtc)][a.Severity]++;
        }

        var rumours = await RumoursAsync(startUtc, endUtc, from, to, sources, cancellationToken);
        var responded = alerts.Where(a => a.AcknowledgedAtUtc is not null).Select(a => (a.Severity, Took: a.AcknowledgedAtUtc!.Value - a.CreatedAtUtc)).ToList();
        return new AlertStatisticsReport(
            from,
            to,
            alerts.Count,
            alerts.Count(a => a.Status != AlertStatus.Closed),
            alerts.Count(a => a.Status == AlertStatus.Escalated),
            [.. days.OrderBy(d => d.Key).Select(d => new DayCount(d.Key, d.Value.Sum(), d.Value))],
            [.. alerts.GroupBy(a => a.SourceId).Select(g => new NamedCount(g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), sources.GetValueOrDefault(g.Key, "#" + g.Key), g.Count())).OrderByDescending(c => c.Count)],
            [.. alerts.SelectMany(a => a.Categories.Split(',', StringSplitOptions.RemoveEmptyEntries)).GroupBy(c => c).Select(g => new NamedCount(g.Key, Names.Category(g.Key), g.Count())).OrderByDescending(c => c.Count)],
            [.. severities.Reverse().Select(s => new NamedCount(((Indexer.Detection.Severity)s).Name(), Names.Severity(s), alerts.Count(a => a.Severity == s))).Where(c => c.Count > 0)],
            [.. alerts.Where(a => a.Status == AlertStatus.Closed).GroupBy(a => a.CloseReason ?? "").Select(g => new NamedCount(g.Key, Names.CloseReason(g.Key), g.Count())).OrderByDescending(c => c.Count)],
            new ResponseTimes(
                responded.Count,
                Mean(responded.Select(r => r.Took)),
                Median(responded.Select(r => r.Took)),
                [.. responded.GroupBy(r => r.Severity).OrderByDescending(g => g.Key).Select(g => (Names.Severity(g.Key), Mean(g.Select(r => r.Took)), g.Count()))]))
        {
            Rumours = rumours,
            PerChannel = [.. SourceKinds.All
                .Select(k => new NamedCount(k, Names.SourceKind(k), alerts.Count(a => kinds.GetValueOrDefault(a.SourceId, SourceKinds.Forum) == k)))
                .Where(c => c.Count > 0)],
        };
    }

    /// <summary>Posts of the period judged a leak rumour: severity low with the category leak_rumour in their verdict.</summary>
    private async Task<RumourCounts> RumoursAsync(DateTime startUtc, DateTime endUtc, DateOnly from, DateOnly to, Dictionary<int, string> sources, CancellationToken cancellationToken)
    {
        var low = await db.Posts.AsNoTracking()
            .Where(p => p.Severity == (int)Indexer.Detection.Severity.Low && p.FetchedAtUtc >= startUtc && p.FetchedAtUtc < endUtc)
            .Select(p => new { p.FetchedAtUtc, p.SourceId, p.DetectionJson })
            .ToListAsync(cancellationToken);
        var rumours = low.Where(p => IsRumour(p.DetectionJson)).ToList();
        var perDay = new List<(DateOnly, int)>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            perDay.Add((day, rumours.Count(r => Hosting.BeijingTime.DayOf(r.FetchedAtUtc) == day)));
        }

        return new RumourCounts(
            rumours.Count,
            perDay,
            [.. rumours.GroupBy(r => r.SourceId).Select(g => new NamedCount(g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), sources.GetValueOrDefault(g.Key, "#" + g.Key), g.Count())).OrderByDescending(c => c.Count)]);
    }

    private static bool IsRumour(string detectionJson)
    {
        try
        {
            using var verdict = System.Text.Json.JsonDocument.Parse(detectionJson);
            return verdict.RootElement.TryGetProperty("categories", out var categories) && categories.ValueKind == System.Text.Json.JsonValueKind.Array
                && categories.EnumerateArray().Any(c => c.GetString() == Indexer.Detection.Category.LeakRumour);
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static TimeSpan? Mean(IEnumerable<TimeSpan> spans)
    {
        var list = spans.ToList();
        return list.Count == 0 ? null : TimeSpan.FromTicks((long)list.Average(s => (double)s.Ticks));
    }

    private static TimeSpan? Median(IEnumerable<TimeSpan> spans)
    {
        var sorted = spans.Order().ToList();
        return sorted.Count == 0 ? null : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
