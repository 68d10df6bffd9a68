using System.Text.Json;
using ExamNetWatch.Crawler.Crawling;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Indexer.Detection;
using ExamNetWatch.Indexer.Fingerprints;
using ExamNetWatch.Dashboard.Indexing;
using Microsoft.EntityFrameworkCore;
using ExamNetWatch.Crawler.Faults;

namespace ExamNetWatch.Dashboard.Ingestion;

/// <summary>
/// Takes each crawled post once: detection, then the post, an alert at severity medium or above, and the index
/// outbox entry in one transaction; the indexing worker takes it from there. A post already stored under its stable
/// id is skipped, also when another process stores it at the same moment.
/// </summary>
public sealed partial class PostIngestor(WatchDbContext db, PostDetector detector, IndexingSignal indexing, AuditLog audit, TimeProvider time, ILogger<PostIngestor> logger, IAlertFeed? live = null, ExamNetWatch.Dashboard.Triage.SlaOptions? sla = null, ExamNetWatch.Dashboard.Notifications.INotificationDrain? queue = null, ExamNetWatch.Dashboard.Notifications.NotificationOptions? notifications = null, Microsoft.Extensions.Options.IOptions<DetectionOptions>? detection = null) : ICrawlSink
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private DetectionContext? _context;

    /// <summary>Whether a paper is open or starts within the SLA's pre-exam window (then the exam deadlines apply).</summary>
    private bool? _examWindow;

    /// <summary>Gets how many new posts this ingestor stored.</summary>
    public int NewPosts { get; private set; }

    /// <summary>Gets how many alerts this ingestor raised.</summary>
    public int NewAlerts { get; private set; }

    /// <inheritdoc />
    public async Task AcceptAsync(CrawledPost post, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(post);
        if (await db.Posts.AnyAsync(p => p.Id == post.StableId, cancellationToken))
        {
            return;
        }

        _context ??= await OpenPapersAsync(cancellationToken);
        var verdict = detector.Detect(post.Floor is null or 1 && !post.Chat ? post.ThreadTitle : null, post.Text, _context);
        var stored = new Post
        {
            Id = post.StableId,
            SourceId = post.SourceId,
            ThreadId = post.ThreadId,
            ForumPostId = post.PostId,
            Url = post.PageUrl.ToString(),
            ThreadTitle = post.ThreadTitle,
            Author = post.Author,
            AuthorId = post.AuthorId,
            Floor = post.Floor,
            PostedAtUtc = post.PostedAt?.UtcDateTime,
            Text = post.Text,
            Html = post.Html,
            FetchedAtUtc = post.FetchedAt.UtcDateTime,
            CaptureSha256 = post.Capture.PayloadSha256,
            WarcFile = post.Capture.WarcFile,
            WarcOffset = post.Capture.WarcOffset,
            WarcLength = post.Capture.WarcLength,
            WarcRecordId = post.Capture.RecordId,
            ContentHash = TextFingerprint.ContentHash(post.Text),
            SimHash = TextFingerprint.SimHash(post.Text),
            Severity = (int)verdict.Severity,
            Score = verdict.Score,
            DetectionJson = JsonSerializer.Serialize(verdict, Json),
        };

        // The post's row is the claim: saved first, alone, in the transaction that then adds the rest. If another
        // process stored the post since the check above (two crawls overlapping as a lease changes hands), the insert
        // fails on the post's key, nothing else was added yet, and this copy is dropped.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Posts.Add(stored);
        KillPoint.Reach("ingest.post-saving");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.Entry(stored).State = EntityState.Detached;
            if (await db.Posts.AsNoTracking().AnyAsync(p => p.Id == post.StableId, cancellationToken))
            {
                Log.PostStoredElsewhere(logger, post.StableId);
                return;
            }

            throw;
        }

        Alert? alert = null;
        if (verdict.IsAlert)
        {
            alert = new Alert
            {
                PostId = stored.Id,
                SourceId = post.SourceId,
                CreatedAtUtc = time.GetUtcNow().UtcDateTime,
                Severity = (int)verdict.Severity,
                Score = verdict.Score,
                Categories = string.Join(',', verdict.Categories),
                MatchedTerms = MatchedTermsOf(verdict.Matches),
                Title = post.Chat ? ChatTitle(post) : post.ThreadTitle,
            };
            var contacts = verdict.Contacts.Select(c => $"{c.Kind}:{c.Value}").Append(SenderContact(post)).OfType<string>()
                .Where(c => c.Length <= 200).Distinct(StringComparer.Ordinal).ToList();
            var limits = sla ?? new ExamNetWatch.Dashboard.Triage.SlaOptions();
            _examWindow ??= _context.OpenSubjects.Count > 0 || await ExamStartsWithinAsync(TimeSpan.FromHours(limits.PreExamHours), cancellationToken);
            alert.DueAtUtc = limits.DueAt(verdict.Severity, alert.CreatedAtUtc, _examWindow.Value);
            alert.GroupId = await ExamNetWatch.Dashboard.Triage.AlertGrouping.FindGroupAsync(db, contacts, stored.SimHash, alert.CreatedAtUtc, cancellationToken);
            db.Alerts.Add(alert);
            foreach (var contact in contacts)
            {
                db.AlertContacts.Add(new AlertContact { Alert = alert, Contact = contact });
            }
        }

        IndexOutbox.Enqueue(db, stored.Id, time.GetUtcNow().UtcDateTime);
        var notify = false;
        if (alert is not null)
        {
            // The post, its alert, the alert's audit entry and its notification commit together or not at all: a process
            // killed in between leaves no alert without its record or its announcement (the post is simply read again).
            await db.SaveChangesAsync(cancellationToken);
            KillPoint.Reach("ingest.alert-saved");
            audit.Add(db, AuditLog.System, AuditActions.AlertRaise, FormattableString.Invariant($"alert:{alert.Id}"), FormattableString.Invariant($"{verdict.Severity.Name()} {verdict.Score:0.00} post {post.StableId}"));
            notify = notifications is not null && (notifications.Webhooks.Count > 0 || notifications.Email is { To.Count: > 0 }) && alert.Severity >= notifications.MinSeverity;
            if (notify)
            {
                ExamNetWatch.Dashboard.Notifications.NotificationOutbox.Enqueue(db, alert.Id, time.GetUtcNow().UtcDateTime);
            }

            if (live is ITransactionalAlertFeed withCommit)
            {
                // Announced by the commit itself: a process killed after it still announces the alert, and never before.
                await withCommit.PublishWithinAsync(db, await AnnouncementAsync(alert, stored.PostedAtUtc, cancellationToken), cancellationToken);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        KillPoint.Reach("ingest.before-commit");
        await transaction.CommitAsync(cancellationToken);
        KillPoint.Reach("ingest.committed");

        NewPosts++;
        ExamNetWatch.Dashboard.Hosting.WatchMetrics.Stored(alert is null ? null : verdict.Severity);
        if (alert is not null)
        {
            NewAlerts++;
            Log.AlertRaised(logger, alert.Id, verdict.Severity.Name(), post.StableId);
            if (notify)
            {
                // Sent now; if this process dies first, the every-minute drain sends it.
                queue?.DrainSoon();
            }

            if (live is not null and not ITransactionalAlertFeed)
            {
                live.Publish(await AnnouncementAsync(alert, stored.PostedAtUtc, cancellationToken));
            }
        }

        indexing.Notify();
    }

    private async Task<NewAlert> AnnouncementAsync(Alert alert, DateTime? postedAtUtc, CancellationToken cancellationToken)
    {
        var source = await db.Sources.Where(s => s.Id == alert.SourceId).Select(s => new { s.Name, s.Kind }).FirstOrDefaultAsync(cancellationToken);
        return new(
            alert.Id,
            alert.Severity,
            alert.Title,
            source?.Name ?? "?",
            alert.Categories,
            alert.MatchedTerms,
            alert.CreatedAtUtc,
            _context!.OpenSubjects.Count > 0)
        {
            SourceKind = source?.Kind ?? SourceKinds.Forum,
            PostedAtUtc = postedAtUtc,
        };
    }

    /// <summary>
    /// The sender of a chat message as a contact, so that one person's messages link across groups (and to a forum post
    /// that names the same QQ number): a QQ number is a QQ contact; a WeChat sender is known by their wxid.
    /// </summary>
    internal static string? SenderContact(CrawledPost post)
    {
        if (!post.Chat || string.IsNullOrWhiteSpace(post.AuthorId))
        {
            return null;
        }

        var id = post.AuthorId.Trim();
        return post.PageUrl.Host == SourceKinds.QqGroup && id.Length is >= 5 and <= 11 && id.All(char.IsAsciiDigit) ? "qq:" + id
            : id.Contains('@', StringComparison.Ordinal) ? "email:" + id
            : post.PageUrl.Host == SourceKinds.WeChatGroup ? "wxid:" + id
            : null;
    }

    /// <summary>A chat message has no title of its own: its alert is named by the sender and the start of the message.</summary>
    internal static string ChatTitle(CrawledPost post)
    {
        const int Shown = 40;
        var text = string.Join(' ', post.Text.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var start = new System.Globalization.StringInfo(text);
        var snippet = start.LengthInTextElements > Shown ? start.SubstringByTextElements(0, Shown) + "…" : text;
        return (post.Author ?? post.AuthorId ?? "?") + "：" + snippet;
    }

    /// <summary>The papers open now, and those starting within <see cref="DetectionOptions.ExamNearDays"/> (as "exam subject").</summary>
    /// <summary>
    /// The matched words as the post wrote them, the lexicon's term after a written-around one: "作*弊*器（作弊器）",
    /// so the queue and the evidence quote the post, not the normalised form.
    /// </summary>
    internal static string MatchedTermsOf(IEnumerable<TermMatch> matches) =>
        string.Join('、', matches.Select(m =>
        {
            var said = m.Text.Trim();
            return said.Length == 0 || string.Equals(said, m.Term, StringComparison.Ordinal) ? m.Term : $"{said}（{m.Term}）";
        }).Distinct(StringComparer.Ordinal));

    private Task<bool> ExamStartsWithinAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var until = now + window;
        return db.ExamSlots.AsNoTracking().AnyAsync(s => s.StartsAtUtc > now && s.StartsAtUtc <= until, cancellationToken);
    }

    private Task<DetectionContext> OpenPapersAsync(CancellationToken cancellationToken) =>
        ExamCalendarContext.LoadAsync(db, time.GetUtcNow().UtcDateTime, (detection?.Value ?? new DetectionOptions()).ExamNearDays, cancellationToken);
}
