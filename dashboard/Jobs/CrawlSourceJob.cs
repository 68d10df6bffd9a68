using ExamNetWatch.Dashboard.Crawling;
using Hangfire;

namespace ExamNetWatch.Dashboard.Jobs;

/// <summary>
/// The Hangfire job of one source's crawl (<see cref="SourceCrawl"/>). One run per source at a time is the crawl's own
/// lease (<see cref="CrawlLeases"/>), renewed while it runs, not a Hangfire lock: those are not renewed, so a crawl
/// longer than <c>Jobs:DistributedLockTimeout</c> would lose it, and a killed worker's lock would hold the retry back
/// for that long.
/// </summary>
public sealed class CrawlSourceJob(SourceCrawl crawl)
{
    /// <summary>Gets the recurring-job id of a source's crawl.</summary>
    public static string RecurringId(int sourceId) => FormattableString.Invariant($"crawl-source-{sourceId}");

    /// <summary>Runs the crawl.</summary>
    [AutomaticRetry(Attempts = 0)]
    public Task RunAsync(int sourceId, CancellationToken cancellationToken) => crawl.RunAsync(sourceId, cancellationToken);
}

/// <summary>Crawls as Hangfire jobs: a recurring job per scheduled source, a background job per crawl queued now.</summary>
public sealed class HangfireCrawlJobs(IRecurringJobManager recurring, IBackgroundJobClient jobs) : ICrawlJobs
{
    /// <inheritdoc />
    public void Schedule(int sourceId, string cron) => recurring.AddOrUpdate<CrawlSourceJob>(CrawlSourceJob.RecurringId(sourceId), job => job.RunAsync(sourceId, CancellationToken.None), cron);

    /// <inheritdoc />
    public void Unschedule(int sourceId) => recurring.RemoveIfExists(CrawlSourceJob.RecurringId(sourceId));

    /// <inheritdoc />
    public string RunNow(int sourceId) => jobs.Enqueue<CrawlSourceJob>(job => job.RunAsync(sourceId, CancellationToken.None));
}
