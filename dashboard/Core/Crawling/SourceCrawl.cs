using ExamNetWatch.Crawler.Crawling;
using ExamNetWatch.Crawler.Faults;
using ExamNetWatch.Crawler.Sources;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Ingestion;
using ExamNetWatch.Dashboard.Sources;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Crawling;

/// <summary>
/// One crawl of a registered source, if it is enabled and an authorisation is in force now; otherwise records why
/// not and stops its schedule. The crawl run, the refused links and the result shown on the sources page are saved.
/// One crawl of a source runs at a time across every process (<see cref="CrawlLeases"/>); a crawl that loses its lease
/// stops, and whatever it stored stays stored (each post commits on its own).
/// </summary>
public sealed class SourceCrawl(WatchDbContext db, ForumCrawler crawler, PostIngestor ingestor, DbCrawlState state, ICrawlJobs queue, AuditLog audit, CrawlLeases leases, TimeProvider time, ILogger<SourceCrawl> logger)
{
    /// <summary>Runs the crawl of source <paramref name="sourceId"/>.</summary>
    public async Task RunAsync(int sourceId, CancellationToken cancellationToken)
    {
        var source = await db.Sources.Include(s => s.Authorisations).SingleOrDefaultAsync(s => s.Id == sourceId, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var refusal = source is null ? "没有该来源"
            : source.IsChat ? "群聊来源由成员导出的聊天记录导入，不抓取"
            : SourceStatus.Of(source, now) is { IsActive: false } status ? status.Reason.ToString() : null;
        if (refusal is not null)
        {
            Log.CrawlRefused(logger, sourceId, refusal);
            audit.Add(db, AuditLog.System, AuditActions.CrawlRefused, $"source:{sourceId}", refusal);
            if (source is not null)
            {
                source.LastCrawlAtUtc = now;
                source.LastCrawlResult = "未抓取：" + refusal;
                queue.Unschedule(source.Id);
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
            Since = source.SweepSinceUtc is { } since ? new DateTimeOffset(DateTime.SpecifyKind(since, DateTimeKind.Utc)) : null,
        };
        bool carryOn;
        await using (var lease = await leases.AcquireAsync(source.Id, cancellationToken))
        {
            if (lease is null)
            {
                return;
            }

            carryOn = await CrawlAsync(source, target, lease, cancellationToken);
        }

        // A sweep cut short by a crawl's bounds, that got further this time, carries on at once (once this crawl's lease
        // is released) rather than at the next scheduled crawl: a board's history is read straight through, politely.
        if (carryOn)
        {
            queue.RunNow(source.Id);
        }
    }

    /// <summary>Crawls under the source's lease, stores what was found; returns whether an unfinished sweep should carry on now.</summary>
    private async Task<bool> CrawlAsync(Source source, CrawlTarget target, CrawlLeases.Lease lease, CancellationToken cancellationToken)
    {
        var sourceId = source.Id;
        using var held = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
        var started = time.GetUtcNow().UtcDateTime;
        var report = await crawler.CrawlAsync(target, ingestor, state, held.Token);
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

        // One audit entry per crawl for the URLs it refused (a board of 20,000 off-scope links is one entry, not 20,000):
        // how many, for which reasons, and the first of them.
        if (report.Refusals.Count > 0)
        {
            audit.Add(db, AuditLog.System, AuditActions.CrawlRefusedUrls, $"source:{sourceId}", RefusalSummary(report.Refusals));
        }

        source.LastCrawlAtUtc = time.GetUtcNow().UtcDateTime;
        source.LastCrawlResult = FormattableString.Invariant(
            $"{report.PagesFetched} 页，新帖 {ingestor.NewPosts}，新告警 {ingestor.NewAlerts}，未变主题 {report.ThreadsUnchanged}，失败 {report.Failures.Count}，拒绝 {report.Refusals.Count}")
            + (report.LimitsReached.Count == 0 ? string.Empty : "；已达上限，未抓完：" + string.Join("；", report.LimitsReached.Select(LimitText)))
            + SweepText(report.Sweeps);

        var carryOn = report.LimitsReached.Count > 0 && report.Sweeps.Any(s => !s.SweepDone);
        if (carryOn)
        {
            source.LastCrawlResult += "；已排队接着扫描";
        }

        KillPoint.Reach("crawl.run-finishing");
        await db.SaveChangesAsync(cancellationToken);
        Log.CrawlDone(logger, sourceId, report.PagesFetched, ingestor.NewPosts, ingestor.NewAlerts, report.Failures.Count);
        return carryOn;
    }

    /// <summary>The refusals of one crawl in one line: the count, per reason, and the first URLs (bounded).</summary>
    internal static string RefusalSummary(IReadOnlyList<CrawlFailure> refusals)
    {
        const int Shown = 10;
        var reasons = string.Join("；", refusals.GroupBy(r => r.Reason, StringComparer.Ordinal).OrderByDescending(g => g.Count())
            .Take(5).Select(g => FormattableString.Invariant($"{Clip(g.Key, 200)} ×{g.Count()}")));
        var first = string.Join(" ", refusals.Take(Shown).Select(r => Clip(r.Url.AbsoluteUri, 300)));
        return FormattableString.Invariant($"{refusals.Count} 个链接未抓取（{reasons}）；前 {Math.Min(Shown, refusals.Count)} 个：{first}");

        static string Clip(string text, int length) => text.Length <= length ? text : text[..length] + "…";
    }

    /// <summary>The boards whose history this crawl swept, in a few words: how far each got and what is left.</summary>
    internal static string SweepText(IReadOnlyList<BoardProgress> sweeps)
    {
        if (sweeps.Count == 0)
        {
            return string.Empty;
        }

        var open = sweeps.Where(s => !s.SweepDone).ToList();
        if (open.Count == 0)
        {
            return FormattableString.Invariant($"；历史扫描已读完 {sweeps.Count} 个版块");
        }

        var pages = open.Sum(s => s.PagesRead);
        var total = open.All(s => s.PagesTotal is not null) ? open.Sum(s => s.PagesTotal!.Value) : (int?)null;
        var left = open.All(s => s.Remaining is not null) ? open.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Remaining!.Value) : (TimeSpan?)null;
        return FormattableString.Invariant($"；历史扫描未完（{open.Count} 个版块，已读 {pages}{(total is { } t ? " / " + t : string.Empty)} 页{(left is { } l ? "，预计还需约 " + Math.Ceiling(l.TotalMinutes) + " 分钟" : string.Empty)}），下次抓取接着读");
    }

    /// <summary>A limit reached, as the sources page shows it: what was bounded, the bound, and the setting to raise.</summary>
    internal static string LimitText(CrawlLimit limit) => limit.Setting switch
    {
        "Crawler:MaxBoardPages" => FormattableString.Invariant($"版块只读了前 {limit.Value} 页（{limit.Setting}）"),
        "Crawler:MaxThreadPages" => FormattableString.Invariant($"{limit.Times} 个主题只读了前 {limit.Value} 页，下次抓取接着读（{limit.Setting}）"),
        "Crawler:MaxThreads" => FormattableString.Invariant($"本次只读了 {limit.Value} 个主题（{limit.Setting}）"),
        "Crawler:MaxBoards" => FormattableString.Invariant($"本次只读了 {limit.Value} 个版块，另有 {limit.Times} 个版块未读（{limit.Setting}）"),
        "Crawler:MaxPages" => FormattableString.Invariant($"本次抓取满 {limit.Value} 页，其余下次抓取（{limit.Setting}）"),
        _ => limit.ToString(),
    };
}
