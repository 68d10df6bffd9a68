using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Indexer.Detection;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Ingestion;

/// <summary>What detection is told of the exam calendar at a moment: the papers open now, and those starting soon.</summary>
public static class ExamCalendarContext
{
    /// <summary>The subjects open at <paramref name="nowUtc"/>, and the papers ("exam subject") starting within <paramref name="nearDays"/> days.</summary>
    public static async Task<DetectionContext> LoadAsync(WatchDbContext db, DateTime nowUtc, int nearDays, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var soon = nowUtc.AddDays(nearDays);
        var open = await db.ExamSlots.AsNoTracking().OpenAt(nowUtc).Select(s => s.Subject).Distinct().ToListAsync(cancellationToken);
        var upcoming = await db.ExamSlots.AsNoTracking().Where(s => s.StartsAtUtc > nowUtc && s.StartsAtUtc <= soon).OrderBy(s => s.StartsAtUtc).Select(s => s.Exam + " " + s.Subject).Distinct().ToListAsync(cancellationToken);
        return open.Count == 0 && upcoming.Count == 0 ? DetectionContext.None : new DetectionContext(open, upcoming);
    }
}
