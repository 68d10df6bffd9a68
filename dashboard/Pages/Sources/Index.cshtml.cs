using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Sources;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Pages.Sources;

/// <summary>The registered sources: authorisation status and renewal warnings, schedule, last crawl, posts and open alerts.</summary>
public sealed class IndexModel(SourceRegistry registry, WatchDbContext db, TimeProvider time) : PageModel
{
    public sealed record Row(Source Source, SourceStatus Status, string? Warning, int Posts, int OpenAlerts);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public bool CanEdit => User.IsInRole(StaffRoles.Admin);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var sources = await registry.ListAsync(cancellationToken);
        var posts = await db.Posts.GroupBy(p => p.SourceId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var open = await db.Alerts.Where(a => a.Status != AlertStatus.Closed).GroupBy(a => a.Post!.SourceId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        Rows = [.. sources.Select(s => new Row(s, SourceStatus.Of(s, now), SourceStatus.Warning(s, now) is { } warning ? Localization.UiText.Of(warning) : null, posts.GetValueOrDefault(s.Id), open.GetValueOrDefault(s.Id)))];
    }
}
