using System.Text.Json;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Indexing;
using ExamNetWatch.Dashboard.Rendering;
using ExamNetWatch.Indexer.Detection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Pages.Alerts;

/// <summary>One alert: the post (sanitised, matches marked), why it fired, and the triage action.</summary>
public sealed class DetailModel(WatchDbContext db, PostHighlighter highlighter, AuditLog audit, IndexingSignal indexing, TimeProvider time) : PageModel
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Alert Alert { get; private set; } = null!;

    public Post Post { get; private set; } = null!;

    public string SourceName { get; private set; } = string.Empty;

    public DetectionResult Detection { get; private set; } = null!;

    public string? TitleHtml { get; private set; }

    public string TextHtml { get; private set; } = string.Empty;

    /// <summary>Gets the original URL if it is http(s); anything else (javascript:, data:) is not linked.</summary>
    public string SafeUrl { get; private set; } = "#";

    public IReadOnlyList<AuditEntry> History { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        audit.Add(db, User.Identity!.Name!, "alert.view", Target(id), remoteAddress: HttpContext.Connection.RemoteIpAddress?.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return Page();
    }

    public Task<IActionResult> OnPostConfirmAsync(long id, CancellationToken cancellationToken) => TriageAsync(id, AlertStatus.Confirmed, cancellationToken);

    public Task<IActionResult> OnPostDismissAsync(long id, CancellationToken cancellationToken) => TriageAsync(id, AlertStatus.Dismissed, cancellationToken);

    private async Task<IActionResult> TriageAsync(long id, string status, CancellationToken cancellationToken)
    {
        var alert = await db.Alerts.SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (alert is null)
        {
            return NotFound();
        }

        var user = User.Identity!.Name!;
        var previous = alert.Status;
        alert.Status = status;
        alert.TriagedBy = user;
        alert.TriagedAtUtc = time.GetUtcNow().UtcDateTime;
        alert.ClosedAtUtc = status is AlertStatus.Dismissed or AlertStatus.Closed ? alert.TriagedAtUtc : null;
        audit.Add(db, user, "alert." + (status == AlertStatus.Confirmed ? "confirm" : "dismiss"), Target(id), $"{previous} → {status}", HttpContext.Connection.RemoteIpAddress?.ToString());
        IndexOutbox.Enqueue(db, alert.PostId, alert.TriagedAtUtc.Value);
        await db.SaveChangesAsync(cancellationToken);
        indexing.Notify();
        return RedirectToPage(new { id });
    }

    private async Task<bool> LoadAsync(long id, CancellationToken cancellationToken)
    {
        var alert = await db.Alerts.AsNoTracking().Include(a => a.Post).SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (alert?.Post is null)
        {
            return false;
        }

        Alert = alert;
        Post = alert.Post;
        SourceName = await db.Sources.Where(s => s.Id == alert.SourceId).Select(s => s.Name).SingleOrDefaultAsync(cancellationToken) ?? "?";
        Detection = JsonSerializer.Deserialize<DetectionResult>(Post.DetectionJson, Json)!;
        if (Detection.Matches.Any(m => m.Field == "title"))
        {
            TitleHtml = highlighter.Render(Post.ThreadTitle, "title", Detection.Matches);
        }

        TextHtml = highlighter.Render(Post.Text, "text", Detection.Matches);
        SafeUrl = Uri.TryCreate(Post.Url, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) ? url.AbsoluteUri : "#";
        var target = Target(id);
        History = await db.Audit.AsNoTracking().Where(a => a.Target == target && a.Action != "alert.view")
            .OrderBy(a => a.AtUtc).ThenBy(a => a.Id).ToListAsync(cancellationToken);
        return true;
    }

    private static string Target(long id) => FormattableString.Invariant($"alert:{id}");
}
