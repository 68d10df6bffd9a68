using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Sources;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Jobs;

/// <summary>
/// The exam-window cadence: every minute, while a paper of the exam calendar is in progress, each active
/// exam-critical source is crawled (whatever its own schedule). Minutes matter while a paper is open.
/// </summary>
public sealed class ExamCadenceJob(WatchDbContext db, IBackgroundJobClient jobs, TimeProvider time)
{
    /// <summary>Queues a crawl of every exam-critical source if a paper is in progress; returns how many were queued.</summary>
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
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
            var id = source.Id;
            jobs.Enqueue<CrawlSourceJob>(job => job.RunAsync(id, CancellationToken.None));
            queued++;
        }

        return queued;
    }
}
