using System.Security.Cryptography;
using System.Text;

namespace ExamNetWatch.Crawler.Chat;

/// <summary>What a chat message is, as far as triage cares.</summary>
public enum ChatMessageKind
{
    /// <summary>Text written by a member.</summary>
    Text,

    /// <summary>A picture (a placeholder such as [图片] in exports that do not carry the file).</summary>
    Image,

    /// <summary>Anything else a member sent: voice, video, file, sticker, link card, red packet… (its placeholder or title as text).</summary>
    Other,
}

/// <summary>
/// One message of a group-chat export, as the export states it: who sent it (the id the chat shows, when the export
/// has one, and the name), when (an instant: exports that write local clock times are read as Beijing time), what
/// it says, and the line of the file it starts on.
/// </summary>
/// <param name="SenderId">The member's id in the chat (QQ number, QQ mail address, WeChat id), or null when the export only names them.</param>
/// <param name="SenderName">The name the chat showed (group card, remark or nickname).</param>
/// <param name="SentAt">When it was sent.</param>
/// <param name="Text">The message as written, or the export's placeholder for what is not text.</param>
/// <param name="Kind">Text, picture or other.</param>
/// <param name="Line">The 1-based line of the export file where the message starts.</param>
public sealed record ChatMessage(string? SenderId, string SenderName, DateTimeOffset SentAt, string Text, ChatMessageKind Kind, int Line)
{
    /// <summary>Gets how many earlier messages of the same export have the same sender, second and text (0 for most).</summary>
    public int Repeat { get; init; }

    /// <summary>Gets the 1-based last line of the file that belongs to the message (blank lines after it may be counted); 0 when the reader did not say.</summary>
    public int LastLine { get; init; }

    /// <summary>Gets where the message is in the export's text (line ends as \n), for exports that hold many messages on a line; null otherwise.</summary>
    public (int Start, int Length)? Span { get; init; }

    /// <summary>
    /// Gets the message's identity within <paramref name="group"/>: the same message in two overlapping exports of the
    /// group gets the same identity, two identical messages in one second stay two (<see cref="Repeat"/>).
    /// </summary>
    public string Identity(string group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var key = string.Join('\u001f', group, SenderId ?? "name:" + SenderName, SentAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), Text, Repeat.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];
    }
}

/// <summary>An export read whole: which format it was, the conversation it names, its messages and what was left out.</summary>
/// <param name="Format">The export format (<see cref="ChatExportFormats"/>).</param>
/// <param name="Encoding">The text encoding the file was read in.</param>
/// <param name="Conversation">The group (or chat) the export names, when it names one.</param>
/// <param name="Messages">The members' messages, in file order.</param>
/// <param name="Skipped">How many entries were left out: system notices (joins, recalls, invitations) and empty messages.</param>
public sealed record ChatExport(string Format, string Encoding, string? Conversation, IReadOnlyList<ChatMessage> Messages, int Skipped);

/// <summary>The export formats read.</summary>
public static class ChatExportFormats
{
    /// <summary>QQ / TIM message manager, text export (消息记录（此消息记录为文本格式，不支持重新导入）).</summary>
    public const string QqText = "qq-txt";

    /// <summary>WeChatMsg (留痕 1.x) HTML export: the messages as the page's <c>const chatMessages = [...]</c> array.</summary>
    public const string WeChatMsgHtml = "wechatmsg-html";

    /// <summary>QQ / TIM message manager, .mht export (From: &lt;Save by Tencent MsgMgr&gt;): an HTML table with pictures as MIME parts.</summary>
    public const string QqMht = "qq-mht";

    /// <summary>WeChatMsg (留痕) 1.x CSV: localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender.</summary>
    public const string WeChatMsgCsv = "wechatmsg-csv";

    /// <summary>留痕 (MemoTrace) 2.x CSV: 消息ID,类型,发送人,时间,内容,备注,昵称,更多信息.</summary>
    public const string MemoTraceCsv = "memotrace-csv";

    /// <summary>PyWxDump CSV: id,MsgSvrID,type_name,is_sender,talker,room_name,msg,src,CreateTime (or content for msg,src).</summary>
    public const string PyWxDumpCsv = "pywxdump-csv";

    /// <summary>ExamNetWatch's own JSON Lines: one {"time","sender","sender_id"?,"text","type"?} object per line.</summary>
    public const string JsonLines = "jsonl";
}

/// <summary>An export refused: what is wrong and on which line. Nothing of the file is imported.</summary>
public sealed class ChatImportException : FormatException
{
    public ChatImportException(int line, string problem)
        : base(line > 0 ? FormattableString.Invariant($"line {line}: {problem}") : problem)
    {
        Line = line;
        Problem = problem;
    }

    public ChatImportException()
        : this(0, "the export cannot be read")
    {
    }

    public ChatImportException(string message)
        : this(0, message)
    {
    }

    public ChatImportException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problem = message;
    }

    /// <summary>Gets the 1-based line the problem is on (0: the file as a whole).</summary>
    public int Line { get; }

    /// <summary>Gets what is wrong, without the line.</summary>
    public string Problem { get; } = string.Empty;
}
