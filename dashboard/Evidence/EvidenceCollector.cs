using ExamNetWatch.Crawler.Captures;
using ExamNetWatch.Dashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Evidence;

/// <summary>
/// Gathers an evidence case: an alert, or a whole group (<c>g</c> + the group id), with posts, sources, the
/// captured WARC records read back from the capture store, and every audit entry about these alerts.
/// </summary>
public sealed class EvidenceCollector(WatchDbContext db, ICaptureReader captures, TimeProvider time)
{
    /// <summary>Reads <c>123</c> (an alert) or <c>g123</c> / <c>group:123</c> (every alert of group 123).</summary>
    /// <exception cref="FormatException">Neither form.</exception>
    public static (long Id, bool Group) ParseId(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var (group, digits) = trimmed.StartsWith("group:", StringComparison.OrdinalIgnoreCase) ? (true, trimmed[6..])
            : trimmed.StartsWith('g') ? (true, trimmed[1..])
            : (false, trimmed);
        return long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0
            ? (id, group)
            : throw new FormatException($"'{text}' is neither an alert id (123) nor a group (g123).");
    }

    /// <summary>Collects the case, or returns null when there is no such alert or group.</summary>
    public async Task<EvidenceCase?> CollectAsync(long id, bool group, string operatorName, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow().UtcDateTime;
        var alerts = await db.Alerts.AsNoTracking()
            .Where(a => group ? a.Id == id || a.GroupId == id : a.Id == id)
            .OrderBy(a => a.Id)
            .ToListAsync(cancellationToken);
        if (alerts.Count == 0)
        {
            return null;
        }

        var postIds = alerts.Select(a => a.PostId).ToList();
        var posts = await db.Posts.AsNoTracking().Where(p => postIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var sourceIds = alerts.Select(a => a.SourceId).Distinct().ToList();
        var sources = await db.Sources.AsNoTracking().Include(s => s.Authorisations).Where(s => sourceIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        var alertIds = alerts.Select(a => a.Id).ToList();
        var notes = await db.AlertNotes.AsNoTracking().Where(n => alertIds.Contains(n.AlertId)).OrderBy(n => n.Id).ToListAsync(cancellationToken);
        var targets = alertIds.Select(Triage.AlertTriage.Target).ToList();
        var custody = await db.Audit.AsNoTracking().Where(a => targets.Contains(a.Target)).OrderBy(a => a.Sequence).ThenBy(a => a.Id).ToListAsync(cancellationToken);

        var items = new List<EvidenceItem>();
        foreach (var alert in alerts)
        {
            var post = posts[alert.PostId];
            var (response, request, error) = ReadCapture(post);
            items.Add(new EvidenceItem(alert, post, sources[alert.SourceId], response, request, error, [.. notes.Where(n => n.AlertId == alert.Id)]));
        }

        var caseId = group ? FormattableString.Invariant($"G{id}") : FormattableString.Invariant($"A{id}");
        return new EvidenceCase(caseId, items, custody, operatorName, started);
    }

    private (WarcRecord? Response, WarcRecord? Request, string? Error) ReadCapture(Post post)
    {
        var reference = new CaptureRef(post.CaptureSha256, post.WarcFile, post.WarcOffset, post.WarcLength, post.WarcRecordId);
        WarcRecord response;
        try
        {
            response = captures.Read(reference);
        }
        catch (Exception e) when (e is IOException or FormatException or ArgumentException or UnauthorizedAccessException or InvalidDataException)
        {
            return (null, null, $"{post.WarcFile}@{post.WarcOffset}: {e.GetType().Name}: {e.Message}");
        }

        if (response.RecordId != post.WarcRecordId)
        {
            return (null, null, $"{post.WarcFile}@{post.WarcOffset} holds {response.RecordId}, not {post.WarcRecordId}");
        }

        // The request is written right after its response, in the same file.
        try
        {
            // Its length is not stored: read it unbounded (the member after the response).
            var request = captures.Read(reference with { WarcOffset = post.WarcOffset + post.WarcLength, WarcLength = 0 });
            return request.Type == "request" && request.Field("WARC-Concurrent-To") == response.RecordId ? (response, request, null) : (response, null, null);
        }
        catch (Exception e) when (e is IOException or FormatException or ArgumentException or InvalidDataException)
        {
            return (response, null, null);
        }
    }
}
