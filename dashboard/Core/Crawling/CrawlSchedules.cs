using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Sources;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Crawling;

/// <summary>
/// Keeps the scheduled crawls in step with the registered sources: a source is scheduled only while it is enabled and
/// an authorisation is in force; otherwise its schedule is removed and the source shows why (audited once).
/// </summary>
public sealed class CrawlSchedules(WatchDbContext db, ICrawlJobs queue, AuditLog audit, TimeProvider time)
{
    /// <summary>Schedules every active source (its own schedule, else <paramref name="defaultSchedule"/>) and unschedules the others.</summary>
    public async Task SyncAsync(string defaultSchedule, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(defaultSchedule);
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var source in await db.Sources.Include(s => s.Authorisations).ToListAsync(cancellationToken))
        {
            if (source.IsChat)
            {
                // Imported from a member's exports, never crawled.
                queue.Unschedule(source.Id);
                continue;
            }

            var status = SourceStatus.Of(source, now);
            if (status.IsActive)
            {
                queue.Schedule(source.Id, string.IsNullOrWhiteSpace(source.Schedule) ? defaultSchedule : source.Schedule);
                continue;
            }

            queue.Unschedule(source.Id);
            var shown = "未抓取：" + status.Reason;
            if (source.LastCrawlResult != shown)
            {
                source.LastCrawlResult = shown;
                audit.Add(db, AuditLog.System, AuditActions.SourceUnscheduled, "source:" + source.Name, status.Reason.ToString());
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// The exam-window cadence: while a paper of the exam calendar is open, queues a crawl of every active exam-critical
    /// source (whatever its own schedule; minutes matter then). Returns how many were queued.
    /// </summary>
    public async Task<int> QueueExamCriticalAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (!await db.ExamSlots.OpenAt(now).AnyAsync(cancellationToken))
        {
            return 0;
        }

        var sources = await db.Sources.Include(s => s.Authorisations).Where(s => s.ExamCritical && s.Enabled).ToListAsync(cancellationToken);
        var queued = 0;
        foreach (var source in sources.Where(s => SourceStatus.Of(s, now).IsActive))
        {
            queue.RunNow(source.Id);
            queued++;
        }

        return queued;
    }
}
