using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Statistics;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Tests.Statistics;

/// <summary>The statistics page's figures: Beijing days, sources, categories, severities and time to acknowledge.</summary>
[Trait(StoreTrait.Name, StoreTrait.Any)]
public sealed class AlertStatisticsTests
{
    [Fact]
    public async Task ReportAsync_AlertsAroundBeijingMidnight_CountedOnTheirBeijingDay()
    {
        await using var database = await TempDatabase.CreateAsync();
        await using (var db = database.NewContext())
        {
            var source = await AddSourceAsync(db, "贴吧");
            // 2026-06-19 15:59 UTC is 23:59 on the 19th in Beijing; 16:01 UTC is 00:01 on the 20th.
            await AddAlertAsync(db, source, new DateTime(2026, 6, 19, 15, 59, 0, DateTimeKind.Utc), 4, "device");
            await AddAlertAsync(db, source, new DateTime(2026, 6, 19, 16, 1, 0, DateTimeKind.Utc), 3, "paper_leak,device");
            await AddAlertAsync(db, source, new DateTime(2026, 6, 25, 0, 0, 0, DateTimeKind.Utc), 2, "paper_leak");
        }

        await using var read = database.NewContext();
        var report = await new AlertStatistics(read, ExamNetWatch.Dashboard.Rendering.Labels.StatisticsNames).ReportAsync(new DateOnly(2026, 6, 19), new DateOnly(2026, 6, 20), CancellationToken.None);

        Assert.Equal(2, report.Total);
        Assert.Equal([1, 1], report.PerDay.Select(d => d.Total));
        Assert.Equal(1, report.PerDay[0].BySeverity[4]);
        Assert.Equal(1, report.PerDay[1].BySeverity[3]);
        Assert.Equal(2, report.PerCategory.Single(c => c.Key == "device").Count);
        Assert.Equal(1, report.PerCategory.Single(c => c.Key == "paper_leak").Count);
        Assert.Equal("贴吧", Assert.Single(report.PerSource).Name);
    }

    [Fact]
    public async Task ReportAsync_AcknowledgedAlerts_GiveMeanAndMedianTimeToAcknowledge()
    {
        await using var database = await TempDatabase.CreateAsync();
        var raised = new DateTime(2026, 6, 20, 1, 0, 0, DateTimeKind.Utc);
        await using (var db = database.NewContext())
        {
            var source = await AddSourceAsync(db, "论坛");
            await AddAlertAsync(db, source, raised, 4, "device", acknowledgedAfter: TimeSpan.FromMinutes(10));
            await AddAlertAsync(db, source, raised, 4, "device", acknowledgedAfter: TimeSpan.FromMinutes(20));
            await AddAlertAsync(db, source, raised, 3, "device", acknowledgedAfter: TimeSpan.FromMinutes(90));
            await AddAlertAsync(db, source, raised, 3, "device");
        }

        await using var read = database.NewContext();
        var report = await new AlertStatistics(read, ExamNetWatch.Dashboard.Rendering.Labels.StatisticsNames).ReportAsync(new DateOnly(2026, 6, 20), new DateOnly(2026, 6, 20), CancellationToken.None);

        Assert.Equal(3, report.Response.Acknowledged);
        Assert.Equal(TimeSpan.FromMinutes(40), report.Response.Mean);
        Assert.Equal(TimeSpan.FromMinutes(20), report.Response.Median);
        var critical = report.Response.PerSeverity.Single(s => s.Severity == "严重");
        Assert.Equal((TimeSpan?)TimeSpan.FromMinutes(15), critical.Mean);
        Assert.Equal(2, critical.Count);
    }

    [Fact]
    public async Task ReportAsync_ForumsAndGroupChats_CountedPerChannel()
    {
        await using var database = await TempDatabase.CreateAsync();
        await using (var db = database.NewContext())
        {
            var forum = await AddSourceAsync(db, "贴吧");
            var qq = await AddSourceAsync(db, "家长群", SourceKinds.QqGroup);
            await AddSourceAsync(db, "学习群", SourceKinds.WeChatGroup);
            var day = new DateTime(2026, 6, 19, 4, 0, 0, DateTimeKind.Utc);
            await AddAlertAsync(db, forum, day, 3, "device");
            await AddAlertAsync(db, qq, day, 3, "paper_leak");
            await AddAlertAsync(db, qq, day.AddHours(1), 4, "paper_leak");
        }

        await using var read = database.NewContext();
        var report = await new AlertStatistics(read, ExamNetWatch.Dashboard.Rendering.Labels.StatisticsNames).ReportAsync(new DateOnly(2026, 6, 19), new DateOnly(2026, 6, 19), CancellationToken.None);

        // A channel without alerts is not listed; each is named as staff read it.
        Assert.Equal([("forum", "论坛", 1), ("qq-group", "QQ群", 2)], report.PerChannel.Select(c => (c.Key, c.Name, c.Count)));
    }

    [Fact]
    public async Task ReportAsync_PeriodBackwardsOrLongerThanAYear_Refused()
    {
        await using var database = await TempDatabase.CreateAsync();
        await using var db = database.NewContext();
        var statistics = new AlertStatistics(db, ExamNetWatch.Dashboard.Rendering.Labels.StatisticsNames);

        await Assert.ThrowsAsync<ArgumentException>(() => statistics.ReportAsync(new DateOnly(2026, 6, 20), new DateOnly(2026, 6, 1), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => statistics.ReportAsync(new DateOnly(2025, 1, 1), new DateOnly(2026, 6, 1), CancellationToken.None));
    }

    private static async Task<Source> AddSourceAsync(WatchDbContext db, string name, string kind = SourceKinds.Forum)
    {
        var source = new Source { Name = name, EntryUrls = "http://127.0.0.1/", ScopePrefixes = "http://127.0.0.1/", Schedule = "0 * * * *", Kind = kind };
        db.Sources.Add(source);
        await db.SaveChangesAsync();
        return source;
    }

    private static async Task AddAlertAsync(WatchDbContext db, Source source, DateTime createdUtc, int severity, string categories, TimeSpan? acknowledgedAfter = null)
    {
        var id = Guid.NewGuid().ToString("N");
        db.Posts.Add(new Post
        {
            Id = id, SourceId = source.Id, ThreadId = "t", ForumPostId = id, Url = "http://127.0.0.1/t", ThreadTitle = "帖子", Text = "文字", Html = "文字",
            FetchedAtUtc = createdUtc, CaptureSha256 = "sha", WarcFile = "f", WarcRecordId = "r", ContentHash = id, DetectionJson = "{}",
        });
        db.Alerts.Add(new Alert
        {
            PostId = id, SourceId = source.Id, CreatedAtUtc = createdUtc, Severity = severity, Categories = categories, MatchedTerms = "x", Title = "帖子",
            Status = acknowledgedAfter is null ? AlertStatus.New : AlertStatus.Acknowledged,
            AcknowledgedAtUtc = createdUtc + acknowledgedAfter,
        });
        await db.SaveChangesAsync();
    }
}
