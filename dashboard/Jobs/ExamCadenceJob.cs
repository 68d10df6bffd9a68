using ExamNetWatch.Dashboard.Crawling;
using Hangfire;

namespace ExamNetWatch.Dashboard.Jobs;

/// <summary>The Hangfire job of the exam-window cadence (<see cref="CrawlSchedules.QueueExamCriticalAsync"/>), every minute.</summary>
public sealed class ExamCadenceJob(CrawlSchedules schedules)
{
    /// <summary>
    /// Queues a crawl of every exam-critical source if a paper is in progress; returns how many were queued. No Hangfire
    /// lock: a run takes milliseconds, a crawl queued twice runs once (its lease), and a lock left by a killed worker
    /// would stop the cadence, during the exam, for <c>Jobs:DistributedLockTimeout</c>.
    /// </summary>
    [AutomaticRetry(Attempts = 0)]
    public Task<int> RunAsync(CancellationToken cancellationToken) => schedules.QueueExamCriticalAsync(cancellationToken);
}
