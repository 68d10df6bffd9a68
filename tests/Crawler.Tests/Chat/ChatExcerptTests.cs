using System.Text;
using ExamNetWatch.Crawler.Chat;

namespace ExamNetWatch.Crawler.Tests.Chat;

/// <summary>
/// The cut of an export that holds one message, as the evidence package carries it: the file's own bytes (so the cut
/// can be checked against the kept file), the lines it spans, and its text — in UTF-8, GB18030 and UTF-16 files.
/// </summary>
public sealed class ChatExcerptTests
{
    private static readonly string[] QqLines =
    [
        QqTextExport.Title,
        string.Empty,
        new string('=', 64),
        "消息对象:2026中考交流群",
        new string('=', 64),
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
        "收到",
    ];

    [Theory]
    [InlineData("utf-8")]
    [InlineData("GB18030")]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    public void QqText_MessageWithABlankLineBeforeASystemNotice_CutIsItsOwnLinesByteForByte(string encodingName)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var encoding = Encoding.GetEncoding(encodingName);
        var file = encoding.GetPreamble().Concat(encoding.GetBytes(string.Join("\r\n", QqLines))).ToArray();
        var export = ChatExportReader.Read(file);

        var cut = ChatExcerpt.Of(file, export, export.Messages[0]);

        // Lines 7 to 10: the header and the body with its inner blank line; not the blank line after it, not the notice.
        Assert.Equal((7, 10), (cut.FirstLine, cut.LastLine));
        Assert.Equal("2026-06-18 21:40:02 考神附体<kaoshen@qq.com>\n有没有人要明天的答案\n\n考前一小时发，加我", cut.Text);
        Assert.Equal(encoding.GetBytes(string.Join("\r\n", QqLines[6..10])), cut.Bytes);
        Assert.Equal(cut.Bytes, file.AsSpan((int)cut.Offset, cut.Bytes.Length).ToArray());

        // The last message runs to the end of the file.
        var last = ChatExcerpt.Of(file, export, export.Messages[^1]);
        Assert.Equal((15, 16, "2026-06-18 21:42:00 小李(87654321)\n收到"), (last.FirstLine, last.LastLine, last.Text));
        Assert.Equal(file.Length, last.Offset + last.Bytes.Length);
    }

    [Fact]
    public void WeChatCsv_QuotedFieldOverTwoLines_CutIsTheWholeRecord()
    {
        var csv = "localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\n"
            + "812,5,1,0,0,1781740875,2,\"出售中考答案\n各科都有\",2026-06-18 08:01:15,李老师,Li,wxid_abc123\n"
            + "814,5,10000,0,0,1781740890,2,撤回了一条消息,2026-06-18 08:01:30,,,\n"
            + "815,5,1,0,0,1781740900,2,好的,2026-06-18 08:01:40,李老师,Li,wxid_abc123\n";
        var file = Encoding.UTF8.GetBytes(csv);
        var export = ChatExportReader.Read(file);

        var cut = ChatExcerpt.Of(file, export, export.Messages[0]);

        Assert.Equal((2, 3), (cut.FirstLine, cut.LastLine));
        const string Record = "812,5,1,0,0,1781740875,2,\"出售中考答案\n各科都有\",2026-06-18 08:01:15,李老师,Li,wxid_abc123";
        Assert.Equal(Record, cut.Text);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Record))), cut.Sha256);
    }

    [Fact]
    public void MessageOfAnotherExport_IsRefused()
    {
        var file = Encoding.UTF8.GetBytes(string.Join("\n", QqLines));
        var export = ChatExportReader.Read(file);
        var stranger = export.Messages[0] with { Text = "别的消息" };

        Assert.Throws<ArgumentException>(() => ChatExcerpt.Of(file, export, stranger));
    }
}
