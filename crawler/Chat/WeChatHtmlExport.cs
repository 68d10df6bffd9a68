using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace ExamNetWatch.Crawler.Chat;

/// <summary>
/// WeChatMsg's (留痕 1.x) HTML export: one page per chat whose messages are a JavaScript array,
/// <c>const chatMessages = [ { type:1, text: '…', is_send:0, timestamp:…, is_chatroom:1, displayname:'…' }, … ];</c>
/// — object literals with unquoted keys and single-quoted strings, text HTML-escaped and then JS-escaped, WeChat's
/// emoji codes turned into <c>&lt;img id="微笑" class="emoji_img"&gt;</c>. The page's own bubbles are the template's
/// demo and are not read. Some fields (link-card titles, file names) are written unescaped, so a quote closes a string
/// only where a key or the end of the object follows it. The 0.2 exports have no timestamp: their times are records of
/// type 0 holding the local clock time, carried forward to the messages after them (read as Beijing time).
/// </summary>
public static partial class WeChatHtmlExport
{
    private const string Start = "const chatMessages = [";

    /// <summary>Returns whether <paramref name="text"/> is a WeChatMsg HTML export.</summary>
    public static bool Recognises(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains(Start, StringComparison.Ordinal) && text.Contains("<html", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Reads the export's messages.</summary>
    /// <exception cref="ChatImportException">The array cannot be read (the line is named), or the page says the export failed.</exception>
    public static ChatExport Read(string text, string encoding)
    {
        ArgumentNullException.ThrowIfNull(text);
        var title = Title().Match(text) is { Success: true } t ? WebUtility.HtmlDecode(t.Groups[1].Value).Trim() : null;
        // The template's own titles name no chat: "出错了" (the export failed) and 0.2's "Chat Records".
        var conversation = title is null or "出错了" or "Chat Records" ? null : title;
        var at = text.IndexOf(Start, StringComparison.Ordinal) + Start.Length;
        var reader = new Literal(text, at);
        var read = new List<ChatMessage>();
        var skipped = 0;
        DateTimeOffset? clock = null;
        while (reader.NextRecord() is { } record)
        {
            var (fields, start, end) = record;
            var line = reader.LineAt(start);
            var type = Number(fields, "type", line);
            var body = Clean(fields.GetValueOrDefault("text") ?? string.Empty);
            if (type == 0)
            {
                // 0.2 exports mark the time with a record of its own; any other type 0 is a system notice.
                if (ClockTime().IsMatch(body))
                {
                    clock = ChatClock.Beijing(DateTime.ParseExact(body, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
                }
                else
                {
                    skipped++;
                }

                continue;
            }

            var sent = fields.TryGetValue("timestamp", out var stamp) && long.TryParse(stamp, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : clock ?? throw new ChatImportException(line, "a message with no timestamp and no time before it");
            var self = fields.GetValueOrDefault("is_send") == "1";
            var name = Clean(fields.GetValueOrDefault("displayname") ?? string.Empty);
            if (name.Length == 0)
            {
                // Private chats of 0.2 name neither side: the exporting member is 我, the other the chat.
                name = self ? "我" : conversation ?? "?";
            }

            var (content, kind) = Content(type, fields, body);
            if (content.Length == 0)
            {
                skipped++;
                continue;
            }

            read.Add(new ChatMessage(null, name, sent, content, kind, line) { LastLine = reader.LineAt(end), Span = (start, end - start) });
        }

        if (read.Count == 0 && title is "出错了")
        {
            throw new ChatImportException(0, "the page still has the template's title 出错了 and no message: WeChatMsg's export failed");
        }

        return new ChatExport(ChatExportFormats.WeChatMsgHtml, encoding, conversation, ChatRepeats.Number(read), skipped);
    }

    /// <summary>A message as triage reads it: text as written, anything else its placeholder with what words it carries.</summary>
    private static (string Text, ChatMessageKind Kind) Content(long type, Dictionary<string, string> fields, string body)
    {
        string Field(string name) => fields.GetValueOrDefault(name) is { } value && value != "None" ? Clean(value) : string.Empty;
        return type switch
        {
            1 => (body, ChatMessageKind.Text),
            3 => ("[图片]", ChatMessageKind.Image),
            34 => (Join("[语音]", Field("voice_to_text")), ChatMessageKind.Other),
            43 => ("[视频]", ChatMessageKind.Other),
            47 => ("[表情]", ChatMessageKind.Other),
            50 => (Join("[通话]", body), ChatMessageKind.Other),
            49 => Field("sub_type") switch
            {
                "57" => (body, ChatMessageKind.Text),
                "6" => (Join("[文件]", Field("file_name")), ChatMessageKind.Other),
                "5" => (Join("[链接]", Field("title"), Field("description"), Field("url")), ChatMessageKind.Other),
                "3" => (Join("[音乐]", Field("title"), Field("artist")), ChatMessageKind.Other),
                "2000" => (Join("[转账]", Field("feedesc"), Field("pay_memo"), body), ChatMessageKind.Other),
                _ => (Join("[消息]", body), ChatMessageKind.Other),
            },
            _ => (Join("[消息]", body), ChatMessageKind.Other),
        };
    }

    private static string Join(params string[] parts) => string.Join(' ', parts.Where(p => p.Length > 0));

    /// <summary>HTML entities decoded and emoji pictures back to their codes ([微笑]); other markup removed.</summary>
    private static string Clean(string value)
    {
        var text = Emoji().Replace(value, m => "[" + string.Concat(m.Groups[1].Value.Where(c => !char.IsWhiteSpace(c))) + "]");
        text = Tag().Replace(text, string.Empty);
        return WebUtility.HtmlDecode(text).Trim();
    }

    private static long Number(Dictionary<string, string> fields, string name, int line) =>
        fields.TryGetValue(name, out var value) && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ChatImportException(line, $"a message without a numeric '{name}'");

    /// <summary>
    /// Reads the object literals of the array one by one: keys bare or quoted, values numbers, words or strings in
    /// single or double quotes with JS escapes; a quote that is not followed by a key or the object's end is text.
    /// </summary>
    private sealed class Literal(string text, int position)
    {
        private readonly List<int> _lineStarts = LineStarts(text);
        private int _at = position;

        public int LineAt(int offset)
        {
            var index = _lineStarts.BinarySearch(offset);
            return (index >= 0 ? index : ~index - 1) + 1;
        }

        /// <summary>The next record's fields and its [start, end) in the text; null at the array's end.</summary>
        public (Dictionary<string, string> Fields, int Start, int End)? NextRecord()
        {
            SkipSpaceAnd(',');
            if (_at >= text.Length || text[_at] == ']')
            {
                return _at < text.Length ? null : throw new ChatImportException(LineAt(text.Length - 1), "the message array never ends (no ']'): the file is cut short");
            }

            if (text[_at] != '{')
            {
                throw new ChatImportException(LineAt(_at), $"'{Near()}' where a message '{{' was expected");
            }

            var start = _at++;
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            while (true)
            {
                SkipSpaceAnd(',');
                if (_at >= text.Length)
                {
                    throw new ChatImportException(LineAt(start), "a message that never ends: the file is cut short");
                }

                if (text[_at] == '}')
                {
                    _at++;
                    return (fields, start, _at);
                }

                var key = Key();
                SkipSpace();
                if (_at >= text.Length || text[_at] != ':')
                {
                    throw new ChatImportException(LineAt(_at), $"'{Near()}' where ':' after '{key}' was expected");
                }

                _at++;
                SkipSpace();
                fields[key] = Value();
            }
        }

        private string Key()
        {
            if (_at < text.Length && text[_at] is '\'' or '"')
            {
                return Value();
            }

            var from = _at;
            while (_at < text.Length && (char.IsAsciiLetterOrDigit(text[_at]) || text[_at] == '_'))
            {
                _at++;
            }

            return from < _at ? text[from.._at] : throw new ChatImportException(LineAt(_at), $"'{Near()}' where a field name was expected");
        }

        private string Value()
        {
            if (_at < text.Length && text[_at] is '\'' or '"')
            {
                return Quoted(text[_at++]);
            }

            var from = _at;
            while (_at < text.Length && text[_at] is not (',' or '}') && !char.IsWhiteSpace(text[_at]))
            {
                _at++;
            }

            return from < _at ? text[from.._at] : throw new ChatImportException(LineAt(_at), $"'{Near()}' where a value was expected");
        }

        private string Quoted(char quote)
        {
            var value = new StringBuilder();
            var from = _at;
            while (_at < text.Length)
            {
                var c = text[_at++];
                if (c == '\\' && _at < text.Length)
                {
                    var e = text[_at++];
                    value.Append(e switch
                    {
                        'n' => '\n',
                        'r' => '\r',
                        't' => '\t',
                        'u' when _at + 4 <= text.Length && int.TryParse(text.AsSpan(_at, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code) => Unicode(code),
                        _ => e,
                    });
                    continue;
                }

                if (c == quote && Closes())
                {
                    return value.ToString();
                }

                value.Append(c);
            }

            throw new ChatImportException(LineAt(from), "a string that never ends: the file is cut short");
        }

        private char Unicode(int code)
        {
            _at += 4;
            return (char)code;
        }

        /// <summary>Whether a quote just read closes its string: what follows is a next key, or the end of the object.</summary>
        private bool Closes()
        {
            var next = _at;
            while (next < text.Length && text[next] is ' ' or '\t' or '\r' or '\n')
            {
                next++;
            }

            return next >= text.Length || text[next] == '}' || (text[next] == ',' && NextKey().IsMatch(text.AsSpan(next + 1, Math.Min(64, text.Length - next - 1))));
        }

        private void SkipSpace()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at]))
            {
                _at++;
            }
        }

        private void SkipSpaceAnd(char separator)
        {
            while (_at < text.Length && (char.IsWhiteSpace(text[_at]) || text[_at] == separator))
            {
                _at++;
            }
        }

        private string Near() => text.Substring(_at, Math.Min(20, text.Length - _at));

        private static List<int> LineStarts(string text)
        {
            var starts = new List<int> { 0 };
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n')
                {
                    starts.Add(i + 1);
                }
            }

            return starts;
        }
    }

    [GeneratedRegex(@"<title>([^<]*)</title>", RegexOptions.IgnoreCase)]
    private static partial Regex Title();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")]
    private static partial Regex ClockTime();

    [GeneratedRegex(@"<img\b[^>]*\bid=""([^""]*)""[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Emoji();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"^\s*(?:[A-Za-z_][A-Za-z0-9_]*|'[A-Za-z_]+'|""[A-Za-z_]+"")\s*:")]
    private static partial Regex NextKey();
}
