using System.Globalization;
using System.Text.Json;

namespace ExamNetWatch.Crawler.Chat;

/// <summary>
/// The CSV exports of the WeChat tools in common use, told apart by their header row: WeChatMsg (留痕) 1.x, 留痕
/// (MemoTrace) 2.x and PyWxDump (3.x, and 2.x with its JSON <c>content</c> column). System notices are left out.
/// </summary>
public static class WeChatCsvExport
{
    private static readonly string[] WeChatMsgHeader = ["localId", "TalkerId", "Type", "SubType", "IsSender", "CreateTime", "Status", "StrContent", "StrTime", "Remark", "NickName", "Sender"];
    private static readonly string[] MemoTraceHeader = ["消息ID", "类型", "发送人", "时间", "内容", "备注", "昵称", "更多信息"];
    private static readonly string[] PyWxDumpHeader = ["id", "MsgSvrID", "type_name", "is_sender", "talker", "room_name", "msg", "src", "CreateTime"];
    private static readonly string[] PyWxDumpOldHeader = ["id", "MsgSvrID", "type_name", "is_sender", "talker", "room_name", "content", "CreateTime"];

    /// <summary>Returns the format whose header <paramref name="text"/> starts with, or null.</summary>
    public static string? Recognise(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = text.AsSpan(0, Math.Max(0, text.IndexOf('\n') is var end and >= 0 ? end : text.Length)).ToString().Trim();
        return first.Split(',') switch
        {
            var h when h.SequenceEqual(WeChatMsgHeader) => ChatExportFormats.WeChatMsgCsv,
            var h when h.SequenceEqual(MemoTraceHeader) => ChatExportFormats.MemoTraceCsv,
            var h when h.SequenceEqual(PyWxDumpHeader) || h.SequenceEqual(PyWxDumpOldHeader) => ChatExportFormats.PyWxDumpCsv,
            _ => null,
        };
    }

    /// <summary>Reads the export in the format its header names.</summary>
    /// <exception cref="ChatImportException">A row does not fit the header, or a field cannot be read; the line is named.</exception>
    public static ChatExport Read(string text, string encoding)
    {
        var format = Recognise(text) ?? throw new ChatImportException(1, "the header row is not one of WeChatMsg, 留痕 or PyWxDump");
        var records = ChatCsv.Records(text).ToList();
        var header = records[0].Fields.ToList();
        var messages = new List<ChatMessage>();
        string? conversation = null;
        var skipped = 0;
        var lastLine = text.Split('\n').Length;
        for (var r = 1; r < records.Count; r++)
        {
            var (line, fields) = records[r];
            var last = r + 1 < records.Count ? records[r + 1].Line - 1 : lastLine;
            // WeChatMsg 1.x wrote 9 fields for private chats under its 12-name header; its "export all" file writes 13
            // misaligned ones, which cannot be read safely.
            var allowed = format == ChatExportFormats.WeChatMsgCsv ? fields.Count is 9 or 12 : fields.Count == header.Count;
            if (!allowed)
            {
                throw new ChatImportException(line, FormattableString.Invariant($"{fields.Count} fields where the header has {header.Count}") + (format == ChatExportFormats.WeChatMsgCsv && fields.Count == 13 ? " (an 'export all' file: export the group on its own)" : string.Empty));
            }

            string Field(string name) => header.IndexOf(name) is var at and >= 0 && at < fields.Count ? fields[at] : string.Empty;
            var message = format switch
            {
                ChatExportFormats.WeChatMsgCsv => WeChatMsg(Field, line),
                ChatExportFormats.MemoTraceCsv => MemoTrace(Field, line),
                _ => PyWxDump(Field, line, ref conversation),
            };
            if (message is null)
            {
                skipped++;
            }
            else
            {
                messages.Add(message with { LastLine = last });
            }
        }

        return new ChatExport(format, encoding, conversation, ChatRepeats.Number(messages), skipped);
    }

    private static ChatMessage? WeChatMsg(Func<string, string> field, int line)
    {
        var type = Int(field("Type"), "Type", line);
        if (type is 10000 or 10002)
        {
            return null;
        }

        var seconds = Long(field("CreateTime"), "CreateTime", line);
        var at = DateTimeOffset.FromUnixTimeSeconds(seconds).ToOffset(ChatClock.Offset);
        var sent = field("IsSender") == "1";
        var id = field("Sender") is { Length: > 0 } wxid ? wxid : null;
        var name = FirstOf(field("Remark"), field("NickName"), id) ?? (sent ? "我" : "对方");
        var (text, kind) = type switch
        {
            1 => (field("StrContent"), ChatMessageKind.Text),
            3 => ("[图片]", ChatMessageKind.Image),
            34 => ("[语音]", ChatMessageKind.Other),
            43 => ("[视频]", ChatMessageKind.Other),
            47 => ("[表情]", ChatMessageKind.Other),
            49 => (field("StrContent") is { Length: > 0 } content && !content.StartsWith('<') ? content : "[文件或链接]", ChatMessageKind.Other),
            _ => ("[消息]", ChatMessageKind.Other),
        };
        return Message(id, name, at, text, kind, line);
    }

    private static ChatMessage? MemoTrace(Func<string, string> field, int line)
    {
        var type = field("类型");
        if (type is "系统消息" or "拍一拍")
        {
            return null;
        }

        var kind = type switch
        {
            "文本" or "引用消息" => ChatMessageKind.Text,
            "图片" => ChatMessageKind.Image,
            _ => ChatMessageKind.Other,
        };
        return Message(null, FirstOf(field("发送人"), field("备注"), field("昵称")) ?? "?", LocalTime(field("时间"), "时间", line), field("内容"), kind, line);
    }

    private static ChatMessage? PyWxDump(Func<string, string> field, int line, ref string? conversation)
    {
        var type = field("type_name");
        var talker = field("talker");
        if (talker == "系统" || type.Contains("系统", StringComparison.Ordinal) || type is "撤回消息" or "拍一拍")
        {
            return null;
        }

        conversation ??= field("room_name") is { Length: > 0 } room ? room : null;
        var text = field("msg");
        if (text.Length == 0 && field("content") is { Length: > 0 } content)
        {
            // PyWxDump 2.x: {"src": "...", "msg": "..."}.
            try
            {
                using var json = JsonDocument.Parse(content);
                text = json.RootElement.TryGetProperty("msg", out var msg) ? msg.ToString() : string.Empty;
            }
            catch (JsonException)
            {
                throw new ChatImportException(line, "the content field is not the JSON PyWxDump writes");
            }
        }

        var kind = type switch
        {
            "文本" or "引用回复" => ChatMessageKind.Text,
            "图片" => ChatMessageKind.Image,
            _ => ChatMessageKind.Other,
        };
        var id = talker is "" or "我" or "未知" ? null : talker;
        return Message(id, talker is "" ? "?" : talker, LocalTime(field("CreateTime"), "CreateTime", line), kind == ChatMessageKind.Image ? "[图片]" : text, kind, line);
    }

    private static ChatMessage? Message(string? id, string name, DateTimeOffset at, string text, ChatMessageKind kind, int line) =>
        text.Trim().Length == 0 ? null : new ChatMessage(id, name.Trim(), at, text.Trim(), kind, line);

    private static string? FirstOf(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();

    private static int Int(string value, string name, int line) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : throw new ChatImportException(line, $"{name} '{value}' is not a number");

    private static long Long(string value, string name, int line) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is > 0 and < 32503680000 ? number : throw new ChatImportException(line, $"{name} '{value}' is not a Unix time");

    private static DateTimeOffset LocalTime(string value, string name, int line) =>
        DateTime.TryParseExact(value.Trim(), ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd H:mm:ss", "yyyy/M/d H:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? ChatClock.Beijing(local)
            : throw new ChatImportException(line, $"{name} '{value}' is not a date and time");
}
