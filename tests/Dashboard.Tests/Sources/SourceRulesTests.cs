using ExamNetWatch.Dashboard.Crawling;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Jobs;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Sources;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace ExamNetWatch.Dashboard.Tests.Sources;

/// <summary>Nothing is scheduled without a written authorisation in force; registrations that break a rule are refused.</summary>
[Trait(StoreTrait.Name, StoreTrait.Any)]
public sealed class SourceRulesTests
{
    private static readonly DateTime Now = new(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(Now));

    [Theory]
    [InlineData("http://elsewhere.test/forum.php", "outside the scope")]
    [InlineData("not a url", "not an absolute URL")]
    public void Validate_EntryNotInsideTheScope_Refused(string entry, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => SourceRegistry.Validate(Registration() with { EntryUrls = [entry] }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AuthorisationEndingBeforeItStarts_Refused() =>
        Assert.Throws<ArgumentException>(() => SourceRegistry.Validate(Registration() with { ValidUntilUtc = Now.AddDays(-30) }));

    [Fact]
    public void Validate_BadScheduleOrProfile_RefusedNamingIt()
    {
        Assert.Contains("schedule", Assert.Throws<ArgumentException>(() => SourceRegistry.Validate(Registration() with { Schedule = "every minute" })).Message, StringComparison.Ordinal);
        Assert.Contains("profile", Assert.Throws<ArgumentException>(() => SourceRegistry.Validate(Registration() with { Profile = "vbulletin" })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAsync_RobotsOverride_IsRecordedAndAudited()
    {
        await using var database = await TempDatabase.CreateAsync();
        await using var db = database.NewContext();

        var source = await new SourceRegistry(db, new AuditLog(_time), _time).AddAsync(Registration() with { IgnoreRobotsReason = "考试院书面要求全量检查" }, CancellationToken.None);

        Assert.True(source.IgnoreRobots);
        Assert.True(await db.Audit.AnyAsync(a => a.Action == "source.robots-override" && a.Detail == "考试院书面要求全量检查"));
        Assert.True(await db.Audit.AnyAsync(a => a.Action == "authorisation.register" && a.Actor == "王老师"));
    }

    [Theory]
    [InlineData(-10, -1, true, "expired")]
    [InlineData(1, 10, true, "not-yet-valid")]
    [InlineData(-1, 10, true, "active")]
    [InlineData(-1, 10, false, "disabled")]
    public void Of_AuthorisationWindowAndSwitch_GiveTheStatus(int fromDays, int untilDays, bool enabled, string expected)
    {
        var source = new Source { Name = "x", EntryUrls = "", ScopePrefixes = "", Schedule = "", Enabled = enabled };
        source.Authorisations.Add(new SourceAuthorisation { Basis = "b", ApprovedBy = "a", ScopeNote = "", RegisteredBy = "r", ValidFromUtc = Now.AddDays(fromDays), ValidUntilUtc = Now.AddDays(untilDays) });

        Assert.Equal(expected, SourceStatus.Of(source, Now).Code);
    }

    [Fact]
    public async Task SyncAsync_AuthorisationExpired_ScheduleRemovedAndTheSourceShowsWhy()
    {
        await using var database = await TempDatabase.CreateAsync();
        await using var db = database.NewContext();
        var registry = new SourceRegistry(db, new AuditLog(_time), _time);
        var active = await registry.AddAsync(Registration(), CancellationToken.None);
        var expiring = await registry.AddAsync(Registration() with { Name = "快过期的", ValidUntilUtc = Now.AddDays(2) }, CancellationToken.None);
        var hangfire = new FakeHangfire();
        var schedules = new CrawlSchedules(db, new HangfireCrawlJobs(hangfire, hangfire), new AuditLog(_time), _time);
        await schedules.SyncAsync("*/30 * * * * *", CancellationToken.None);
        Assert.Contains(CrawlSourceJob.RecurringId(expiring.Id), hangfire.Recurring.Keys);

        _time.Advance(TimeSpan.FromDays(3));
        await schedules.SyncAsync("*/30 * * * * *", CancellationToken.None);

        Assert.Contains(CrawlSourceJob.RecurringId(active.Id), hangfire.Recurring.Keys);
        Assert.DoesNotContain(CrawlSourceJob.RecurringId(expiring.Id), hangfire.Recurring.Keys);
        var shown = await db.Sources.AsNoTracking().SingleAsync(s => s.Id == expiring.Id);
        Assert.Contains("授权有效期已于", shown.LastCrawlResult, StringComparison.Ordinal);
        Assert.Contains("结束", shown.LastCrawlResult, StringComparison.Ordinal);
        Assert.True(await db.Audit.AnyAsync(a => a.Action == "source.unscheduled" && a.Target == "source:快过期的"));
    }

    [Fact]
    public async Task ExamCadence_PaperInProgress_QueuesOnlyActiveExamCriticalSources()
    {
        await using var database = await TempDatabase.CreateAsync();
        await using var db = database.NewContext();
        var registry = new SourceRegistry(db, new AuditLog(_time), _time);
        var critical = await registry.AddAsync(Registration() with { Name = "考生贴吧", ExamCritical = true }, CancellationToken.None);
        await registry.AddAsync(Registration() with { Name = "新闻站" }, CancellationToken.None);
        await registry.AddAsync(Registration() with { Name = "过期贴吧", ExamCritical = true, ValidFromUtc = Now.AddDays(-9), ValidUntilUtc = Now.AddDays(-1) }, CancellationToken.None);
        db.ExamSlots.Add(new ExamSlot { Exam = "2026年中考", Subject = "数学", StartsAtUtc = Now.AddHours(1), EndsAtUtc = Now.AddHours(3) });
        await db.SaveChangesAsync();
        var hangfire = new FakeHangfire();
        var cadence = new CrawlSchedules(db, new HangfireCrawlJobs(hangfire, hangfire), new AuditLog(_time), _time);

        Assert.Equal(0, await cadence.QueueExamCriticalAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromHours(2));
        var queued = await cadence.QueueExamCriticalAsync(CancellationToken.None);

        Assert.Equal(1, queued);
        var job = Assert.Single(hangfire.Queued);
        Assert.Equal(typeof(CrawlSourceJob), job.Type);
        Assert.Equal(critical.Id, job.Args[0]);
        _time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await cadence.QueueExamCriticalAsync(CancellationToken.None));
    }

    private static SourceRegistration Registration() => TestSources.Registration(Now);
}
