using ExamNetWatch.Dashboard.Retention;
using System.Text;
using ExamNetWatch.Crawler.Captures;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Indexing;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace ExamNetWatch.Dashboard.Tests.Retention;

/// <summary>The retention policy over a database and real WARC captures, with time moved by a fake clock.</summary>
public sealed class RetentionPolicyTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(TimeProvider.System.GetUtcNow());
    private readonly DataDirectory _data = new(Path.Combine(Path.GetTempPath(), "enw-retention-" + Guid.NewGuid().ToString("N")));
    private TempDatabase _database = null!;
    private string _warcFile = string.Empty;

    public async Task InitializeAsync()
    {
        _data.Create();
        _database = await TempDatabase.CreateAsync();
        await using var db = _database.NewContext();
        var source = new Source { Name = "论坛", EntryUrls = "", ScopePrefixes = "", Schedule = "" };
        db.Sources.Add(source);
        await db.SaveChangesAsync();

        using var writer = new WarcWriter(_data.CapturesPath, "test", 10 * 1024 * 1024, _time, "test");
        Capture(writer, "http://127.0.0.1/forum-1.html"); // a board page no post refers to
        var now = _time.GetUtcNow().UtcDateTime;
        AddPost(db, writer, source.Id, "plain", alert: null);
        AddPost(db, writer, source.Id, "dismissed", new Alert { PostId = "dismissed", Title = "t", Categories = "", MatchedTerms = "", Status = AlertStatus.Closed, CloseReason = CloseReason.FalsePositive, ClosedAtUtc = now.AddDays(1) });
        AddPost(db, writer, source.Id, "escalated", new Alert { PostId = "escalated", Title = "t", Categories = "", MatchedTerms = "", Status = AlertStatus.Escalated, ClosedAtUtc = now.AddDays(1) });
        AddPost(db, writer, source.Id, "held", new Alert { PostId = "held", Title = "t", Categories = "", MatchedTerms = "", Status = AlertStatus.Closed, ClosedAtUtc = now.AddDays(1), LegalHold = true });
        AddPost(db, writer, source.Id, "open", new Alert { PostId = "open", Title = "t", Categories = "", MatchedTerms = "", Status = AlertStatus.New });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_data.Root, recursive: true);
    }

    [Fact]
    public async Task After30Days_PostsWithoutAlertAndUnreferencedCapturesGo_AlertsStay()
    {
        _time.Advance(TimeSpan.FromDays(29));
        Assert.Equal(new RetentionReport(0, 0, 0, 0, 0), await RunAsync());

        _time.Advance(TimeSpan.FromDays(2));
        var report = await RunAsync();

        Assert.Equal(1, report.Posts);
        Assert.Equal(0, report.Alerts);
        Assert.Equal(4, report.CaptureRecords); // the board page and the plain post: a response and a request each
        await using var db = _database.NewContext();
        Assert.Equal(["dismissed", "escalated", "held", "open"], await db.Posts.OrderBy(p => p.Id).Select(p => p.Id).ToListAsync());
        Assert.Contains(await db.IndexOutbox.ToListAsync(), e => e.PostId == "plain");
        var purge = Assert.Single(await db.Audit.Where(a => a.Action == "retention.purge").ToListAsync());
        Assert.Contains("posts without alert 1", purge.Detail, StringComparison.Ordinal);
        Assert.Contains("capture records 4", purge.Detail, StringComparison.Ordinal);

        // What is left of the WARC file is the same records, in a new file the database now points at; the old one is gone.
        var file = Assert.Single(Directory.GetFiles(_data.CapturesPath, "*.warc.gz"));
        Assert.NotEqual(_warcFile, Path.GetFileName(file));
        Assert.All(await db.Posts.ToListAsync(), p => Assert.Equal(Path.GetFileName(file), p.WarcFile));
        var records = WarcReader.ReadAll(file).ToList();
        Assert.Equal(["warcinfo", "response", "request", "response", "request", "response", "request", "response", "request"], records.Select(r => r.Type));
        foreach (var post in await db.Posts.ToListAsync())
        {
            var record = WarcReader.ReadAt(Path.Combine(_data.CapturesPath, post.WarcFile), post.WarcOffset);
            Assert.Equal(post.WarcRecordId, record.RecordId);
            Assert.Contains(post.Id, Encoding.UTF8.GetString(record.Block.Span), StringComparison.Ordinal);
            Assert.Equal(WarcDigest.Sha256(record.Block.Span), record.Field("WARC-Block-Digest"));
        }
    }

    [Fact]
    public async Task AYearAfterClosing_TheAlertAndItsPostGo_UnlessEscalatedHeldOrStillOpen()
    {
        _time.Advance(TimeSpan.FromDays(367));

        var report = await RunAsync();

        Assert.Equal((1, 1), (report.Posts, report.Alerts));
        await using var db = _database.NewContext();
        Assert.Equal(["escalated", "held", "open"], await db.Posts.OrderBy(p => p.Id).Select(p => p.Id).ToListAsync());
        Assert.Equal(["escalated", "held", "open"], await db.Alerts.OrderBy(a => a.PostId).Select(a => a.PostId).ToListAsync());
        Assert.Equal(6, report.CaptureRecords);
    }

    [Fact]
    public async Task NothingLeftInAFile_TheFileIsDeleted()
    {
        await using (var db = _database.NewContext())
        {
            await db.Alerts.ExecuteDeleteAsync();
        }

        _time.Advance(TimeSpan.FromDays(31));
        var report = await RunAsync();

        Assert.Equal(5, report.Posts);
        Assert.Equal(1, report.CaptureFilesDeleted);
        Assert.Empty(Directory.EnumerateFiles(_data.CapturesPath, "*.warc.gz"));
    }

    [Fact]
    public async Task AHalfWrittenLastRecord_IsDroppedWithTheRest_EveryReferencedCaptureStillReads()
    {
        // What a process killed while writing leaves: the first half of a gzip member at the end of the file.
        var path = Path.Combine(_data.CapturesPath, _warcFile);
        var member = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(member, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes("WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 5000\r\n\r\n" + new string('x', 3000)));
        }

        await using (var stream = new FileStream(path, FileMode.Append))
        {
            stream.Write(member.ToArray().AsSpan(0, (int)member.Length / 2));
        }

        _time.Advance(TimeSpan.FromDays(31));
        var report = await RunAsync();

        Assert.Equal((1, 5), (report.Posts, report.CaptureRecords)); // the board page, the plain post, and the half record
        await using var db = _database.NewContext();
        var file = Assert.Single(Directory.GetFiles(_data.CapturesPath, "*.warc.gz"));
        Assert.Equal(9, WarcReader.ReadAll(file).Count());
        foreach (var post in await db.Posts.ToListAsync())
        {
            Assert.Equal(post.WarcRecordId, WarcReader.ReadMember(Path.Combine(_data.CapturesPath, post.WarcFile), post.WarcOffset, post.WarcLength).RecordId);
        }
    }

    [Fact]
    public async Task ARecordStillReferencedCannotBeRead_TheFileIsLeftAsItIs_AndTheAuditLogSaysSo()
    {
        var path = Path.Combine(_data.CapturesPath, _warcFile);
        await using (var db = _database.NewContext())
        {
            var last = await db.Posts.OrderByDescending(p => p.WarcOffset).FirstAsync();
            await using var stream = new FileStream(path, FileMode.Open);
            stream.SetLength(last.WarcOffset + (last.WarcLength / 2));
        }

        var before = await File.ReadAllBytesAsync(path);
        _time.Advance(TimeSpan.FromDays(31));
        var report = await RunAsync();

        Assert.Equal(1, report.Posts);
        Assert.Equal(before, await File.ReadAllBytesAsync(path));
        await using var after = _database.NewContext();
        var damaged = Assert.Single(await after.Audit.Where(a => a.Action == "retention.capture-damaged").ToListAsync());
        Assert.Equal("capture:" + _warcFile, damaged.Target);
    }

    private async Task<RetentionReport> RunAsync()
    {
        await using var db = _database.NewContext();
        using var signal = new IndexingSignal();
        return await new ExamNetWatch.Dashboard.Retention.RetentionPolicy(db, _data, new ExamNetWatch.Dashboard.Retention.RetentionOptions(), new AuditLog(_time), signal, _time).RunAsync(CancellationToken.None);
    }

    private void AddPost(WatchDbContext db, WarcWriter writer, int sourceId, string id, Alert? alert)
    {
        var (location, recordId) = Capture(writer, "http://127.0.0.1/thread-" + id + ".html", id);
        _warcFile = location.File;
        db.Posts.Add(new Post
        {
            Id = id, SourceId = sourceId, ThreadId = id, ForumPostId = id, Url = "http://127.0.0.1/thread-" + id + ".html", ThreadTitle = "t", Text = "帖子 " + id, Html = "帖子",
            FetchedAtUtc = _time.GetUtcNow().UtcDateTime, CaptureSha256 = "x", WarcFile = location.File, WarcOffset = location.Offset, WarcLength = location.Length,
            WarcRecordId = recordId, ContentHash = "h", DetectionJson = "{}",
        });
        if (alert is not null)
        {
            alert.SourceId = sourceId;
            alert.CreatedAtUtc = _time.GetUtcNow().UtcDateTime;
            db.Alerts.Add(alert);
        }
    }

    private (WarcLocation Location, string RecordId) Capture(WarcWriter writer, string url, string body = "board")
    {
        var response = new WarcRecord("response", Guid.NewGuid(), _time.GetUtcNow(), [KeyValuePair.Create("WARC-Target-URI", url), KeyValuePair.Create("Content-Type", "application/http;msgtype=response")], Encoding.UTF8.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>" + body + "</p>"));
        var request = new WarcRecord("request", Guid.NewGuid(), _time.GetUtcNow(), [KeyValuePair.Create("WARC-Target-URI", url), KeyValuePair.Create("Content-Type", "application/http;msgtype=request"), KeyValuePair.Create("WARC-Concurrent-To", response.RecordId)], Encoding.UTF8.GetBytes("GET / HTTP/1.1\r\n\r\n"));
        var locations = writer.Write([response, request]);
        return (locations[0], response.RecordId);
    }
}
