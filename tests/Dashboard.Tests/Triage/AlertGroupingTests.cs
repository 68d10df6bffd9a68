using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Indexing;
using ExamNetWatch.Dashboard.Ingestion;
using ExamNetWatch.Dashboard.Tests.Support;
using ExamNetWatch.Indexer.Detection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExamNetWatch.Dashboard.Tests.Triage;

/// <summary>Grouping at ingest: reposts of the same ad and posts sharing a contact fold into one group.</summary>
[Trait(StoreTrait.Name, StoreTrait.Any)]
public sealed class AlertGroupingTests : IAsyncLifetime
{
    private static readonly PostDetector Detector = new(Lexicon.LoadDefault());
    private TempDatabase _database = null!;
    private int _sourceId;

    public async Task InitializeAsync()
    {
        _database = await TempDatabase.CreateAsync();
        _sourceId = await _database.AddBareSourceAsync();
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task SameContactOrRepostedText_JoinTheFirstAlertsGroup_OthersStayAlone()
    {
        await IngestAsync(
            ("a", "出售2026中考答案，考前一天发货，加QQ 2873341190 详聊"),
            ("b", "隐形耳机 米粒耳机 批发，QQ：2873341190"),                     // same QQ, different text
            ("c", "出售2026中考答案，考前一天发货，加QQ 1111122222 详聊"),        // same ad, contact changed
            ("d", "代考包过，四六级，微信 daikao_888"));                          // unrelated

        await using var db = _database.NewContext();
        var alerts = await db.Alerts.OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(4, alerts.Count);
        var first = alerts[0].Id;
        Assert.Null(alerts[0].GroupId);
        Assert.Equal(first, alerts[1].GroupId);
        Assert.Equal(first, alerts[2].GroupId);
        Assert.Null(alerts[3].GroupId);
        Assert.Contains(await db.AlertContacts.Where(c => c.AlertId == alerts[1].Id).Select(c => c.Contact).ToListAsync(), c => c == "qq:2873341190");
    }

    [Fact]
    public async Task Backfill_AlertsStoredWithoutContacts_GetThemAndTheirContactGroup_Once()
    {
        await IngestAsync(
            ("a", "出售2026中考答案，考前一天发货，加QQ 2873341190 详聊"),
            ("b", "隐形耳机 米粒耳机 批发，QQ：2873341190"),
            ("c", "代考包过，四六级，微信 daikao_888"));
        await using (var db = _database.NewContext())
        {
            // As a database from before contacts were stored: no contacts, no groups.
            db.AlertContacts.RemoveRange(db.AlertContacts);
            await db.Alerts.ExecuteUpdateAsync(a => a.SetProperty(x => x.GroupId, (long?)null));
            await db.SaveChangesAsync();
        }

        int filled, again;
        await using (var db = _database.NewContext())
        {
            filled = await ExamNetWatch.Dashboard.Triage.ContactBackfill.RunAsync(db, TimeProvider.System, CancellationToken.None);
        }

        await using (var db = _database.NewContext())
        {
            db.AlertContacts.RemoveRange(db.AlertContacts.Where(c => c.Contact == "wechat:daikao_888"));
            await db.SaveChangesAsync();
            again = await ExamNetWatch.Dashboard.Triage.ContactBackfill.RunAsync(db, TimeProvider.System, CancellationToken.None);
        }

        await using var check = _database.NewContext();
        var alerts = await check.Alerts.OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(3, filled);
        Assert.Equal(0, again);
        Assert.Null(alerts[0].GroupId);
        Assert.Equal(alerts[0].Id, alerts[1].GroupId);
        Assert.Null(alerts[2].GroupId);
        Assert.Equal(["qq:2873341190"], await check.AlertContacts.Where(c => c.AlertId == alerts[1].Id).Select(c => c.Contact).ToListAsync());
    }

    [Fact]
    public void Sla_IsShorterWhileAnExamPaperIsOpen_AndBySeverity()
    {
        var sla = new ExamNetWatch.Dashboard.Triage.SlaOptions();
        var created = new DateTime(2026, 6, 20, 1, 0, 0, DateTimeKind.Utc);

        Assert.Equal(created.AddMinutes(30), sla.DueAt(Severity.Critical, created, examInProgress: false));
        Assert.Equal(created.AddMinutes(5), sla.DueAt(Severity.Critical, created, examInProgress: true));
        Assert.Equal(created.AddMinutes(240), sla.DueAt(Severity.Medium, created, examInProgress: false));
        Assert.True(sla.DueAt(Severity.High, created, true) < sla.DueAt(Severity.High, created, false));
    }

    [Fact]
    public async Task NewAlert_GetsItsDueTimeFromTheSla()
    {
        await IngestAsync(("a", "出售2026中考答案，考前一天发货，加QQ 2873341190 详聊"));

        await using var db = _database.NewContext();
        var alert = await db.Alerts.SingleAsync();
        Assert.NotNull(alert.DueAtUtc);
        Assert.True(alert.DueAtUtc > alert.CreatedAtUtc && alert.DueAtUtc <= alert.CreatedAtUtc.AddMinutes(240));
    }

    [Fact]
    public async Task HighAlert_WithTargetsConfigured_QueuesOneNotificationJob_LowerSeveritiesNone()
    {
        var jobs = new FakeHangfire();
        var notifications = new ExamNetWatch.Dashboard.Notifications.NotificationOptions
        {
            MinSeverity = 3,
            Webhooks = [new ExamNetWatch.Dashboard.Notifications.WebhookTarget { Kind = "webhook", Url = new Uri("http://127.0.0.1:9/hook") }],
        };

        await IngestAsync(jobs, notifications, ("hi", "出售2026中考答案，考前一天发货，加QQ 2873341190 详聊"), ("plain", "数学复习到哪了？"));

        await using var db = _database.NewContext();
        var alert = await db.Alerts.SingleAsync();
        Assert.True(alert.Severity >= 3);
        Assert.Equal(alert.Id, (await db.NotificationOutbox.SingleAsync()).AlertId);
        var job = Assert.Single(jobs.Queued);
        Assert.Equal((typeof(ExamNetWatch.Dashboard.Jobs.NotificationDrainJob), nameof(ExamNetWatch.Dashboard.Jobs.NotificationDrainJob.DrainAsync)), (job.Type, job.Method.Name));
    }

    [Fact]
    public async Task ProcessDiesBetweenTheAlertAndItsAuditEntry_NothingOfThePostIsKept_TheNextCrawlRaisesItOnceWithEverything()
    {
        var notifications = new ExamNetWatch.Dashboard.Notifications.NotificationOptions
        {
            MinSeverity = 2,
            Webhooks = [new ExamNetWatch.Dashboard.Notifications.WebhookTarget { Kind = "webhook", Url = new Uri("http://127.0.0.1:9/hook") }],
        };
        var post = TestPosts.Crawled(_sourceId, "k", "k", "出售2026中考答案，考前一天发货，加QQ 2873341190 详聊");
        await using (var dying = _database.NewContext(new DieOnAuditSave()))
        {
            var ingestor = new PostIngestor(dying, Detector, new IndexingSignal(), new AuditLog(TimeProvider.System), TimeProvider.System, NullLogger<PostIngestor>.Instance, notifications: notifications);
            await Assert.ThrowsAsync<IOException>(() => ingestor.AcceptAsync(post, CancellationToken.None));
        }

        await using (var db = _database.NewContext())
        {
            Assert.False(await db.Posts.AnyAsync());
            Assert.False(await db.Alerts.AnyAsync());
            Assert.False(await db.NotificationOutbox.AnyAsync());
            Assert.False(await db.Audit.AnyAsync(a => a.Action == "alert.raise"));
        }

        await using (var db = _database.NewContext())
        {
            var ingestor = new PostIngestor(db, Detector, new IndexingSignal(), new AuditLog(TimeProvider.System), TimeProvider.System, NullLogger<PostIngestor>.Instance, notifications: notifications);
            await ingestor.AcceptAsync(post, CancellationToken.None);
        }

        await using var check = _database.NewContext();
        var alert = await check.Alerts.SingleAsync();
        Assert.Equal("alert:" + alert.Id, (await check.Audit.SingleAsync(a => a.Action == "alert.raise")).Target);
        Assert.Equal(alert.Id, (await check.NotificationOutbox.SingleAsync()).AlertId);
    }

    /// <summary>Fails the save that writes an audit entry, as a process killed at that moment would.</summary>
    private sealed class DieOnAuditSave : Microsoft.EntityFrameworkCore.Diagnostics.SaveChangesInterceptor
    {
        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int>> SavingChangesAsync(Microsoft.EntityFrameworkCore.Diagnostics.DbContextEventData eventData, Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            eventData.Context!.ChangeTracker.Entries<AuditEntry>().Any(e => e.State == EntityState.Added)
                ? throw new IOException("killed")
                : base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    private Task IngestAsync(params (string Id, string Text)[] posts) => IngestAsync(null, null, posts);

    private async Task IngestAsync(FakeHangfire? jobs, ExamNetWatch.Dashboard.Notifications.NotificationOptions? notifications, params (string Id, string Text)[] posts)
    {
        foreach (var (id, text) in posts)
        {
            await using var db = _database.NewContext();
            var ingestor = new PostIngestor(db, Detector, new IndexingSignal(), new AuditLog(TimeProvider.System), TimeProvider.System, NullLogger<PostIngestor>.Instance, queue: jobs is null ? null : new ExamNetWatch.Dashboard.Jobs.HangfireNotificationDrain(jobs), notifications: notifications);
            await ingestor.AcceptAsync(
                TestPosts.Crawled(_sourceId, id, id, text),
                CancellationToken.None);
        }
    }
}
