using System.Text;
using ExamNetWatch.Crawler.Chat;

namespace ExamNetWatch.Crawler.Tests.Chat;

/// <summary>
/// The QQ / TIM message manager's .mht export, in samples written here after the structure its public parsers read:
/// the loose MIME envelope, one HTML table (headings, 日期 rows, a coloured header per message with the sender's
/// label and the time of day, bodies with fonts, line breaks and pictures), and a base64 part per picture.
/// </summary>
public sealed class QqMhtExportTests
{
    private const string Boundary = "----=_NextPart_0F1E2D3C_4B5A_6978_8796.A5B4C3D2E1F0";

    private static string Row(string colour, string sender, string time, string body) =>
        $"<tr><td><div style=color:{colour};padding-left:10px;><div style=float:left;margin-right:6px;>{sender}</div>{time}</div><div style=padding-left:20px;><font style=\"font-size:10pt;font-family:'微软雅黑','MS Sans Serif',sans-serif;\" color='000000'>{body}</font></div></td></tr>";

    private static string Date(string day) =>
        $"<tr><td style=border-bottom-width:1px;border-bottom-color:#8EC3EB;border-bottom-style:solid;color:#3568BB;font-weight:bold;height:24px;line-height:24px;padding-left:10px;margin-bottom:5px;>日期: {day}</td></tr>";

    /// <summary>An export of one group: its HTML lines (the first holds the headings and the first date) and one picture.</summary>
    private static string[] Export(string conversation = "2026届初三(2)班家长群", params string[] extraRows)
    {
        string[] html =
        [
            "<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\" /><title>QQ Message</title><style type=\"text/css\">body{font-size:12px; line-height:22px; margin:2px;}td{font-size:12px; line-height:22px;}</style></head><body><table width=100% cellspacing=0>"
                + "<tr><td><div style=padding-left:10px;><br><b>消息记录</b></div></td></tr><tr><td><div style=padding-left:10px;>消息分组:我的QQ群</div></td></tr>"
                + $"<tr><td><div style=padding-left:10px;>消息对象:{conversation}</div></td></tr><tr><td><div style=padding-left:10px;>&nbsp;</div></td></tr>" + Date("2026-06-18"),
            Row("#006EFE", "班主任-刘(老师)(11112222)", "8:01:15", "明天早上七点半到校&nbsp;&nbsp;带好准考证"),
            Row("#006EFE", "学习资料&lt;xuexi2026@qq.com&gt;", "21:40:02", "出售2026中考各科答案<br>考前一天发，加微信 zk2026da&nbsp;<IMG src=\"{7C0D1E2F-3A4B-4c5d-8E9F-0A1B2C3D4E5F}.dat\">"),
            Row("#006EFE", "系统消息(10000)", "21:41:10", "小李已加入本群"),
            Row("#42B475", "王老师(33334444)", "21:45:30", "<b>大家不要相信</b>，这是骗子&get;_&lt;"),
            Date("2026-06-19"),
            Row("#006EFE", "家长-王(55556666)", "9:05:33 PM", "<IMG src=\"{00000000-1111-4222-8333-444444444444}.dat\">"),
            .. extraRows,
            "</table></body></html>",
        ];
        return
        [
            "From: <Save by Tencent MsgMgr>",
            "Subject: Tencent IM Message",
            "MIME-Version: 1.0",
            "Content-Type:multipart/related;",
            "\tcharset=\"utf-8\"",
            "\ttype=\"text/html\";",
            $"\tboundary=\"{Boundary}\"",
            string.Empty,
            "--" + Boundary,
            "Content-Type: text/html",
            "Content-Transfer-Encoding:7bit",
            string.Empty,
            .. html,
            "--" + Boundary,
            "Content-Type:image/jpeg",
            "Content-Transfer-Encoding:base64",
            "Content-Location:{7C0D1E2F-3A4B-4c5d-8E9F-0A1B2C3D4E5F}.dat",
            string.Empty,
            "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP8=",
            string.Empty,
            "--" + Boundary + "--",
        ];
    }

    [Fact]
    public void GroupExport_SendersTimesBodiesAndPictures_SystemRowsLeftOut_EachMessageOnItsLine()
    {
        var lines = Export();
        var file = Encoding.UTF8.GetBytes(string.Join("\r\n", lines));

        var export = ChatExportReader.Read(file);

        Assert.Equal((ChatExportFormats.QqMht, "utf-8", "2026届初三(2)班家长群", 1), (export.Format, export.Encoding, export.Conversation, export.Skipped));
        Assert.Equal(
            [
                ("11112222", "班主任-刘(老师)", "2026-06-18T08:01:15+08:00", "明天早上七点半到校  带好准考证", ChatMessageKind.Text, 14),
                ("xuexi2026@qq.com", "学习资料", "2026-06-18T21:40:02+08:00", "出售2026中考各科答案\n考前一天发，加微信 zk2026da [图片]", ChatMessageKind.Text, 15),
                ("33334444", "王老师", "2026-06-18T21:45:30+08:00", "大家不要相信，这是骗子>_<", ChatMessageKind.Text, 17),
                ("55556666", "家长-王", "2026-06-19T21:05:33+08:00", "[图片（未随导出保存）]", ChatMessageKind.Image, 19),
            ],
            export.Messages.Select(m => (m.SenderId, m.SenderName, m.SentAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture), m.Text, m.Kind, m.Line)));

        // The cut of a message is its own row's line of the file, byte for byte.
        var cut = ChatExcerpt.Of(file, export, export.Messages[1]);
        Assert.Equal((15, 15), (cut.FirstLine, cut.LastLine));
        Assert.Equal(Encoding.UTF8.GetBytes(lines[14]), cut.Bytes);
    }

    [Fact]
    public void HtmlPartInBase64_IsReadToo()
    {
        var lines = Export();
        var start = Array.IndexOf(lines, "Content-Transfer-Encoding:7bit");
        var end = Array.IndexOf(lines, "</table></body></html>");
        var html = string.Join("\r\n", lines[(start + 2)..(end + 1)]);
        string[] encoded = [.. lines[..start], "Content-Transfer-Encoding: base64", string.Empty, .. Convert.ToBase64String(Encoding.UTF8.GetBytes(html)).Chunk(76).Select(c => new string(c)), .. lines[(end + 1)..]];

        var export = ChatExportReader.Read(Encoding.UTF8.GetBytes(string.Join("\r\n", encoded)));

        Assert.Equal(4, export.Messages.Count);
        Assert.Equal("出售2026中考各科答案\n考前一天发，加微信 zk2026da [图片]", export.Messages[1].Text);
    }

    [Fact]
    public void TwoConversationsOrAMessageBeforeAnyDate_RefusedNamingTheLine()
    {
        var two = Export(extraRows: ["<tr><td><div style=padding-left:10px;>消息对象:另一个群</div></td></tr>"]);
        var error = Assert.Throws<ChatImportException>(() => ChatExportReader.Read(Encoding.UTF8.GetBytes(string.Join("\r\n", two))));
        Assert.Equal(20, error.Line);
        Assert.Contains("a second conversation ('另一个群' after '2026届初三(2)班家长群')", error.Message, StringComparison.Ordinal);

        var badDate = Export().Select(l => l.Replace("日期: 2026-06-18", "日期: 2026-06-31", StringComparison.Ordinal)).ToArray();
        error = Assert.Throws<ChatImportException>(() => ChatExportReader.Read(Encoding.UTF8.GetBytes(string.Join("\n", badDate))));
        Assert.Equal((13, "line 13: '2026-06-31' is not a date"), (error.Line, error.Message));

        var undated = Export().Select(l => l.Replace("日期: 2026-06-18", string.Empty, StringComparison.Ordinal)).ToArray();
        error = Assert.Throws<ChatImportException>(() => ChatExportReader.Read(Encoding.UTF8.GetBytes(string.Join("\n", undated))));
        Assert.Equal((14, "line 14: a message before any 日期 row: the date of its time is unknown"), (error.Line, error.Message));
    }
}
