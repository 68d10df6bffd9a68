using ExamNetWatch.Crawler.Crawling;
using ExamNetWatch.Crawler.Sources;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Ingestion;
using ExamNetWatch.Dashboard.Sources;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Jobs;

/// <summary>
/// Crawls one registered source, if it is enabled and an authorisation is in force now; otherwise records
/// why not. Scheduled by Hangfire; one run per source at a time.
/// </summary>
public sealed class CrawlSourceJob(WatchDbContext db, ForumCrawler crawler, PostIngestor ingestor, DbCrawlState state, IRecurringJobManager recurring, AuditLog audit, TimeProvider time, ILogger<CrawlSourceJob> logger)
{
    /// <summary>Gets the recurring-job id of a source's crawl.</summary>
    public static string RecurringId(int sourceId) => FormattableString.Invariant($"crawl-source-{sourceId}");

    /// <summary>Runs the crawl.</summary>
    [DisableConcurrentExecution(timeoutInSeconds: 10 * 60)]
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(int sourceId, CancellationToken cancellationToken)
    {
        var source = await db.Sources.Include(s => s.Authorisations).SingleOrDefaultAsync(s => s.Id == sourceId, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var refusal = source is null ? "没有该来源" : SourceStatus.Of(source, now) is { IsActive: false } status ? status.Reason : null;
        if (refusal is not null)
        {
            Log.CrawlRefused(logger, sourceId, refusal);
            audit.Add(db, AuditLog.System, "crawl.refused", $"source:{sourceId}", refusal);
            if (source is not null)
            {
                source.LastCrawlAtUtc = now;
                source.LastCrawlResult = "未抓取：" + refusal;
                recurring.RemoveIfExists(RecurringId(source.Id));
            }

            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        var target = new CrawlTarget(
            source!.Id,
            source.Name,
            [.. Source.Lines(source.EntryUrls).Select(u => new Uri(u, UriKind.Absolute))],
            CrawlScope.Parse(Source.Lines(source.ScopePrefixes)),
            new SourcePolicy(source.AllowPrivateNetwork, source.MinDelaySeconds is { } s ? TimeSpan.FromSeconds(s) : null, source.IgnoreRobots))
        {
            Profile = source.Profile,
        };
        var started = time.GetUtcNow().UtcDateTime;
        var report = await crawler.CrawlAsync(target, ingestor, state, cancellationToken);
        db.CrawlRuns.Add(new CrawlRun
        {
            SourceId = source.Id,
            StartedAtUtc = started,
            EndedAtUtc = time.GetUtcNow().UtcDateTime,
            Pages = report.PagesFetched,
            PostsExamined = report.PostsFound,
            NewPosts = ingestor.NewPosts,
            NewAlerts = ingestor.NewAlerts,
            Failures = report.Failures.Count,
        });

        foreach (var refused in report.Refusals)
        {
            audit.Add(db, AuditLog.System, "crawl.refused-url", $"source:{sourceId}", $"{refused.Url} — {refused.Reason}");
        }

        source.LastCrawlAtUtc = time.GetUtcNow().UtcDateTime;
        source.LastCrawlResult = FormattableString.Invariant(
            $"{report.PagesFetched} 页，新帖 {ingestor.NewPosts}，新告警 {ingestor.NewAlerts}，未变主题 {report.ThreadsUnchanged}，失败 {report.Failures.Count}，拒绝 {report.Refusals.Count}");
        await db.SaveChangesAsync(cancellationToken);
        Log.CrawlDone(logger, sourceId, report.PagesFetched, ingestor.NewPosts, ingestor.NewAlerts, report.Failures.Count);
    }
}
