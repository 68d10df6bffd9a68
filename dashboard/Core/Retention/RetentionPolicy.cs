using System.Globalization;
using ExamNetWatch.Crawler.Captures;
using ExamNetWatch.Crawler.Faults;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Indexing;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Retention;

/// <summary>How long personal data is kept (configuration section <c>Retention</c>).</summary>
public sealed record RetentionOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    /// <summary>Gets the days a post that raised no alert is kept (database, index and captures).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 3650, ErrorMessage = "Retention:NonAlertPostDays must be between {1} and {2} days (capture files are closed after a day: fewer would purge what is still being written).")]
    public int NonAlertPostDays { get; init; } = 30;

    /// <summary>Gets the days an alert and what backs it are kept after it was closed.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 36500, ErrorMessage = "Retention:ClosedAlertDays must be between {1} and {2} days.")]
    public int ClosedAlertDays { get; init; } = 365;

    /// <summary>Gets how many posts one transaction purges.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 100_000, ErrorMessage = "Retention:BatchSize must be between {1} and {2}.")]
    public int BatchSize { get; init; } = 500;

    /// <summary>Gets when retention runs (Hangfire cron, seconds allowed; default every day at 03:30 Beijing time).</summary>
    public string Schedule { get; init; } = "30 19 * * *";

    /// <inheritdoc />
    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        if (CronSetting.Problem(Schedule) is { } problem)
        {
            yield return new($"Retention:Schedule ('{Schedule}') is not a cron expression: {problem}", [nameof(Schedule)]);
        }
    }
}

/// <summary>What one retention run removed.</summary>
public sealed record RetentionReport(int Posts, int Alerts, int CaptureRecords, int CaptureFilesRewritten, int CaptureFilesDeleted);

/// <summary>
/// Applies the retention policy (student posts are personal data): posts that raised no alert go after
/// <see cref="RetentionOptions.NonAlertPostDays"/>; an alert and its post go <see cref="RetentionOptions.ClosedAlertDays"/>
/// after the alert was closed, never while it is escalated to the police or held for an export. Each purge removes
/// the rows, queues the index deletion through the outbox, and rewrites old WARC files without the expired captures.
/// Every run that removes something is recorded in the audit log with its counts. The host runs it on
/// <see cref="RetentionOptions.Schedule"/>.
/// </summary>
public sealed class RetentionPolicy(WatchDbContext db, DataDirectory data, RetentionOptions options, AuditLog audit, IndexingSignal indexing, TimeProvider time)
{
    /// <summary>Runs the policy once.</summary>
    public async Task<RetentionReport> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var postCutoff = now.AddDays(-options.NonAlertPostDays);
        var alertCutoff = now.AddDays(-options.ClosedAlertDays);

        var posts = 0;
        while (true)
        {
            var ids = await db.Posts
                .Where(p => p.FetchedAtUtc < postCutoff && !db.Alerts.Any(a => a.PostId == p.Id))
                .OrderBy(p => p.Id).Select(p => p.Id).Take(options.BatchSize).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                break;
            }

            posts += await PurgeAsync(ids, alerts: false, now, cancellationToken);
            KillPoint.Reach("retention.batch-purged");
        }

        var alerts = 0;
        while (true)
        {
            var ids = await db.Alerts
                .Where(a => a.Status == AlertStatus.Closed && a.ClosedAtUtc != null && a.ClosedAtUtc < alertCutoff && !a.LegalHold)
                .OrderBy(a => a.Id).Select(a => a.PostId).Take(options.BatchSize).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                break;
            }

            alerts += await PurgeAsync(ids, alerts: true, now, cancellationToken);
        }

        KillPoint.Reach("retention.posts-purged");
        var (records, rewritten, deleted) = await CompactCapturesAsync(postCutoff, cancellationToken);
        var report = new RetentionReport(posts, alerts, records, rewritten, deleted);
        if (posts + alerts + records > 0)
        {
            audit.Add(
                db,
                AuditLog.System,
                AuditActions.RetentionPurge,
                "retention",
                string.Create(CultureInfo.InvariantCulture, $"posts without alert {posts} (fetched before {postCutoff:yyyy-MM-dd}), closed alerts {alerts} (closed before {alertCutoff:yyyy-MM-dd}), capture records {records} ({rewritten} files rewritten, {deleted} deleted)"));
            await db.SaveChangesAsync(cancellationToken);
        }

        if (posts + alerts > 0)
        {
            indexing.Notify();
        }

        return report;
    }

    private async Task<int> PurgeAsync(List<string> postIds, bool alerts, DateTime now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (alerts)
        {
            await db.Alerts.Where(a => postIds.Contains(a.PostId)).ExecuteDeleteAsync(cancellationToken);
        }

        var removed = await db.Posts.Where(p => postIds.Contains(p.Id)).ExecuteDeleteAsync(cancellationToken);
        foreach (var id in postIds)
        {
            IndexOutbox.Enqueue(db, id, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return removed;
    }

    /// <summary>Rewrites WARC files last written before the cut-off, keeping only captures a remaining post refers to.</summary>
    private async Task<(int Records, int Rewritten, int Deleted)> CompactCapturesAsync(DateTime cutoff, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(data.CapturesPath))
        {
            return (0, 0, 0);
        }

        int records = 0, rewritten = 0, deleted = 0;
        foreach (var path in Directory.EnumerateFiles(data.CapturesPath, "*.warc.gz"))
        {
            // Writers close a file after a day (WarcWriter.MaxFileAge), so one this old is never written again.
            if (File.GetLastWriteTimeUtc(path) >= cutoff)
            {
                continue;
            }

            var name = Path.GetFileName(path);
            var referenced = (await db.Posts.Where(p => p.WarcFile == name).Select(p => p.WarcRecordId).Distinct().ToListAsync(cancellationToken))
                .ToHashSet(StringComparer.Ordinal);
            KillPoint.Reach("retention.compacting");
            var result = WarcCompactor.Compact(path, referenced, new DateTimeOffset(cutoff, TimeSpan.Zero), time.GetUtcNow());
            if (result.LeftDamaged)
            {
                audit.Add(db, AuditLog.System, AuditActions.RetentionCaptureDamaged, "capture:" + name, "a record still referenced cannot be read; the file is left as it is");
                await db.SaveChangesAsync(cancellationToken);
                continue;
            }

            if (result.Dropped == 0)
            {
                continue;
            }

            records += result.Dropped;
            if (result.Deleted)
            {
                deleted++;
                continue;
            }

            rewritten++;
            KillPoint.Reach("retention.capture-rewritten");
            // Every post moves to the new file in one transaction, then the old file goes: a kill before the commit leaves
            // the old file referenced (the new one is an orphan a later run removes), after it an unreferenced old file.
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                foreach (var (recordId, location) in result.Kept)
                {
                    if (referenced.Contains(recordId))
                    {
                        await db.Posts.Where(p => p.WarcFile == name && p.WarcRecordId == recordId)
                            .ExecuteUpdateAsync(s => s.SetProperty(p => p.WarcFile, result.NewFile!).SetProperty(p => p.WarcOffset, location.Offset).SetProperty(p => p.WarcLength, location.Length), cancellationToken);
                    }
                }

                await transaction.CommitAsync(cancellationToken);
            }

            KillPoint.Reach("retention.capture-repointed");
            File.Delete(path);
        }

        return (records, rewritten, deleted);
    }
}
