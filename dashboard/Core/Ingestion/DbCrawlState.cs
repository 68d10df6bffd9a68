using ExamNetWatch.Crawler.Crawling;
using ExamNetWatch.Dashboard.Data;
using Microsoft.EntityFrameworkCore;
using ExamNetWatch.Crawler.Faults;

namespace ExamNetWatch.Dashboard.Ingestion;

/// <summary>Keeps the crawler's thread state in the database, so a killed crawl resumes where it stopped.</summary>
public sealed class DbCrawlState(WatchDbContext db) : ICrawlState
{
    /// <inheritdoc />
    public async Task<ThreadProgress?> GetThreadAsync(int sourceId, string threadId, CancellationToken cancellationToken)
    {
        var row = await db.CrawlThreads.AsNoTracking().SingleOrDefaultAsync(t => t.SourceId == sourceId && t.ThreadId == threadId, cancellationToken);
        return row is null ? null : new ThreadProgress(row.ThreadId, row.ReplyCount, row.LastPageUrl, row.ETag, row.LastModified, new DateTimeOffset(row.UpdatedAtUtc, TimeSpan.Zero));
    }

    /// <inheritdoc />
    public async Task SaveThreadAsync(int sourceId, ThreadProgress state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var row = await db.CrawlThreads.SingleOrDefaultAsync(t => t.SourceId == sourceId && t.ThreadId == state.ThreadId, cancellationToken);
        if (row is null)
        {
            row = new CrawlThreadState { SourceId = sourceId, ThreadId = state.ThreadId };
            db.CrawlThreads.Add(row);
        }

        row.ReplyCount = state.ReplyCount;
        row.LastPageUrl = state.LastPageUrl;
        row.ETag = state.ETag;
        row.LastModified = state.LastModified;
        row.UpdatedAtUtc = state.UpdatedAt.UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        KillPoint.Reach("crawl.thread-state-saved");
    }
}
