using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Tests.Support;
using ExamNetWatch.Dashboard.Triage;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Tests.Triage;

/// <summary>
/// The queue's filters as the store runs them (SQLite, and PostgreSQL when the suite runs there): each filter keeps
/// exactly the alerts a watcher means, and filters combine.
/// </summary>
public sealed class AlertFilterTests : IAsyncLifetime
{
    private static readonly DateTime Day = new(2026, 6, 19, 16, 0, 0, DateTimeKind.Utc); // 2026-06-20 00:00 in Beijing
    private TempDatabase _database = null!;
    private int _forum, _tieba;

    public async Task InitializeAsync()
    {
        _database = await TempDatabase.CreateAsync();
        _forum = await _database.AddBareSourceAsync("论坛");
        _tieba = await _database.AddBareSourceAsync("贴吧");
        await using var db = _database.NewContext();
        Add(db, "a1", _forum, "出售中考数学答案", "paper_leak", "答案", 4, AlertStatus.New, Day.AddHours(1), assignee: null, due: Day.AddHours(2));
        Add(db, "a2", _forum, "隐形耳机批发", "device", "耳机", 3, AlertStatus.Acknowledged, Day.AddHours(3), assignee: "王老师");
        Add(db, "a3", _tieba, "代考包过 WeChat zk2027", "proxy,device", "代考", 2, AlertStatus.Escalated, Day.AddDays(1).AddHours(-1), assignee: "李老师");
        Add(db, "a4", _tieba, "考场传答案", "in_exam,paper_leak", "答案", 4, AlertStatus.Closed, Day.AddDays(2), assignee: "王老师");
        Add(db, "a5", _forum, "答案群 zk2027", "paper_leak", "答案", 1, AlertStatus.New, Day.AddMinutes(-1), assignee: null, due: Day.AddDays(5));
        await db.SaveChangesAsync();
        var first = await db.Alerts.Where(a => a.PostId == "a1").Select(a => a.Id).SingleAsync();
        await db.Alerts.Where(a => a.PostId == "a5").ExecuteUpdateAsync(s => s.SetProperty(a => a.GroupId, first));
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task NoStatus_IsTheOpenAlerts_AllIncludesClosed_AStatusIsThatStatus()
    {
        Assert.Equal(["a1", "a2", "a3", "a5"], await ShownAsync(new AlertFilter()));
        Assert.Equal(["a1", "a2", "a3", "a4", "a5"], await ShownAsync(new AlertFilter { Status = "all" }));
        Assert.Equal(["a3"], await ShownAsync(new AlertFilter { Status = AlertStatus.Escalated }));
    }

    [Fact]
    public async Task SeverityCategorySourceAndAssignee_KeepWhatTheySay()
    {
        Assert.Equal(["a1", "a2"], await ShownAsync(new AlertFilter { MinSeverity = 3 }));
        // A category is a whole entry of the list: "device" matches "proxy,device", not a word inside another.
        Assert.Equal(["a2", "a3"], await ShownAsync(new AlertFilter { Category = "device" }));
        Assert.Equal(["a1", "a4", "a5"], await ShownAsync(new AlertFilter { Category = "paper_leak", Status = "all" }));
        Assert.Empty(await ShownAsync(new AlertFilter { Category = "paper" }));
        Assert.Equal(["a3", "a4"], await ShownAsync(new AlertFilter { SourceId = _tieba, Status = "all" }));
        Assert.Equal(["a2"], await ShownAsync(new AlertFilter { Assignee = "me" }, user: "王老师"));
        Assert.Equal(["a1", "a5"], await ShownAsync(new AlertFilter { Assignee = "none" }));
        Assert.Equal(["a3"], await ShownAsync(new AlertFilter { Assignee = "李老师" }));
    }

    [Fact]
    public async Task BeijingDates_TextOverdueAndGroup_KeepWhatTheySay_AndCombine()
    {
        // 2026-06-20 in Beijing: from 16:00 UTC on the 19th to 16:00 UTC on the 20th (a5 is at 23:59 on the 19th).
        Assert.Equal(["a1", "a2", "a3"], await ShownAsync(new AlertFilter { From = "2026-06-20", To = "2026-06-20", Status = "all" }));
        Assert.Equal(["a4"], await ShownAsync(new AlertFilter { From = "2026-06-21", Status = "all" }));
        Assert.Equal(["a3", "a5"], await ShownAsync(new AlertFilter { Text = " zk2027 " }));
        Assert.Equal(["a1", "a5"], await ShownAsync(new AlertFilter { Text = "答案", MinSeverity = 1, SourceId = _forum }));
        Assert.Equal(["a1"], await ShownAsync(new AlertFilter { Overdue = true, NowUtc = Day.AddHours(5) }));
        var group = await GroupOfFirstAsync();
        Assert.Equal(["a1", "a5"], await ShownAsync(new AlertFilter { GroupId = group }));
        Assert.Throws<FormatException>(() => new AlertFilter { From = "20/06/2026" }.Apply(Enumerable.Empty<Alert>().AsQueryable(), "u"));
    }

    private async Task<long> GroupOfFirstAsync()
    {
        await using var db = _database.NewContext();
        return await db.Alerts.Where(a => a.PostId == "a1").Select(a => a.Id).SingleAsync();
    }

    private async Task<List<string>> ShownAsync(AlertFilter filter, string user = "someone")
    {
        await using var db = _database.NewContext();
        return await filter.Apply(db.Alerts.AsNoTracking(), user).OrderBy(a => a.PostId).Select(a => a.PostId).ToListAsync();
    }

    private static void Add(WatchDbContext db, string id, int source, string title, string categories, string terms, int severity, string status, DateTime created, string? assignee, DateTime? due = null)
    {
        db.Posts.Add(new Post
        {
            Id = id, SourceId = source, ThreadId = id, ForumPostId = id, Url = "http://127.0.0.1/t/" + id, ThreadTitle = title, Text = title, Html = "",
            CaptureSha256 = "x", WarcFile = "f", WarcRecordId = "r", ContentHash = "h", DetectionJson = "{}",
        });
        db.Alerts.Add(new Alert
        {
            PostId = id, SourceId = source, Title = title, Categories = categories, MatchedTerms = terms, Severity = severity, Status = status,
            CreatedAtUtc = created, Assignee = assignee, DueAtUtc = due, CloseReason = status == AlertStatus.Closed ? CloseReason.FalsePositive : null,
        });
    }
}
