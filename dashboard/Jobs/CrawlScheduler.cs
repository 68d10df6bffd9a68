using ExamNetWatch.Dashboard.Crawling;
using ExamNetWatch.Dashboard.Hosting;
using Hangfire;

namespace ExamNetWatch.Dashboard.Jobs;

/// <summary>
/// Schedules the system's recurring jobs and keeps the sources' crawls in step with the registrations
/// (<see cref="CrawlSchedules"/>). Runs at start and every minute, so sources added or disabled from the command line
/// take effect on a running server.
/// </summary>
public sealed class CrawlScheduler(IRecurringJobManager recurring, CrawlSchedules schedules, ICrawlJobs queue, HostSettings settings, Retention.RetentionOptions? retention = null)
{
    /// <summary>The recurring job that runs <see cref="SyncAsync"/>.</summary>
    public const string SyncJobId = "sync-schedules";

    /// <summary>The recurring job that runs the exam-window cadence.</summary>
    public const string ExamCadenceJobId = "exam-cadence";

    /// <summary>Schedules the system jobs and every active source; unschedules the others (idempotent, so no Hangfire lock: see <see cref="ExamCadenceJob"/>).</summary>
    [AutomaticRetry(Attempts = 0)]
    public Task SyncAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<CrawlScheduler>(SyncJobId, s => s.SyncAsync(CancellationToken.None), "0 * * * * *");
        recurring.AddOrUpdate<ExamCadenceJob>(ExamCadenceJobId, j => j.RunAsync(CancellationToken.None), "30 * * * * *");
        recurring.AddOrUpdate<RetentionJob>(RetentionJob.RecurringId, j => j.RunAsync(CancellationToken.None), (retention ?? new Retention.RetentionOptions()).Schedule);
        recurring.AddOrUpdate<NotificationDrainJob>(NotificationDrainJob.RecurringId, n => n.DrainAsync(CancellationToken.None), "15 * * * * *");
        return schedules.SyncAsync(settings.CrawlSchedule, cancellationToken);
    }

    /// <summary>Queues one crawl of a source now.</summary>
    public string RunNow(int sourceId) => queue.RunNow(sourceId);
}
