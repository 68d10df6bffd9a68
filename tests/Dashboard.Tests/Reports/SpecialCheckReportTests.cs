using System.Diagnostics;
using DocumentFormat.OpenXml.Packaging;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Reports;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace ExamNetWatch.Dashboard.Tests.Reports;

/// <summary>The special-check report read back from its PDF (pdftotext) and DOCX (Open XML): the figures the authority above asks for.</summary>
[Trait(StoreTrait.Name, StoreTrait.Any)]
public sealed class SpecialCheckReportTests : IAsyncLifetime
{
    private static readonly DateTime Day = new(2026, 6, 10, 2, 0, 0, DateTimeKind.Utc);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 30, 0, 0, 0, TimeSpan.Zero));
    private TempDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await TempDatabase.CreateAsync();
        await using var db = _database.NewContext();
        var source = new Source { Name = "某市中考贴吧", EntryUrls = "http://tieba.test/f?kw=zk", ScopePrefixes = "http://tieba.test/", Schedule = "0 * * * *" };
        source.Authorisations.Add(new SourceAuthorisation { Basis = "赣考院中〔2026〕3号", ApprovedBy = "江西省教育考试院", ScopeNote = "中考吧", RegisteredBy = "王老师", ValidFromUtc = Day.AddDays(-30), ValidUntilUtc = Day.AddDays(60) });
        db.Sources.Add(source);
        await db.SaveChangesAsync();
        db.CrawlRuns.AddRange(
            new CrawlRun { SourceId = source.Id, StartedAtUtc = Day, EndedAtUtc = Day.AddMinutes(1), Pages = 120, PostsExamined = 900, NewPosts = 300, NewAlerts = 3 },
            new CrawlRun { SourceId = source.Id, StartedAtUtc = Day.AddDays(1), EndedAtUtc = Day.AddDays(1).AddMinutes(1), Pages = 80, PostsExamined = 600, NewPosts = 50, Failures = 2 },
            new CrawlRun { SourceId = source.Id, StartedAtUtc = Day.AddDays(40), EndedAtUtc = Day.AddDays(40), Pages = 999, PostsExamined = 999 });
        var audit = new AuditLog(_time);
        var escalated = Alert(source, "出售中考数学答案", "paper_leak", 4, AlertStatus.Escalated, null);
        var confirmed = Alert(source, "隐形耳机批发", "device", 3, AlertStatus.Closed, CloseReason.TruePositive);
        var open = Alert(source, "代考包过", "proxy_taker", 3, AlertStatus.New, null);
        var dismissed = Alert(source, "反作弊宣传", "device", 2, AlertStatus.Closed, CloseReason.FalsePositive);
        foreach (var (post, alert) in new[] { escalated, confirmed, open, dismissed })
        {
            db.Posts.Add(post);
            db.Alerts.Add(alert);
        }

        await db.SaveChangesAsync();
        audit.Add(db, "李老师", "alert.escalate", ExamNetWatch.Dashboard.Triage.AlertTriage.Target(escalated.Alert.Id), "acknowledged → escalated");
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Pdf_HoldsThePeriodSourcesWorkloadFindingsCasesAndOpenItems()
    {
        var text = await PdfTextAsync(await BuildAsync());

        Assert.Contains("专项检查报告", text, StringComparison.Ordinal);
        Assert.Contains("2026年6月1日至2026年6月30日", text, StringComparison.Ordinal);
        Assert.Contains("某市教育考试院", text, StringComparison.Ordinal);
        Assert.Contains("赣考院中〔2026〕3号", text, StringComparison.Ordinal);
        Assert.Contains("访问页面 200 个，审查帖子 1500 条", text, StringComparison.Ordinal);
        Assert.Contains("共生成告警 4 条", text, StringComparison.Ordinal);
        Assert.Contains("本期查实 2 条（移交公安 1 条", text, StringComparison.Ordinal);
        Assert.Contains("李老师 移交公安", text, StringComparison.Ordinal);
        Assert.Contains("尚有 1 条告警未处理完毕", text, StringComparison.Ordinal);
        Assert.Contains("代考包过", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Docx_HoldsTheSameFiguresInAWordDocument()
    {
        var (text, tables) = Docx(await BuildAsync());
        Assert.Contains("访问页面 200 个，审查帖子 1500 条", text, StringComparison.Ordinal);
        Assert.Contains("本期查实 2 条", text, StringComparison.Ordinal);

        var sources = Assert.Single(tables, t => t[0].Contains("授权依据"));
        Assert.Contains(sources.Skip(1), r => r.Contains("赣考院中〔2026〕3号") && r.Contains("江西省教育考试院"));
        var categories = Assert.Single(tables, t => t[0][0] == "类别");
        Assert.Equal(["严重", "高", "中", "合计"], categories[0].Skip(1));
        Assert.Equal(["作弊器材", "0", "1", "1", "2"], categories.Single(r => r[0] == "作弊器材"));
        Assert.Equal(["合计", "1", "2", "1", "4"], categories.Single(r => r[0] == "合计"));
        var cases = Assert.Single(tables, t => t[0].Contains("处置经过"));
        Assert.Equal(["出售中考数学答案", "隐形耳机批发"], cases.Skip(1).Select(r => r[2]).Order(StringComparer.Ordinal));
        Assert.Contains("李老师 移交公安", cases.Single(r => r[2] == "出售中考数学答案")[4], StringComparison.Ordinal);
        // How it was handled says the change in words, not in the stored codes.
        Assert.Contains("移交公安：处理中 → 已移交公安", cases.Single(r => r[2] == "出售中考数学答案")[4], StringComparison.Ordinal);
        Assert.DoesNotContain("acknowledged", cases.Single(r => r[2] == "出售中考数学答案")[4], StringComparison.Ordinal);
        var open = Assert.Single(tables, t => t[0].Contains("负责人"));
        Assert.Equal(["代考包过"], open.Skip(1).Select(r => r[^1]));
    }

    [Fact]
    public async Task Docx_WithAGroupChat_SaysItWasImportedNotCrawled_CountsItsImportsAndMessages_AndAlertsPerChannel()
    {
        await using (var db = _database.NewContext())
        {
            var group = new Source { Name = "初三家长群", Kind = SourceKinds.QqGroup, ChatGroupId = "987654321", ChatMember = "王老师", EntryUrls = string.Empty, ScopePrefixes = string.Empty, Schedule = string.Empty };
            group.Authorisations.Add(new SourceAuthorisation { Basis = "某教考院〔2026〕5号", ApprovedBy = "某市教育考试院", ScopeNote = "群聊", RegisteredBy = "王老师", ValidFromUtc = Day.AddDays(-30), ValidUntilUtc = Day.AddDays(60) });
            db.Sources.Add(group);
            await db.SaveChangesAsync();
            var (post, alert) = Alert(group, "学习资料：出售中考答案", "paper_leak", 3, AlertStatus.New, null);
            db.Posts.Add(post);
            db.Alerts.Add(alert);
            var (quiet, _) = Alert(group, "明天考语文", "paper_leak", 0, AlertStatus.New, null);
            db.Posts.Add(quiet);
            var audit = new AuditLog(_time);
            audit.Add(db, "王老师", AuditActions.ChatImport, "source:初三家长群", "export-1.txt sha256:ab; read 2, new 2");
            audit.Add(db, "王老师", AuditActions.ChatImport, "source:初三家长群", "export-1.txt sha256:ab; read 2, new 0");
            audit.Add(db, "王老师", AuditActions.ChatImportRefused, "source:初三家长群", "bad.txt: line 9");
            await db.SaveChangesAsync();
        }

        var (text, tables) = Docx(await BuildAsync());

        Assert.Contains("网站论坛 1 个，仅抓取公开页面", text, StringComparison.Ordinal);
        Assert.Contains("微信群、QQ群 1 个，由依授权在群内的工作人员导出聊天记录后导入，不抓取", text, StringComparison.Ordinal);
        var sources = Assert.Single(tables, t => t[0].Contains("授权依据"));
        Assert.Contains(sources.Skip(1), r => r[0] == "初三家长群" && r[1] == "QQ群 987654321（王老师 导出）" && r[2] == "某教考院〔2026〕5号");
        // Two audited imports (the refused one is no import), two messages new to the store in the period.
        Assert.Contains("本期导入群聊导出文件 2 份，新审查群聊消息 2 条", text, StringComparison.Ordinal);
        var chats = Assert.Single(tables, t => t[0][0] == "群聊");
        Assert.Equal(["初三家长群", "QQ群", "987654321", "2", "2"], chats[1]);
        var channels = Assert.Single(tables, t => t[0][0] == "渠道");
        Assert.Equal([["网站论坛", "4"], ["QQ群", "1"], ["微信群", "0"]], channels.Skip(1));
        // The crawl workload table lists forums only: a group chat is not crawled.
        var workload = Assert.Single(tables, t => t[0].Contains("抓取次数"));
        Assert.DoesNotContain(workload, r => r[0] == "初三家长群");
    }

    [Fact]
    public async Task Build_PeriodBackwards_Refused()
    {
        await using var db = _database.NewContext();

        await Assert.ThrowsAsync<ArgumentException>(() => new SpecialCheckReport(db, _time).BuildAsync(new DateOnly(2026, 6, 30), new DateOnly(2026, 6, 1), "x", CancellationToken.None));
    }

    [Fact]
    public async Task Build_PeriodEndingAfterToday_OrNoAuthority_RefusedSayingWhich()
    {
        await using var db = _database.NewContext();
        var report = new SpecialCheckReport(db, _time);

        // The clock says 2026-06-30 08:00 in Beijing: the period may end today, not tomorrow.
        var future = await Assert.ThrowsAsync<ArgumentException>(() => report.BuildAsync(new DateOnly(2026, 6, 1), new DateOnly(2026, 7, 1), "某市教育考试院", CancellationToken.None));
        Assert.Contains("after today (2026-06-30", future.Message, StringComparison.Ordinal);
        var blank = await Assert.ThrowsAsync<ArgumentException>(() => report.BuildAsync(new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 30), "  ", CancellationToken.None));
        Assert.Contains("报送单位", blank.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pdf_CarriesItsDocumentNumber_ConclusionsFromTheFigures_AndTheAuthoritysOwn()
    {
        await using (var db = _database.NewContext())
        {
            db.ExamSlots.Add(new ExamSlot { Exam = "2026年中考", Subject = "数学", StartsAtUtc = new DateTime(2026, 7, 2, 1, 0, 0, DateTimeKind.Utc), EndsAtUtc = new DateTime(2026, 7, 2, 3, 0, 0, DateTimeKind.Utc) });
            await db.SaveChangesAsync();
        }

        ReportDocument built;
        await using (var db = _database.NewContext())
        {
            built = await new SpecialCheckReport(db, _time).BuildAsync(new SpecialCheckRequest(new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 30), "某市教育考试院", "某教考〔2026〕12号", "建议考前每日两次巡查。"), CancellationToken.None);
        }

        var text = await PdfTextAsync(built);

        Assert.Contains("某教考〔2026〕12号", text, StringComparison.Ordinal);
        Assert.Contains("六、结论与下一步工作", text, StringComparison.Ordinal);
        Assert.Contains("审查帖子 1500 条，生成告警 4 条，查实 2 条，其中移交公安 1 条", text, StringComparison.Ordinal);
        // Two device alerts, one each of the others: devices lead; one source holds them all.
        Assert.Contains("告警主要集中在作弊器材（2 条）", text, StringComparison.Ordinal);
        Assert.Contains("告警最多的来源是某市中考贴吧（4 条）", text, StringComparison.Ordinal);
        Assert.Contains("尚有 1 条告警未处理完毕", text, StringComparison.Ordinal);
        Assert.Contains("本期抓取失败 2 次", text, StringComparison.Ordinal);
        Assert.Contains("下一场考试为 2026年中考 数学（2026-07-02 09:00:00 开考）", text, StringComparison.Ordinal);
        Assert.Contains("建议考前每日两次巡查。", text, StringComparison.Ordinal);
        Assert.Contains("七、报送", text, StringComparison.Ordinal);
    }

    private async Task<ReportDocument> BuildAsync()
    {
        await using var db = _database.NewContext();
        return await new SpecialCheckReport(db, _time).BuildAsync(new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 30), "某市教育考试院", CancellationToken.None);
    }

    /// <summary>The report as a Word document: its text, and its tables as a reader sees them (each row's cells).</summary>
    private (string Text, List<List<List<string>>> Tables) Docx(ReportDocument report)
    {
        using var docx = new MemoryStream();
        ReportRenderer.Write(report, "docx", docx, _time.GetUtcNow().UtcDateTime);
        docx.Position = 0;
        using var document = WordprocessingDocument.Open(docx, false);
        var body = document.MainDocumentPart!.Document!.Body!;
        return (body.InnerText, [.. body.Elements<DocumentFormat.OpenXml.Wordprocessing.Table>()
            .Select(t => t.Elements<DocumentFormat.OpenXml.Wordprocessing.TableRow>().Select(r => r.Elements<DocumentFormat.OpenXml.Wordprocessing.TableCell>().Select(c => c.InnerText).ToList()).ToList())]);
    }

    private async Task<string> PdfTextAsync(ReportDocument report)
    {
        var path = Path.Combine(Path.GetTempPath(), "enw-special-" + Guid.NewGuid().ToString("N") + ".pdf");
        await using (var file = File.Create(path))
        {
            ReportRenderer.Write(report, "pdf", file, _time.GetUtcNow().UtcDateTime);
        }

        try
        {
            using var process = Process.Start(new ProcessStartInfo("pdftotext", ["-enc", "UTF-8", path, "-"]) { RedirectStandardOutput = true, UseShellExecute = false })!;
            var text = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return text;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (Post Post, Alert Alert) Alert(Source source, string title, string category, int severity, string status, string? reason)
    {
        var id = Guid.NewGuid().ToString("N");
        var post = new Post
        {
            Id = id, SourceId = source.Id, ThreadId = "t", ForumPostId = id, Url = "http://tieba.test/p/1", ThreadTitle = title, Text = title, Html = title,
            FetchedAtUtc = Day, CaptureSha256 = "sha", WarcFile = "f", WarcRecordId = "r", ContentHash = id, DetectionJson = "{}",
        };
        var alert = new Alert { PostId = id, SourceId = source.Id, CreatedAtUtc = Day, Severity = severity, Categories = category, MatchedTerms = "x", Title = title, Status = status, CloseReason = reason };
        return (post, alert);
    }
}
