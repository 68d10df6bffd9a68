using System.Text;
using ExamNetWatch.Crawler.Chat;

namespace ExamNetWatch.Crawler.Tests.Chat;

/// <summary>
/// Group-chat exports shaped like those of the tools in use (QQ/TIM message manager text, WeChatMsg/留痕 and
/// PyWxDump CSV) and our own JSON Lines. The samples are written here, after the formats' descriptions.
/// </summary>
public sealed class ChatExportReaderTests
{
    private static readonly string QqGroup = string.Join("\r\n",
        QqTextExport.Title,
        string.Empty,
        new string('=', 64),
        "消息分组:我的群聊",
        new string('=', 64),
        "消息对象:2026中考交流群",
        new string('=', 64),
        string.Empty,
        "2026-06-18 8:01:15 【管理员】王(老师)(12345678)",
        "明天考语文，大家早点休息",
        string.Empty,
        "2026-06-18 21:40:02 考神附体<kaoshen@qq.com>",
        "有没有人要明天的答案",
        string.Empty,
        "考前一小时发，加我",
        string.Empty,
        "2026-06-18 21:41:10 系统消息(10000)",
        "小李加入本群。",
        string.Empty,
        "2026-06-18 21:42:00 小李(87654321)",
        "[图片]",
        string.Empty,
        "2026-06-18 21:42:00 小李(87654321)",
        "收到",
        string.Empty,
        "2026-06-18 21:42:00 小李(87654321)",
        "收到",
        string.Empty);

    [Fact]
    public void QqText_GroupExport_MembersTimesBodiesAndPictures_SystemNoticesLeftOut()
    {
        var export = ChatExportReader.Read(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(QqGroup)).ToArray());

        Assert.Equal(ChatExportFormats.QqText, export.Format);
        Assert.Equal("2026中考交流群", export.Conversation);
        Assert.Equal(1, export.Skipped);
        Assert.Equal(
            [
                ("12345678", "【管理员】王(老师)", "2026-06-18T08:01:15+08:00", "明天考语文，大家早点休息", ChatMessageKind.Text, 9),
                ("kaoshen@qq.com", "考神附体", "2026-06-18T21:40:02+08:00", "有没有人要明天的答案\n\n考前一小时发，加我", ChatMessageKind.Text, 12),
                ("87654321", "小李", "2026-06-18T21:42:00+08:00", "[图片]", ChatMessageKind.Image, 20),
                ("87654321", "小李", "2026-06-18T21:42:00+08:00", "收到", ChatMessageKind.Text, 23),
                ("87654321", "小李", "2026-06-18T21:42:00+08:00", "收到", ChatMessageKind.Text, 26),
            ],
            export.Messages.Select(m => (m.SenderId, m.SenderName, m.SentAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture), m.Text, m.Kind, m.Line)));
        // 08:01:15 in Beijing is 00:01:15 UTC.
        Assert.Equal(new DateTimeOffset(2026, 6, 18, 0, 1, 15, TimeSpan.Zero), export.Messages[0].SentAt);
    }

    [Theory]
    [InlineData("gb18030", false)]
    [InlineData("utf-16", true)]
    [InlineData("utf-16", false)]
    [InlineData("utf-8", false)]
    public void QqText_AnyEncodingWindowsWrites_ReadsTheSameMessages(string encoding, bool bom)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var code = Encoding.GetEncoding(encoding);
        var bytes = (bom ? code.GetPreamble() : []).Concat(code.GetBytes(QqGroup)).ToArray();
        var expected = ChatExportReader.Read(Encoding.UTF8.GetBytes(QqGroup)).Messages;

        var export = ChatExportReader.Read(bytes);

        Assert.Equal(expected, export.Messages);
        Assert.Equal(code.WebName, export.Encoding);
    }

    [Theory]
    [InlineData("2026-13-40 8:01:15 小李(87654321)", 9, "'2026-13-40 8:01:15' is not a date and time")]
    [InlineData("消息对象:另一个群", 9, "a second conversation ('另一个群' after '2026中考交流群')")]
    public void QqText_ALineThatCannotBeRead_RefusesTheWholeFileNamingTheLine(string inserted, int line, string problem)
    {
        var lines = QqGroup.Split("\r\n").ToList();
        lines.Insert(8, inserted);

        var error = Assert.Throws<ChatImportException>(() => ChatExportReader.Read(Encoding.UTF8.GetBytes(string.Join("\r\n", lines))));

        Assert.Equal(line, error.Line);
        Assert.StartsWith(problem, error.Problem, StringComparison.Ordinal);
        Assert.StartsWith($"line {line}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Identity_OverlappingExportsOfOneGroup_ShareTheirCommonMessages_RepeatsStayDistinct()
    {
        var first = ChatExportReader.Read(Encoding.UTF8.GetBytes(QqGroup));
        // A later export: starts at the second message and has one more.
        var later = QqGroup.Split("\r\n").ToList();
        later.RemoveRange(8, 3);
        later.AddRange(["2026-06-19 7:30:00 考神附体<kaoshen@qq.com>", "答案已发群文件", string.Empty]);
        var second = ChatExportReader.Read(Encoding.UTF8.GetBytes(string.Join("\r\n", later)));

        var firstIds = first.Messages.Select(m => m.Identity("qq:2026中考交流群")).ToList();
        var secondIds = second.Messages.Select(m => m.Identity("qq:2026中考交流群")).ToList();
        Assert.Equal(firstIds.Count, firstIds.Distinct().Count());
        Assert.Equal(firstIds.Skip(1), secondIds.Take(4));
        Assert.Equal(6, firstIds.Union(secondIds).Count());
        // The same words in another group are another message.
        Assert.NotEqual(firstIds[0], first.Messages[0].Identity("qq:另一个群"));
    }

    [Fact]
    public void WeChatMsgCsv_QuotedLinesPicturesAndPrivateRows_SystemLeftOut_AnExportAllFileRefused()
    {
        var csv = "localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\r\n"
            + "812,5,1,0,0,1781740875,2,\"出售中考答案\r\n各科都有，\"\"包过\"\"\",2026-06-18 08:01:15,李老师,Li,wxid_abc123\r\n"
            + "813,5,3,0,0,1781740880,2,\"<msg><img length=\"\"1\"\"/></msg>\",2026-06-18 08:01:20,李老师,Li,wxid_abc123\r\n"
            + "814,5,10000,0,0,1781740890,2,\"小王\"\"撤回了一条消息\",2026-06-18 08:01:30,,,\r\n"
            + "815,5,1,0,1,1781740900,2,好的,2026-06-18 08:01:40\r\n";

        var export = ChatExportReader.Read(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv)).ToArray());

        Assert.Equal(ChatExportFormats.WeChatMsgCsv, export.Format);
        Assert.Equal(1, export.Skipped);
        Assert.Equal(
            [
                ("wxid_abc123", "李老师", "出售中考答案\n各科都有，\"包过\"", ChatMessageKind.Text, 2),
                ("wxid_abc123", "李老师", "[图片]", ChatMessageKind.Image, 4),
                (null, "我", "好的", ChatMessageKind.Text, 6),
            ],
            export.Messages.Select(m => (m.SenderId, m.SenderName, m.Text, m.Kind, m.Line)));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1781740875), export.Messages[0].SentAt);

        var all = csv + "816,5,1,0,0,7312345678901234567,1781740910,2,x,2026-06-18 08:01:50,李老师,Li,wxid_abc123\r\n";
        var error = Assert.Throws<ChatImportException>(() => ChatExportReader.Read(Encoding.UTF8.GetBytes(all)));
        Assert.Equal(7, error.Line);
        Assert.Contains("export all", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MemoTraceCsv_NamesWithoutIds_LocalTimesAsBeijing()
    {
        var csv = "消息ID,类型,发送人,时间,内容,备注,昵称,更多信息\n"
            + "7312345678901234567,文本,李老师,2026-06-18 08:01:15,明早七点发答案，先付定金,李老师,Li,more\n"
            + "7312345678901234568,系统消息,,2026-06-18 08:02:00,你邀请小王加入了群聊,,,more\n"
            + "7312345678901234569,图片,李老师,2026-06-18 08:03:00,【图片】,李老师,Li,more\n";

        var export = ChatExportReader.Read(Encoding.UTF8.GetBytes(csv));

        Assert.Equal(ChatExportFormats.MemoTraceCsv, export.Format);
        Assert.Equal(1, export.Skipped);
        Assert.Equal([(null, "李老师", ChatMessageKind.Text), (null, "李老师", ChatMessageKind.Image)], export.Messages.Select(m => (m.SenderId, m.SenderName, m.Kind)));
        Assert.Equal(new DateTimeOffset(2026, 6, 18, 8, 1, 15, TimeSpan.FromHours(8)), export.Messages[0].SentAt);
    }

    [Theory]
    [InlineData("id,MsgSvrID,type_name,is_sender,talker,room_name,msg,src,CreateTime", "17,7312345678901234567,文本,0,wxid_abc123,4411223344@chatroom,有偿代考，联系我,,2026-06-18 08:02:40")]
    [InlineData("id,MsgSvrID,type_name,is_sender,talker,room_name,content,CreateTime", "17,7312345678901234567,文本,0,wxid_abc123,4411223344@chatroom,\"{\"\"src\"\": \"\"\"\", \"\"msg\"\": \"\"有偿代考，联系我\"\"}\",2026-06-18 08:02:40")]
    public void PyWxDumpCsv_BothVersions_SenderIdAndTheGroupRoom(string header, string row)
    {
        var csv = header + "\r\n" + row + "\r\n" + (header.Split(',').Length switch
        {
            9 => "18,7312345678901234568,系统通知,0,系统,4411223344@chatroom,\"\"\"小王\"\"加入了群聊\",,2026-06-18 08:03:00\r\n",
            _ => "18,7312345678901234568,系统通知,0,系统,4411223344@chatroom,\"{}\",2026-06-18 08:03:00\r\n",
        });

        var export = ChatExportReader.Read(Encoding.UTF8.GetBytes(csv));

        Assert.Equal(ChatExportFormats.PyWxDumpCsv, export.Format);
        Assert.Equal("4411223344@chatroom", export.Conversation);
        var message = Assert.Single(export.Messages);
        Assert.Equal(("wxid_abc123", "有偿代考，联系我", 2), (message.SenderId, message.Text, message.Line));
        Assert.Equal(1, export.Skipped);
    }

    [Fact]
    public void JsonLines_DocumentedFormat_ReadsEachLine_ABadLineIsNamed()
    {
        var jsonl = """
            {"time": "2026-06-18 08:01:15", "sender": "李老师", "sender_id": "12345678", "text": "数学答案 200 一科", "group": "中考群"}

            {"time": "2026-06-18T00:02:00Z", "sender": "小王", "text": "[图片]", "type": "image"}
            {"time": "2026-06-18 08:03:00", "sender": "系统", "text": "小李加入", "type": "system"}
            """;
        var export = ChatExportReader.Read(Encoding.UTF8.GetBytes(jsonl));
        Assert.Equal(("中考群", 1), (export.Conversation, export.Skipped));
        Assert.Equal([("12345678", 1), (null, 3)], export.Messages.Select(m => (m.SenderId, m.Line)));
        Assert.Equal(new DateTimeOffset(2026, 6, 18, 8, 2, 0, TimeSpan.FromHours(8)), export.Messages[1].SentAt);

        var bad = jsonl + "\n{\"time\": \"明天\", \"sender\": \"x\", \"text\": \"y\"}";
        var error = Assert.Throws<ChatImportException>(() => ChatExportReader.Read(Encoding.UTF8.GetBytes(bad)));
        Assert.Equal(5, error.Line);
        Assert.Contains("\"time\" '明天' is not a date and time", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("今天天气不错\n我们去公园吧", "not a chat export ExamNetWatch reads")]
    [InlineData("SQLite format 3\0\u0010\u0000", "is a database, not an export")]
    [InlineData("\uFEFFFrom: <Save by Tencent MsgMgr>\nSubject: Tencent IM Message\nContent-Type:multipart/related;\n", "the MIME boundary is missing")]
    public void NotAnExportItReads_IsRefusedSayingWhat(string content, string problem)
    {
        var error = Assert.Throws<ChatImportException>(() => ChatExportReader.Read(Encoding.UTF8.GetBytes(content)));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}
