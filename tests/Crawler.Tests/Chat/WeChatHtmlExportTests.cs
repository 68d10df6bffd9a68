using System.Text;
using ExamNetWatch.Crawler.Chat;

namespace ExamNetWatch.Crawler.Tests.Chat;

/// <summary>
/// WeChatMsg's HTML export in samples written here after its exporter and template: the page's demo bubbles (never
/// read), the chat's name as the title, and the messages as a script array of object literals — escaped text with
/// emoji pictures, pictures, voice with its transcript, a link card whose title was written unescaped, system notices.
/// </summary>
public sealed class WeChatHtmlExportTests
{
    private const string Demo = "<div id=\"chat-container\"><div class=\"item item-left\"><div class=\"bubble bubble-left\">很抱歉，由于程序出现未知错误，聊天记录未能显示</div></div></div>";

    private static readonly string[] Records =
    [
        "{ type:1, text: '明天考数学，<img src=\"https://res.wx.qq.com/t/wx_fed/we-emoji/res/v1.2.8/assets/Expression/Expression_1@2x.png\" id=\"微笑\" class=\"emoji_img\">大家加油 &amp; 早点睡',is_send:0,avatar_path:'https://wx.qlogo.cn/mmhead/a/132',timestamp:1781740875,is_chatroom:1,displayname:'班主任-刘'},",
        "{ type:1, text: '出售中考答案，考前一天发\\n加V：zk2026da，\\'包过\\'',is_send:0,avatar_path:'https://wx.qlogo.cn/mmhead/b/132',timestamp:1781740900,is_chatroom:1,displayname:'学习资料'},",
        "{ type:0, text: '\"小李\"邀请\"小王\"加入了群聊',is_send:0,avatar_path:'',timestamp:1781740910,is_chatroom:1,displayname:''},",
        "{ type:3, text: './image/3f2a9c.jpg',is_send:0,avatar_path:'https://wx.qlogo.cn/mmhead/b/132',timestamp:1781740920,is_chatroom:1,displayname:'学习资料'},",
        "{ type:34, text: './voice/1781740930.mp3',is_send:0,avatar_path:'x',timestamp:1781740930,is_chatroom:1,displayname:'学习资料',voice_to_text:'要的私聊我'},",
        "{ type:49, text: '', sub_type:5, is_send:0,avatar_path:'x',timestamp:1781740940,is_chatroom:1,displayname:'学习资料',url:'http://a.test/x',title:'2026中考'真题'答案汇总',description:'点击领取',thumbnail:'',app_logo:'',app_name:''},",
        "{ type:1, text: '大家不要信',is_send:1,avatar_path:'x',timestamp:1781740950,is_chatroom:1,displayname:'王老师'},",
    ];

    private static string Page(IEnumerable<string> records, string title = "初三(2)班家长群") => string.Join("\r\n",
    [
        "<!DOCTYPE html>",
        "<html lang=\"zh-CN\"><head><meta charset=\"UTF-8\"><title>" + title + "</title></head><body>",
        "<p id=\"title\">" + title + "</p>",
        Demo,
        "<script>",
        "const chatMessages = [",
        string.Concat(records),
        "];",
        "    const itemsPerPage = 100;",
        "</script></body></html>",
    ]);

    [Fact]
    public void GroupPage_MessagesFromTheScriptArray_NotTheTemplateBubbles()
    {
        var file = Encoding.UTF8.GetBytes(Page(Records));

        var export = ChatExportReader.Read(file);

        Assert.Equal((ChatExportFormats.WeChatMsgHtml, "初三(2)班家长群", 1), (export.Format, export.Conversation, export.Skipped));
        Assert.Equal(
            [
                ("班主任-刘", "明天考数学，[微笑]大家加油 & 早点睡", ChatMessageKind.Text),
                ("学习资料", "出售中考答案，考前一天发\n加V：zk2026da，'包过'", ChatMessageKind.Text),
                ("学习资料", "[图片]", ChatMessageKind.Image),
                ("学习资料", "[语音] 要的私聊我", ChatMessageKind.Other),
                ("学习资料", "[链接] 2026中考'真题'答案汇总 点击领取 http://a.test/x", ChatMessageKind.Other),
                ("王老师", "大家不要信", ChatMessageKind.Text),
            ],
            export.Messages.Select(m => (m.SenderName, m.Text, m.Kind)));
        Assert.All(export.Messages, m => Assert.Null(m.SenderId));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1781740900), export.Messages[1].SentAt);
        Assert.All(export.Messages, m => Assert.Equal(7, m.Line));

        // The cut of a message is its own object literal, byte for byte, though all share one line.
        var cut = ChatExcerpt.Of(file, export, export.Messages[1]);
        Assert.Equal(Records[1].TrimEnd(','), cut.Text);
        Assert.Equal(Encoding.UTF8.GetBytes(Records[1].TrimEnd(',')), cut.Bytes);
        Assert.Equal(cut.Bytes, file.AsSpan((int)cut.Offset, cut.Bytes.Length).ToArray());
    }

    [Fact]
    public void Version02Page_TimesFromTheTimeRecords_CarriedToTheMessagesAfterThem()
    {
        string[] records =
        [
            "{ type:0, text: '2023-12-01 20:15:09',is_send:0,avatar_path:''},",
            "{ type:1, text: '有明天的卷子吗',is_send:0,avatar_path:'tahead.png'},",
            "{ type:1, text: '没有',is_send:1,avatar_path:'myhead.png'},",
        ];

        var export = ChatExportReader.Read(Encoding.UTF8.GetBytes(Page(records, "Chat Records")));

        Assert.Null(export.Conversation);
        Assert.Equal([("?", "有明天的卷子吗"), ("我", "没有")], export.Messages.Select(m => (m.SenderName, m.Text)));
        Assert.All(export.Messages, m => Assert.Equal(new DateTimeOffset(2023, 12, 1, 12, 15, 9, TimeSpan.Zero), m.SentAt));
    }

    [Fact]
    public void ArrayCutShortOrAMessageWithoutTime_RefusedNamingTheLine()
    {
        var cut = Page(Records)[..Page(Records).IndexOf("];", StringComparison.Ordinal)];
        var error = Assert.Throws<ChatImportException>(() => ChatExportReader.Read(Encoding.UTF8.GetBytes(cut)));
        Assert.Contains("never ends", error.Message, StringComparison.Ordinal);

        var untimed = Page(["{ type:1, text: '有答案吗',is_send:0,avatar_path:''},"]);
        error = Assert.Throws<ChatImportException>(() => ChatExportReader.Read(Encoding.UTF8.GetBytes(untimed)));
        Assert.Equal((7, "line 7: a message with no timestamp and no time before it"), (error.Line, error.Message));
    }
}
