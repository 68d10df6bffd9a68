using ExamNetWatch.Crawler.Crawling;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Ingestion;
using ExamNetWatch.Dashboard.Tests.Support;

namespace ExamNetWatch.Dashboard.Tests.Ingestion;

public sealed class DbCrawlStateTests
{
    [Fact]
    public async Task SaveThreadAsync_ProgressSavedByOneProcess_IsWhatTheNextOneReads()
    {
        await using var database = await TempDatabase.CreateAsync();
        var at = new DateTimeOffset(2026, 6, 20, 8, 0, 0, TimeSpan.Zero);
        await using (var db = database.NewContext())
        {
            db.Sources.Add(new Source { Name = "s", EntryUrls = "", ScopePrefixes = "", Schedule = "" });
            await db.SaveChangesAsync();
            var state = new DbCrawlState(db);
            await state.SaveThreadAsync(1, new ThreadProgress("42", null, "http://bbs.test/forum.php?mod=viewthread&tid=42&page=3", "\"v3\"", null, at), CancellationToken.None);
            await state.SaveThreadAsync(1, new ThreadProgress("42", 31, "http://bbs.test/forum.php?mod=viewthread&tid=42&page=4", "\"v4\"", "Sat, 20 Jun 2026 08:00:00 GMT", at.AddMinutes(1)), CancellationToken.None);
        }

        await using var restarted = database.NewContext();
        var progress = await new DbCrawlState(restarted).GetThreadAsync(1, "42", CancellationToken.None);

        Assert.Equal(new ThreadProgress("42", 31, "http://bbs.test/forum.php?mod=viewthread&tid=42&page=4", "\"v4\"", "Sat, 20 Jun 2026 08:00:00 GMT", at.AddMinutes(1)), progress);
        Assert.Null(await new DbCrawlState(restarted).GetThreadAsync(1, "43", CancellationToken.None));
        Assert.Null(await new DbCrawlState(restarted).GetThreadAsync(2, "42", CancellationToken.None));
    }
}
