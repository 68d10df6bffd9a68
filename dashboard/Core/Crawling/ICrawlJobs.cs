namespace ExamNetWatch.Dashboard.Crawling;

/// <summary>Where crawls are scheduled and queued: the host's job scheduler (Hangfire), one crawl per source at a time.</summary>
public interface ICrawlJobs
{
    /// <summary>Crawls source <paramref name="sourceId"/> on the schedule <paramref name="cron"/> (5 fields, or 6 with seconds).</summary>
    void Schedule(int sourceId, string cron);

    /// <summary>Stops the scheduled crawls of a source, if any.</summary>
    void Unschedule(int sourceId);

    /// <summary>Queues one crawl of a source now; returns the job's id.</summary>
    string RunNow(int sourceId);
}
