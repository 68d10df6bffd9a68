using ExamNetWatch.Dashboard.Crawling;
using Hangfire;

namespace ExamNetWatch.Dashboard.Jobs;

/// <summary>The Hangfire job of the exam-window cadence (<see cref="CrawlSchedules.QueueExamCriticalAsync"/>), every minute.</summary>
public sealed class ExamCadenceJob(CrawlSchedules schedules)
{
    /// <summary>Queues a crawl of every exam-critical source if a paper is in progress; returns how many were queued.</summary>
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 0)]
    public Task<int> RunAsync(CancellationToken cancellationToken) => schedules.QueueExamCriticalAsync(cancellationToken);
}
