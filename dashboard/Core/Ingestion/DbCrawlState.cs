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

    /// <inheritdoc />
    public async Task<BoardProgress?> GetBoardAsync(int sourceId, string boardUrl, CancellationToken cancellationToken)
    {
        var row = await db.CrawlBoards.AsNoTracking().SingleOrDefaultAsync(b => b.SourceId == sourceId && b.BoardUrl == boardUrl, cancellationToken);
        return row is null ? null : ToProgress(row);
    }

    /// <inheritdoc />
    public async Task SaveBoardAsync(int sourceId, BoardProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var row = await db.CrawlBoards.SingleOrDefaultAsync(b => b.SourceId == sourceId && b.BoardUrl == progress.BoardUrl, cancellationToken);
        if (row is null)
        {
            row = new CrawlBoardState { SourceId = sourceId, BoardUrl = progress.BoardUrl };
            db.CrawlBoards.Add(row);
        }

        row.SweepNextPageUrl = progress.SweepNextPageUrl;
        row.CatchUpPageUrl = progress.CatchUpPageUrl;
        row.SweepDone = progress.SweepDone;
        row.PagesRead = progress.PagesRead;
        row.PagesTotal = progress.PagesTotal;
        row.Threads = progress.Threads;
        row.Posts = progress.Posts;
        row.ElapsedSeconds = progress.Elapsed.TotalSeconds;
        row.UpdatedAtUtc = progress.UpdatedAt.UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The sweep progress a stored row describes.</summary>
    public static BoardProgress ToProgress(CrawlBoardState row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new BoardProgress(row.BoardUrl, row.SweepNextPageUrl, row.SweepDone, row.PagesRead, row.PagesTotal, row.Threads, row.Posts,
            TimeSpan.FromSeconds(row.ElapsedSeconds), new DateTimeOffset(DateTime.SpecifyKind(row.UpdatedAtUtc, DateTimeKind.Utc)))
        {
            CatchUpPageUrl = row.CatchUpPageUrl,
        };
    }
}
