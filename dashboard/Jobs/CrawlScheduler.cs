using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Sources;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Jobs;

/// <summary>
/// Keeps Hangfire's recurring crawls in step with the registered sources: a source is scheduled only while it is
/// enabled and an authorisation is in force; otherwise its schedule is removed and the source shows why.
/// Runs at start and every minute, so sources added or disabled from the command line take effect on a running server.
/// </summary>
public sealed class CrawlScheduler(WatchDbContext db, IRecurringJobManager recurring, IBackgroundJobClient jobs, AuditLog audit, TimeProvider time, HostSettings settings, Retention.RetentionOptions? retention = null)
{
    /// <summary>The recurring job that runs <see cref="SyncAsync"/>.</summary>
    public const string SyncJobId = "sync-schedules";

    /// <summary>The recurring job that runs the exam-window cadence.</summary>
    public const string ExamCadenceJobId = "exam-cadence";

    /// <summary>Schedules the system jobs and every active source; unschedules the others.</summary>
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 0)]
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<CrawlScheduler>(SyncJobId, s => s.SyncAsync(CancellationToken.None), "0 * * * * *");
        recurring.AddOrUpdate<ExamCadenceJob>(ExamCadenceJobId, j => j.RunAsync(CancellationToken.None), "30 * * * * *");
        recurring.AddOrUpdate<RetentionJob>(RetentionJob.RecurringId, j => j.RunAsync(CancellationToken.None), (retention ?? new Retention.RetentionOptions()).Schedule);
        recurring.AddOrUpdate<NotificationDrainJob>(NotificationDrainJob.RecurringId, n => n.DrainAsync(CancellationToken.None), "15 * * * * *");
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var source in await db.Sources.Include(s => s.Authorisations).ToListAsync(cancellationToken))
        {
            var id = CrawlSourceJob.RecurringId(source.Id);
            var status = SourceStatus.Of(source, now);
            if (status.IsActive)
            {
                var sourceId = source.Id;
                var cron = string.IsNullOrWhiteSpace(source.Schedule) ? settings.CrawlSchedule : source.Schedule;
                recurring.AddOrUpdate<CrawlSourceJob>(id, job => job.RunAsync(sourceId, CancellationToken.None), cron);
                continue;
            }

            recurring.RemoveIfExists(id);
            var shown = "未抓取：" + status.Reason;
            if (source.LastCrawlResult != shown)
            {
                source.LastCrawlResult = shown;
                audit.Add(db, AuditLog.System, AuditActions.SourceUnscheduled, "source:" + source.Name, status.Reason.ToString());
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Queues one crawl of a source now.</summary>
    public string RunNow(int sourceId) => jobs.Enqueue<CrawlSourceJob>(job => job.RunAsync(sourceId, CancellationToken.None));
}
