using System.Text;
using System.Text.Json;
using ExamNetWatch.Crawler.Captures;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Tests.Cli;

/// <summary>
/// A QQ group registered as a source with its authorisation, its exported history imported with <c>import chat</c> as
/// the executable: messages judged and alerted like posts, the file kept byte for byte, a second or overlapping
/// import adding only what is new, a bad file refused whole naming its line.
/// </summary>
public sealed class ImportChatCommandTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "enw-chat-" + Guid.NewGuid().ToString("N"));
    private readonly string _files = Directory.CreateTempSubdirectory("enw-chat-files-").FullName;

    private static readonly string[] Export =
    [
        "消息记录（此消息记录为文本格式，不支持重新导入）",
        string.Empty,
        new string('=', 64),
        "消息分组:我的群聊",
        new string('=', 64),
        "消息对象:2026届初三家长群",
        new string('=', 64),
        string.Empty,
        "2026-06-17 20:01:15 班主任-刘(11112222)",
        "明天上午九点考语文，请提醒孩子带好准考证",
        string.Empty,
        "2026-06-17 21:40:02 学习资料(33334444)",
        "出售2026年中考各科答案，考前一天发，加微信 zk2026da",
        string.Empty,
        "2026-06-17 21:45:30 家长-王(55556666)",
        "[图片]",
        string.Empty,
    ];

    [Fact]
    public async Task ImportChat_QqGroupExport_JudgesEachMessageOnce_KeepsTheFile_AndOnlyNewMessagesOfALaterExportAreAdded()
    {
        var added = await RunAsync("sources", "add", "初三家长群", "--kind", "qq-group", "--group", "987654321", "--member", "王老师",
            "--basis", "某教考院〔2026〕5号", "--approved-by", "某市教育考试院", "--valid-from", "2026-01-01", "--valid-until", "2099-12-31", "--registered-by", "王老师", "--json");
        Assert.True(added.Code == 0, added.Stderr);
        var source = JsonDocument.Parse(added.Stdout).RootElement;
        Assert.Equal(("qq-group", "987654321", "active"), (source.GetProperty("kind").GetString(), source.GetProperty("chatGroupId").GetString(), source.GetProperty("status").GetString()));
        Assert.Contains("kind:     qq-group   group: 987654321   exported by: 王老师", (await RunAsync("sources", "show", "1")).Stdout, StringComparison.Ordinal);

        var first = await ImportAsync("export-1.txt", Encoding.UTF8.GetBytes(string.Join("\r\n", Export)));
        Assert.True(first.Code == 0, first.Stderr);
        var result = JsonDocument.Parse(first.Stdout).RootElement;
        Assert.Equal((3, 3, 0, 1), (result.GetProperty("read").GetInt32(), result.GetProperty("new").GetInt32(), result.GetProperty("known").GetInt32(), result.GetProperty("alerts").GetInt32()));

        // The offer alerts, with its sender's QQ number and Beijing time; the reminder about the exam does not.
        await using (var db = Open())
        {
            var alert = await db.Alerts.Include(a => a.Post).SingleAsync();
            Assert.Equal(("33334444", "学习资料"), (alert.Post!.AuthorId, alert.Post.Author));
            Assert.Contains("zk2026da", alert.Post.Text, StringComparison.Ordinal);
            Assert.Equal(new DateTime(2026, 6, 17, 13, 40, 2, DateTimeKind.Utc), alert.Post.PostedAtUtc);
            Assert.StartsWith("chat://qq-group/987654321/", alert.Post.Url, StringComparison.Ordinal);
            Assert.EndsWith("?line=12", alert.Post.Url, StringComparison.Ordinal);
            // The post points at the kept export: a WARC resource record holding the file byte for byte.
            var record = new WarcCaptureReader(Path.Combine(_dataDir, "captures")).Read(new CaptureRef(alert.Post.CaptureSha256, alert.Post.WarcFile, alert.Post.WarcOffset, alert.Post.WarcLength, alert.Post.WarcRecordId));
            Assert.Equal("resource", record.Type);
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_files, "export-1.txt")), record.Block.ToArray());
            Assert.Equal("export-1.txt", record.Field("X-ExamNetWatch-Export-File"));
            Assert.Equal("某教考院〔2026〕5号（某市教育考试院）", record.Field("X-ExamNetWatch-Authorisation"));
            var audit = await db.Audit.SingleAsync(a => a.Action == "chat.import");
            Assert.Contains("sha256:" + result.GetProperty("sha256").GetString(), audit.Detail, StringComparison.Ordinal);
        }

        // The same file again: nothing new, nothing kept twice.
        var again = JsonDocument.Parse((await ImportAsync("export-1.txt", Encoding.UTF8.GetBytes(string.Join("\r\n", Export)))).Stdout).RootElement;
        Assert.Equal((3, 0, 3), (again.GetProperty("read").GetInt32(), again.GetProperty("new").GetInt32(), again.GetProperty("known").GetInt32()));
        Assert.Equal(JsonValueKind.Null, again.GetProperty("capture").ValueKind);

        // A later export overlapping the first (its first message gone, one new): one message added.
        string[] later = [.. Export[..8], .. Export[11..], "2026-06-18 07:10:00 学习资料(33334444)", "语文答案已发群文件，先付款后看", string.Empty];
        var overlap = JsonDocument.Parse((await ImportAsync("export-2.txt", Encoding.UTF8.GetBytes(string.Join("\r\n", later)))).Stdout).RootElement;
        Assert.Equal((3, 1, 2), (overlap.GetProperty("read").GetInt32(), overlap.GetProperty("new").GetInt32(), overlap.GetProperty("known").GetInt32()));
        await using (var db = Open())
        {
            Assert.Equal(4, await db.Posts.CountAsync());
            Assert.Equal(2, await db.Alerts.CountAsync());
        }

        // The offer's evidence package carries the export and verifies; it says the data is a member's export and
        // renders no web page for it.
        var package = Path.Combine(_files, "case.zip");
        var exported = await RunAsync("evidence", "export", "1", "--out", package);
        Assert.True(exported.Code == 0, exported.Stderr);
        Assert.DoesNotContain("未生成截图", exported.Stdout + exported.Stderr, StringComparison.Ordinal);
        var verified = await RunAsync("evidence", "verify", package);
        Assert.True(verified.Code == 0, verified.Stdout + verified.Stderr);
        using (var zip = System.IO.Compression.ZipFile.OpenRead(package))
        {
            System.IO.Compression.ZipFileExtensions.ExtractToFile(zip.GetEntry("report.pdf")!, Path.Combine(_files, "report.pdf"));

            // The exact cut of the kept file that holds the message (its header and body, lines 12–13), byte for byte.
            var cut = Encoding.UTF8.GetBytes(string.Join("\r\n", Export[11..13]));
            Assert.Equal(cut, Bytes(zip, "chats/alert-1-lines-12-13.txt"));

            // The chain from the file to the message: the file's hash and importer, the cut's place and hash, the message's identity.
            var chat = JsonDocument.Parse(Bytes(zip, "posts/alert-1.json")).RootElement;
            var file = chat.GetProperty("chat").GetProperty("file");
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(_files, "export-1.txt")))), file.GetProperty("sha256").GetString());
            Assert.Equal(("export-1.txt", "qq-txt", "utf-8"), (file.GetProperty("name").GetString(), file.GetProperty("format").GetString(), file.GetProperty("encoding").GetString()));
            Assert.Matches(@"^ExamNetWatch/\d+\.\d+\.\d+ chat-reader/1$", file.GetProperty("importer").GetString());
            var excerpt = chat.GetProperty("chat").GetProperty("excerpt");
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(cut)), excerpt.GetProperty("sha256").GetString());
            var offset = excerpt.GetProperty("byteOffset").GetInt64();
            Assert.Equal(cut, (await File.ReadAllBytesAsync(Path.Combine(_files, "export-1.txt"))).AsSpan((int)offset, cut.Length).ToArray());
            Assert.Equal(chat.GetProperty("post").GetProperty("id").GetString(), chat.GetProperty("chat").GetProperty("message").GetProperty("postId").GetString());
            // Not a web page: no HTTP status line, and the access mode says whose export it is.
            Assert.Equal(JsonValueKind.Null, chat.GetProperty("fetch").GetProperty("statusLine").ValueKind);
            Assert.Contains("群成员依授权导出的聊天记录", chat.GetProperty("fetch").GetProperty("accessMode").GetString(), StringComparison.Ordinal);
        }

        var extraction = string.Concat((await PdfText.ReadAsync(Path.Combine(_files, "report.pdf"))).Where(c => !char.IsWhiteSpace(c)));
        Assert.Contains("数据来自获授权群成员导出的聊天记录文件（非公开网页）", extraction, StringComparison.Ordinal);
        Assert.Contains("群聊消息来自依授权在群内的工作人员导出的聊天记录文件（非公开网页）", extraction, StringComparison.Ordinal);
        Assert.DoesNotContain("抓取时为公开页面访问", extraction, StringComparison.Ordinal);
        Assert.Contains("导出文件第12–13行", extraction, StringComparison.Ordinal);
        Assert.Contains("chat-reader/1", extraction, StringComparison.Ordinal);
    }

    private static byte[] Bytes(System.IO.Compression.ZipArchive zip, string name)
    {
        using var entry = (zip.GetEntry(name) ?? throw new Xunit.Sdk.XunitException(name + " is not in the package: " + string.Join(", ", zip.Entries.Select(e => e.FullName)))).Open();
        using var copy = new MemoryStream();
        entry.CopyTo(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task ImportChat_ABadLineOrTheWrongSource_RefusesTheWholeFileNamingWhy_AndStoresNothing()
    {
        Assert.Equal(0, (await RunAsync("sources", "add", "家长群", "--kind", "qq-group", "--group", "987654321", "--member", "王老师",
            "--basis", "b", "--approved-by", "a", "--valid-from", "2026-01-01", "--valid-until", "2099-12-31", "--registered-by", "r")).Code);
        Assert.Equal(0, (await RunAsync("sources", "add", "论坛", "--entry", "http://bbs.test/forum.php", "--scope", "http://bbs.test/",
            "--basis", "b", "--approved-by", "a", "--valid-from", "2026-01-01", "--valid-until", "2099-12-31", "--registered-by", "r")).Code);
        string[] bad = [.. Export[..14], "2026-06-31 21:45:30 家长-王(55556666)", "好的", string.Empty];

        var badLine = await ImportAsync("bad.txt", Encoding.UTF8.GetBytes(string.Join("\n", bad)));
        Assert.Equal(2, badLine.Code);
        Assert.Contains("bad.txt: line 15: '2026-06-31 21:45:30' is not a date and time; nothing was imported", badLine.Stderr, StringComparison.Ordinal);

        var intoForum = await ImportAsync("export.txt", Encoding.UTF8.GetBytes(string.Join("\n", Export)), source: "2");
        Assert.Equal(2, intoForum.Code);
        Assert.Contains("is a forum, crawled rather than imported", intoForum.Stderr, StringComparison.Ordinal);

        var wechat = await ImportAsync("wechat.csv", Encoding.UTF8.GetBytes("消息ID,类型,发送人,时间,内容,备注,昵称,更多信息\n1,文本,李,2026-06-17 20:00:00,你好,,,more\n"));
        Assert.Equal(2, wechat.Code);
        Assert.Contains("a memotrace-csv export cannot go into 家长群, a qq-group source", wechat.Stderr, StringComparison.Ordinal);

        await using var db = Open();
        Assert.Equal(0, await db.Posts.CountAsync());
        Assert.Equal(3, await db.Audit.CountAsync(a => a.Action == "chat.import-refused"));
        Assert.False(Directory.Exists(Path.Combine(_dataDir, "captures")) && Directory.EnumerateFiles(Path.Combine(_dataDir, "captures"), "*.warc.gz").Any(f => new FileInfo(f).Length > 0), "a refused file was kept");
    }

    [Fact]
    public async Task ImportChat_HistoryFromBeforeTheAuthorisationBegan_IsLeftOutAndCounted()
    {
        Assert.Equal(0, (await RunAsync("sources", "add", "家长群", "--kind", "qq-group", "--group", "987654321", "--member", "王老师",
            "--basis", "b", "--approved-by", "a", "--valid-from", "2026-06-18", "--valid-until", "2099-12-31", "--registered-by", "r")).Code);
        string[] export = [.. Export, "2026-06-18 07:30:00 学习资料(33334444)", "今天的答案还有，加微信 zk2026da", string.Empty];

        var imported = await ImportAsync("export.txt", Encoding.UTF8.GetBytes(string.Join("\r\n", export)));

        Assert.True(imported.Code == 0, imported.Stderr);
        var result = JsonDocument.Parse(imported.Stdout).RootElement;
        Assert.Equal((4, 1, 3, 1), (result.GetProperty("read").GetInt32(), result.GetProperty("new").GetInt32(), result.GetProperty("unauthorised").GetInt32(), result.GetProperty("alerts").GetInt32()));
        await using var db = Open();
        Assert.Equal("今天的答案还有，加微信 zk2026da", (await db.Posts.SingleAsync()).Text);
        Assert.Contains("outside the authorisation 3", (await db.Audit.SingleAsync(a => a.Action == "chat.import")).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportChat_QqMhtIntoAQqGroup_WeChatMsgHtmlIntoAWeChatGroup_EachJudgedAndKept()
    {
        Assert.Equal(0, (await RunAsync("sources", "add", "家长群", "--kind", "qq-group", "--group", "987654321", "--member", "王老师",
            "--basis", "b", "--approved-by", "a", "--valid-from", "2026-01-01", "--valid-until", "2099-12-31", "--registered-by", "r")).Code);
        Assert.Equal(0, (await RunAsync("sources", "add", "学习群", "--kind", "wechat-group", "--group", "25002500@chatroom", "--member", "李老师",
            "--basis", "b", "--approved-by", "a", "--valid-from", "2026-01-01", "--valid-until", "2099-12-31", "--registered-by", "r")).Code);
        const string Boundary = "----=_NextPart_01234567_89AB_CDEF_0123.456789ABCDEF";
        string[] mht =
        [
            "From: <Save by Tencent MsgMgr>", "Subject: Tencent IM Message", "MIME-Version: 1.0", "Content-Type:multipart/related;", "\tcharset=\"utf-8\"", "\ttype=\"text/html\";", $"\tboundary=\"{Boundary}\"", string.Empty,
            "--" + Boundary, "Content-Type: text/html", "Content-Transfer-Encoding:7bit", string.Empty,
            "<html><head><title>QQ Message</title></head><body><table width=100% cellspacing=0><tr><td><div style=padding-left:10px;>消息对象:2026届初三家长群</div></td></tr><tr><td style=color:#3568BB;>日期: 2026-06-17</td></tr>",
            "<tr><td><div style=color:#006EFE;padding-left:10px;><div style=float:left;margin-right:6px;>班主任-刘(11112222)</div>20:01:15</div><div style=padding-left:20px;><font color='000000'>明天上午九点考语文</font></div></td></tr>",
            "<tr><td><div style=color:#006EFE;padding-left:10px;><div style=float:left;margin-right:6px;>学习资料(33334444)</div>21:40:02</div><div style=padding-left:20px;><font color='000000'>出售2026年中考各科答案，考前一天发<br>加微信 zk2026da</font></div></td></tr>",
            "</table></body></html>", "--" + Boundary + "--",
        ];
        var qq = await ImportAsync("家长群.mht", Encoding.UTF8.GetBytes(string.Join("\r\n", mht)));
        Assert.True(qq.Code == 0, qq.Stderr);
        var qqResult = JsonDocument.Parse(qq.Stdout).RootElement;
        Assert.Equal(("qq-mht", 2, 2, 1), (qqResult.GetProperty("format").GetString(), qqResult.GetProperty("read").GetInt32(), qqResult.GetProperty("new").GetInt32(), qqResult.GetProperty("alerts").GetInt32()));

        var html = "<html><head><meta charset=\"UTF-8\"><title>学习群</title></head><body><script>\nconst chatMessages = [\n"
            + "{ type:1, text: '收代考，包过，加V dk2026vip',is_send:0,avatar_path:'x',timestamp:1781740900,is_chatroom:1,displayname:'枪手'},"
            + "{ type:1, text: '大家复习得怎么样',is_send:0,avatar_path:'x',timestamp:1781740960,is_chatroom:1,displayname:'同学甲'},\n];\n</script></body></html>";
        var intoQq = await ImportAsync("学习群.html", Encoding.UTF8.GetBytes(html));
        Assert.Equal(2, intoQq.Code);
        Assert.Contains("a wechatmsg-html export cannot go into 家长群, a qq-group source", intoQq.Stderr, StringComparison.Ordinal);
        var wechat = await ImportAsync("学习群.html", Encoding.UTF8.GetBytes(html), source: "2");
        Assert.True(wechat.Code == 0, wechat.Stderr);
        var wechatResult = JsonDocument.Parse(wechat.Stdout).RootElement;
        Assert.Equal(("wechatmsg-html", 2, 1), (wechatResult.GetProperty("format").GetString(), wechatResult.GetProperty("new").GetInt32(), wechatResult.GetProperty("alerts").GetInt32()));

        await using var db = Open();
        var alerts = await db.Alerts.Include(a => a.Post).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal([("33334444", "学习资料：出售2026年中考各科答案，考前一天发 加微信 zk2026da"), (null, "枪手：收代考，包过，加V dk2026vip")], alerts.Select(a => (a.Post!.AuthorId, a.Title)));
        Assert.EndsWith("?line=15", alerts[0].Post!.Url, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var folder in new[] { _dataDir, _files })
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private WatchDbContext Open() => new(new DbContextOptionsBuilder<WatchDbContext>().UseWatchSqlite(new DataDirectory(_dataDir).ConnectionString).Options);

    private async Task<(int Code, string Stdout, string Stderr)> ImportAsync(string name, byte[] content, string source = "1")
    {
        await File.WriteAllBytesAsync(Path.Combine(_files, name), content);
        return await RunAsync("import", "chat", Path.Combine(_files, name), "--source", source, "--json");
    }

    private Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args) =>
        ExamNetWatchProcess.RunAsync([.. args, "--data-dir", _dataDir]);
}
