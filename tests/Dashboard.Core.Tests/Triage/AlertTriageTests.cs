using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Indexing;
using ExamNetWatch.Dashboard.Tests.Support;
using ExamNetWatch.Dashboard.Triage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace ExamNetWatch.Dashboard.Tests.Triage;

/// <summary>The triage rules: which steps each state allows, what they record, and that the index hears of each.</summary>
public sealed class AlertTriageTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 20, 1, 0, 0, TimeSpan.Zero));
    private TempDatabase _database = null!;
    private long _alertId;

    public async Task InitializeAsync()
    {
        _database = await TempDatabase.CreateAsync();
        await using var db = _database.NewContext();
        var source = new Source { Name = "论坛", EntryUrls = "", ScopePrefixes = "", Schedule = "" };
        db.Sources.Add(source);
        await db.SaveChangesAsync();
        db.Posts.Add(new Post
        {
            Id = "p1", SourceId = source.Id, ThreadId = "1", ForumPostId = "1", Url = "http://127.0.0.1/t/1", ThreadTitle = "t", Text = "出售作弊器", Html = "",
            CaptureSha256 = "x", WarcFile = "f", WarcRecordId = "r", ContentHash = "h", DetectionJson = "{}",
        });
        var alert = new Alert { PostId = "p1", SourceId = source.Id, Title = "出售作弊器", Categories = "device", MatchedTerms = "作弊器" };
        db.Alerts.Add(alert);
        await db.SaveChangesAsync();
        _alertId = alert.Id;
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task Take_NewAlert_AssignsAndAcknowledgesAuditedAndQueuedForTheIndex()
    {
        await RunAsync(t => t.TakeAsync(_alertId, "analyst1", "10.0.0.5", CancellationToken.None));

        await using var db = _database.NewContext();
        var alert = await db.Alerts.SingleAsync();
        Assert.Equal((AlertStatus.Acknowledged, "analyst1", "analyst1"), (alert.Status, alert.Assignee!, alert.TriagedBy!));
        var entry = await db.Audit.SingleAsync(a => a.Action == "alert.take");
        Assert.Equal(("analyst1", "alert:" + _alertId, "10.0.0.5"), (entry.Actor, entry.Target, entry.RemoteAddress!));
        Assert.Contains("new → acknowledged", entry.Detail, StringComparison.Ordinal);
        Assert.Single(await db.IndexOutbox.Where(e => e.PostId == "p1").ToListAsync());
    }

    [Fact]
    public async Task Close_WithReason_RecordsReasonAndTime_ReopenClearsThem()
    {
        await RunAsync(t => t.CloseAsync(_alertId, CloseReason.Duplicate, "analyst1", null, CancellationToken.None));
        await using (var db = _database.NewContext())
        {
            var closed = await db.Alerts.SingleAsync();
            Assert.Equal((AlertStatus.Closed, CloseReason.Duplicate, _time.GetUtcNow().UtcDateTime), (closed.Status, closed.CloseReason!, closed.ClosedAtUtc!.Value));
        }

        _time.Advance(TimeSpan.FromHours(1));
        await RunAsync(t => t.ReopenAsync(_alertId, "analyst2", null, CancellationToken.None));

        await using var after = _database.NewContext();
        var reopened = await after.Alerts.SingleAsync();
        Assert.Equal(AlertStatus.Acknowledged, reopened.Status);
        Assert.Null(reopened.CloseReason);
        Assert.Null(reopened.ClosedAtUtc);
    }

    [Fact]
    public async Task StepsTheStateDoesNotAllow_AreRefusedAndChangeNothing()
    {
        await RunAsync(t => t.EscalateAsync(_alertId, new Escalation("某市公安局网安支队"), "analyst1", null, CancellationToken.None));

        await Assert.ThrowsAsync<TriageException>(() => RunAsync(t => t.AcknowledgeAsync(_alertId, "analyst1", null, CancellationToken.None)));
        await Assert.ThrowsAsync<TriageException>(() => RunAsync(t => t.EscalateAsync(_alertId, new Escalation("某市公安局网安支队"), "analyst1", null, CancellationToken.None)));
        await Assert.ThrowsAsync<TriageException>(() => RunAsync(t => t.ReopenAsync(_alertId, "analyst1", null, CancellationToken.None)));
        await Assert.ThrowsAsync<TriageException>(() => RunAsync(t => t.CloseAsync(_alertId, "because", "analyst1", null, CancellationToken.None)));
        await Assert.ThrowsAsync<TriageException>(() => RunAsync(t => t.AddNoteAsync(_alertId, "   ", "analyst1", null, CancellationToken.None)));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => RunAsync(t => t.TakeAsync(999, "analyst1", null, CancellationToken.None)));

        await using var db = _database.NewContext();
        Assert.Equal(AlertStatus.Escalated, (await db.Alerts.SingleAsync()).Status);
        Assert.Equal(["alert.escalate"], await db.Audit.Select(a => a.Action).ToListAsync());
    }

    [Fact]
    public async Task Escalated_NamesTheReceivingUnit_AndIsClosedOnlyAfterAnotherAnalystsReview()
    {
        // Handing over needs the receiving unit; the contact and receipt number are kept with it.
        await Assert.ThrowsAsync<TriageException>(() => RunAsync(t => t.EscalateAsync(_alertId, new Escalation("  "), "analyst1", null, CancellationToken.None)));
        await RunAsync(t => t.EscalateAsync(_alertId, new Escalation("某市公安局网安支队", "张警官 0791-1234567"), "analyst1", null, CancellationToken.None));
        await RunAsync(t => t.RecordReceiptAsync(_alertId, "网安受〔2026〕118号", "analyst1", null, CancellationToken.None));

        // The one who handed it over cannot close it (not even as a duplicate); another analyst can.
        var refused = await Assert.ThrowsAsync<TriageException>(() => RunAsync(t => t.CloseAsync(_alertId, CloseReason.Duplicate, "analyst1", null, CancellationToken.None)));
        Assert.Contains("复核", refused.Text.Template, StringComparison.Ordinal);
        await RunAsync(t => t.CloseAsync(_alertId, CloseReason.TruePositive, "analyst2", null, CancellationToken.None));

        await using var db = _database.NewContext();
        var alert = await db.Alerts.SingleAsync();
        Assert.Equal(AlertStatus.Closed, alert.Status);
        Assert.Equal(("某市公安局网安支队", "张警官 0791-1234567", "网安受〔2026〕118号", "analyst1"), (alert.EscalatedTo, alert.EscalationContact, alert.EscalationReceipt, alert.EscalatedBy));
        var escalation = await db.Audit.SingleAsync(a => a.Action == "alert.escalate");
        Assert.Contains("接收单位 某市公安局网安支队", escalation.Detail, StringComparison.Ordinal);
        Assert.Contains("联系人 张警官 0791-1234567", escalation.Detail, StringComparison.Ordinal);
        Assert.Equal(["alert.escalate", "alert.receipt", "alert.close"], await db.Audit.OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
    }

    [Fact]
    public async Task Bulk_CloseIncludingOnesIEscalated_SkipsThoseForReview()
    {
        await RunAsync(t => t.EscalateAsync(_alertId, new Escalation("某市公安局网安支队"), "analyst1", null, CancellationToken.None));

        BulkResult result = null!;
        await RunAsync(async t =>
        {
            await using var db = _database.NewContext();
            result = await t.BulkAsync(db.Alerts, "close", "误报", "analyst1", null, CancellationToken.None);
        });

        Assert.Equal(new BulkResult(0, 1), result);
        await using var check = _database.NewContext();
        Assert.Equal(AlertStatus.Escalated, (await check.Alerts.SingleAsync()).Status);
    }

    [Fact]
    public async Task Bulk_AcknowledgeEverything_ChangesWhatTheStateAllowsAndCountsTheRest()
    {
        await using (var db = _database.NewContext())
        {
            for (var i = 0; i < 1200; i++)
            {
                db.Posts.Add(new Post
                {
                    Id = "b" + i, SourceId = 1, ThreadId = "b", ForumPostId = "b" + i, Url = "http://127.0.0.1/b", ThreadTitle = "t", Text = "出售作弊器", Html = "",
                    CaptureSha256 = "x", WarcFile = "f", WarcRecordId = "r", ContentHash = "h", DetectionJson = "{}",
                });
                db.Alerts.Add(new Alert { PostId = "b" + i, SourceId = 1, Title = "批量" + i, Categories = "device", MatchedTerms = "作弊器", Status = i % 4 == 0 ? AlertStatus.Closed : AlertStatus.New });
            }

            await db.SaveChangesAsync();
        }

        BulkResult result = null!;
        await RunAsync(async t =>
        {
            await using var db = _database.NewContext();
            result = await t.BulkAsync(db.Alerts.Where(a => a.Title.StartsWith("批量")), "acknowledge", null, "analyst1", null, CancellationToken.None);
        });

        Assert.Equal(new BulkResult(900, 300), result);
        await using var check = _database.NewContext();
        Assert.Equal(900, await check.Alerts.CountAsync(a => a.Status == AlertStatus.Acknowledged));
        Assert.Equal(900, await check.Audit.CountAsync(a => a.Action == "alert.acknowledge"));
        Assert.Equal(900, await check.IndexOutbox.CountAsync());
    }

    [Fact]
    public async Task Bulk_Tag_AddsTheTagOnceAndRefusesBadTags()
    {
        await RunAsync(async t =>
        {
            await using var db = _database.NewContext();
            Assert.Equal(new BulkResult(1, 0), await t.BulkAsync(db.Alerts, "tag", "中考数学", "analyst1", null, CancellationToken.None));
            Assert.Equal(new BulkResult(0, 1), await t.BulkAsync(db.Alerts, "tag", "中考数学", "analyst1", null, CancellationToken.None));
            await Assert.ThrowsAsync<TriageException>(() => t.BulkAsync(db.Alerts, "tag", "a,b", "analyst1", null, CancellationToken.None));
            await Assert.ThrowsAsync<TriageException>(() => t.BulkAsync(db.Alerts, "close", "because", "analyst1", null, CancellationToken.None));
        });

        await using var check = _database.NewContext();
        Assert.Equal("中考数学", (await check.Alerts.SingleAsync()).Tags);
    }

    [Fact]
    public async Task TagThenUntag_OnOneAlert_AuditedBothWays()
    {
        await RunAsync(t => t.TagAsync(_alertId, "数学卷", "analyst1", null, CancellationToken.None));
        await RunAsync(t => t.TagAsync(_alertId, "QQ群", "analyst1", null, CancellationToken.None));
        await RunAsync(t => t.UntagAsync(_alertId, "数学卷", "analyst1", null, CancellationToken.None));

        await Assert.ThrowsAsync<TriageException>(() => RunAsync(t => t.UntagAsync(_alertId, "数学卷", "analyst1", null, CancellationToken.None)));
        await using var db = _database.NewContext();
        Assert.Equal("QQ群", (await db.Alerts.SingleAsync()).Tags);
        Assert.Equal(["alert.tag", "alert.tag", "alert.untag"], await db.Audit.OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
    }

    [Fact]
    public async Task Assign_OnlyToAnEnabledAdminOrAnalyst_ViewersTyposAndDisabledAccountsRefused()
    {
        await using (var db = _database.NewContext())
        {
            foreach (var (name, role, disabled) in new[] { ("王老师", StaffRoles.Analyst, false), ("viewer1", StaffRoles.Viewer, false), ("former", StaffRoles.Analyst, true) })
            {
                var user = new StaffUser { UserName = name, NormalizedUserName = name.ToUpperInvariant(), LockoutEnd = disabled ? DateTimeOffset.MaxValue : null };
                db.Users.Add(user);
                var roleRow = await db.Roles.SingleOrDefaultAsync(r => r.Name == role) ?? db.Roles.Add(new Microsoft.AspNetCore.Identity.IdentityRole(role) { NormalizedName = role.ToUpperInvariant() }).Entity;
                await db.SaveChangesAsync();
                db.UserRoles.Add(new Microsoft.AspNetCore.Identity.IdentityUserRole<string> { UserId = user.Id, RoleId = roleRow.Id });
                await db.SaveChangesAsync();
            }
        }

        foreach (var refused in new[] { "viewer1", "nobody", "former" })
        {
            var single = await Assert.ThrowsAsync<TriageException>(() => RunAsync(t => t.AssignAsync(_alertId, refused, "analyst1", null, CancellationToken.None)));
            Assert.Contains(refused, single.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<TriageException>(() => RunAsync(async t =>
            {
                await using var db = _database.NewContext();
                await t.BulkAsync(db.Alerts, "assign", refused, "analyst1", null, CancellationToken.None);
            }));
        }

        await using (var db = _database.NewContext())
        {
            Assert.Null((await db.Alerts.SingleAsync()).Assignee);
            Assert.Equal(0, await db.Audit.CountAsync(a => a.Action == "alert.assign"));
        }

        await RunAsync(t => t.AssignAsync(_alertId, " 王老师 ", "analyst1", null, CancellationToken.None));
        await using var check = _database.NewContext();
        Assert.Equal("王老师", (await check.Alerts.SingleAsync()).Assignee);
    }

    [Fact]
    public async Task Close_ReasonTypedAsItsChineseName_IsAcceptedAsTheReason()
    {
        await RunAsync(async t =>
        {
            await using var db = _database.NewContext();
            Assert.Equal(new BulkResult(1, 0), await t.BulkAsync(db.Alerts, "close", "属实", "analyst1", null, CancellationToken.None));
        });

        await using var check = _database.NewContext();
        Assert.Equal((AlertStatus.Closed, CloseReason.TruePositive), ((await check.Alerts.SingleAsync()).Status, (await check.Alerts.SingleAsync()).CloseReason!));
    }

    [Fact]
    public async Task Bulk_SetNoLongerTheSizeThePageStated_ChangesNothing()
    {
        var refused = await Assert.ThrowsAsync<TriageException>(() => RunAsync(async t =>
        {
            await using var db = _database.NewContext();
            await t.BulkAsync(db.Alerts, "acknowledge", null, "analyst1", null, CancellationToken.None, expected: 10);
        }));

        Assert.Contains("页面显示 10 条，现在是 1 条", refused.Message, StringComparison.Ordinal);
        await using var check = _database.NewContext();
        Assert.Equal(AlertStatus.New, (await check.Alerts.SingleAsync()).Status);
        Assert.Equal(0, await check.Audit.CountAsync());
    }

    private async Task RunAsync(Func<AlertTriage, Task> step)
    {
        await using var db = _database.NewContext();
        using var signal = new IndexingSignal();
        await step(new AlertTriage(db, new AuditLog(_time), signal, _time));
    }
}
