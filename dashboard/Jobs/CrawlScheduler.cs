using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Jobs;

/// <summary>Keeps Hangfire's recurring crawls in step with the registered sources.</summary>
public sealed class CrawlScheduler(WatchDbContext db, IRecurringJobManager recurring, IBackgroundJobClient jobs, HostSettings settings)
{
    /// <summary>Schedules every enabled source and removes the schedules of disabled ones.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        foreach (var source in await db.Sources.AsNoTracking().ToListAsync(cancellationToken))
        {
            var id = CrawlSourceJob.RecurringId(source.Id);
            if (source.Enabled)
            {
                var sourceId = source.Id;
                var cron = string.IsNullOrWhiteSpace(source.Schedule) ? settings.CrawlSchedule : source.Schedule;
                recurring.AddOrUpdate<CrawlSourceJob>(id, job => job.RunAsync(sourceId, CancellationToken.None), cron);
            }
            else
            {
                recurring.RemoveIfExists(id);
            }
        }
    }

    /// <summary>Queues one crawl of a source now.</summary>
    public string RunNow(int sourceId) => jobs.Enqueue<CrawlSourceJob>(job => job.RunAsync(sourceId, CancellationToken.None));
}
