using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace ExamNetWatch.Crawler.Chat;

/// <summary>
/// The QQ / TIM message manager's .mht export: a MIME multipart written by "Save by Tencent MsgMgr" — an HTML part
/// holding one table (rows for 消息记录, 消息分组, 消息对象, then 日期 rows and one row per message: the sender's label
/// <c>昵称(QQ号)</c> or <c>昵称&lt;mail&gt;</c> and the time of day in a coloured header, the body below it, pictures as
/// <c>&lt;IMG src="{GUID}.dat"&gt;</c>) and one base64 part per picture named by its Content-Location. Its headers are
/// loose (no space after colons, parameters without separators), so the boundary is found by pattern, and the HTML,
/// declared 7bit, holds raw UTF-8 (or GB18030). Times are the exporting computer's clock, read as Beijing time.
/// </summary>
public static partial class QqMhtExport
{
    /// <summary>Returns whether <paramref name="text"/> is a message manager .mht export.</summary>
    public static bool Recognises(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var head = text.AsSpan(0, Math.Min(text.Length, 2048));
        return head.Contains("Save by Tencent MsgMgr", StringComparison.Ordinal) && head.Contains("multipart/related", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Reads the export: one conversation, its members' messages, pictures as [图片].</summary>
    /// <exception cref="ChatImportException">Not one conversation of this format, or a row that cannot be read (its line named).</exception>
    public static ChatExport Read(string text, string encoding)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        var head = text[..Math.Min(text.Length, 2048)];
        var boundary = Boundary().Match(head) is { Success: true } b ? b.Groups[1].Value
            : throw new ChatImportException(0, "the MIME boundary is missing from the .mht header: the file is damaged or not a message manager export");
        var parts = Parts(lines, "--" + boundary);
        var html = parts.FirstOrDefault(p => p.Header("Content-Type")?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true)
            ?? throw new ChatImportException(0, "the .mht holds no HTML part: not a message manager export");
        var pictures = parts.Select(p => p.Header("Content-Location")).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        var (markup, mapsLines) = Body(html, lines);
        var document = new HtmlParser(new HtmlParserOptions { IsKeepingSourceReferences = true }).ParseDocument(markup.Replace("&get;", "&gt;", StringComparison.Ordinal));

        string? conversation = null;
        DateOnly? day = null;
        var skipped = 0;
        var rows = document.QuerySelectorAll("tr").Where(r => r.ParentElement?.Closest("tr") is null).ToList();
        var read = new List<ChatMessage>();
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var line = LineOf(row, html, mapsLines);
            var last = !mapsLines || r + 1 == rows.Count ? html.LastLine : Math.Max(line, LineOf(rows[r + 1], html, mapsLines) - 1);
            if (Message(row) is { } message)
            {
                if (day is null)
                {
                    throw new ChatImportException(line, "a message before any 日期 row: the date of its time is unknown");
                }

                var (id, name) = QqTextExport.Sender(Clean(message.Sender.TextContent));
                var time = Clean(message.Header.TextContent)[Clean(message.Sender.TextContent).Length..].Trim();
                var at = Time(day.Value, time, line);
                if (id is not null && QqTextExport.SystemIds.Contains(id))
                {
                    skipped++;
                    continue;
                }

                var body = message.Body is null ? string.Empty : Text(message.Body, pictures).Trim('\n', ' ');
                if (body.Length == 0)
                {
                    skipped++;
                    continue;
                }

                var kind = PicturesOnly().IsMatch(body) ? ChatMessageKind.Image : ChatMessageKind.Text;
                read.Add(new ChatMessage(id, name, at, body, kind, line) { LastLine = last });
                continue;
            }

            var cell = Clean(row.TextContent);
            if (cell.StartsWith("日期", StringComparison.Ordinal) && cell.Length > 2 && cell[2] is ':' or '：')
            {
                day = Day(cell[3..].Trim(), line);
            }
            else if (cell.StartsWith("消息对象", StringComparison.Ordinal) && cell.Length > 4 && cell[4] is ':' or '：')
            {
                var named = cell[5..].Trim();
                if (conversation is not null && conversation != named)
                {
                    throw new ChatImportException(line, $"a second conversation ('{named}' after '{conversation}'): export one group at a time");
                }

                conversation = named;
            }
            else if (!(cell.Length == 0 || cell == "消息记录" || cell.StartsWith("消息分组", StringComparison.Ordinal)))
            {
                throw new ChatImportException(line, $"a row that is neither a date, a heading nor a message ('{(cell.Length <= 40 ? cell : cell[..40] + "…")}')");
            }
        }

        if (conversation is null && read.Count == 0)
        {
            throw new ChatImportException(0, "no conversation and no message in the .mht: not a message manager export");
        }

        return new ChatExport(ChatExportFormats.QqMht, encoding, conversation, ChatRepeats.Number(read), skipped);
    }

    /// <summary>A message row: a header (colour, sender label floated left, then the time of day) and the body.</summary>
    private static (IElement Header, IElement Sender, IElement? Body)? Message(IElement row)
    {
        var cell = row.QuerySelector("td");
        var header = cell?.Children.FirstOrDefault(c => c.LocalName == "div" && Style(c).Contains("color:", StringComparison.Ordinal));
        var sender = header?.Children.FirstOrDefault(c => c.LocalName == "div" && Style(c).Contains("float:left", StringComparison.Ordinal));
        return header is null || sender is null ? null : (header, sender, header.NextElementSibling);
    }

    private static string Style(IElement element) => (element.GetAttribute("style") ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant();

    /// <summary>The body as text: line breaks kept, pictures as [图片], fonts and emphasis dropped.</summary>
    private static string Text(INode node, HashSet<string> pictures)
    {
        var text = new StringBuilder();
        Walk(node);
        return text.ToString();

        void Walk(INode at)
        {
            foreach (var child in at.ChildNodes)
            {
                switch (child)
                {
                    case IText t:
                        text.Append(t.Data.Replace('\u00A0', ' '));
                        break;
                    case IElement { LocalName: "br" }:
                        text.Append('\n');
                        break;
                    case IElement { LocalName: "img" } img:
                        var src = img.GetAttribute("src") ?? string.Empty;
                        // A picture whose file was missing when the message manager exported is referenced with no part.
                        text.Append(pictures.Contains(src) ? "[图片]" : "[图片（未随导出保存）]");
                        break;
                    case IElement element:
                        Walk(element);
                        break;
                }
            }
        }
    }

    private static string Clean(string text) => text.Replace('\u00A0', ' ').Trim();

    private static DateOnly Day(string text, int line)
    {
        string[] formats = ["yyyy-MM-dd", "yyyy-M-d", "yyyy/M/d", "yyyy/MM/dd", "M/d/yyyy"];
        return DateOnly.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new ChatImportException(line, $"'{text}' is not a date");
    }

    private static DateTimeOffset Time(DateOnly day, string text, int line)
    {
        string[] formats = ["H:mm:ss", "HH:mm:ss", "h:mm:ss tt", "hh:mm:ss tt"];
        return TimeOnly.TryParseExact(text.Replace("  ", " ", StringComparison.Ordinal), formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? ChatClock.Beijing(day.ToDateTime(time))
            : throw new ChatImportException(line, $"'{text}' is not a time of day");
    }

    /// <summary>The line of the file a row starts on (for an encoded HTML part, the part's first line).</summary>
    private static int LineOf(IElement row, Part html, bool mapsLines) =>
        mapsLines && row.SourceReference is { } source ? html.FirstLine + source.Position.Line - 1 : html.FirstLine;

    /// <summary>The HTML of the part; whether its lines are the file's (not base64 or quoted-printable).</summary>
    private static (string Markup, bool MapsLines) Body(Part part, string[] lines)
    {
        var raw = string.Join('\n', lines[(part.FirstLine - 1)..part.LastLine]);
        var transfer = part.Header("Content-Transfer-Encoding")?.Trim().ToLowerInvariant() ?? "7bit";
        if (transfer is not ("base64" or "quoted-printable"))
        {
            return (raw, true);
        }

        try
        {
            var bytes = transfer == "base64" ? Convert.FromBase64String(string.Concat(raw.Where(c => !char.IsWhiteSpace(c)))) : QuotedPrintable(raw);
            return (ChatText.Decode(bytes).Text, false);
        }
        catch (FormatException)
        {
            throw new ChatImportException(part.FirstLine, "the HTML part's " + transfer + " cannot be decoded");
        }
    }

    private static byte[] QuotedPrintable(string text)
    {
        var bytes = new List<byte>(text.Length);
        var source = text.Replace("=\n", string.Empty, StringComparison.Ordinal);
        for (var i = 0; i < source.Length; i++)
        {
            if (source[i] == '=' && i + 2 < source.Length && byte.TryParse(source.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
            {
                bytes.Add(value);
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(source[i].ToString()));
            }
        }

        return [.. bytes];
    }

    /// <summary>The MIME parts between boundary lines: headers (folded lines joined) and the 1-based lines of the body.</summary>
    private static List<Part> Parts(string[] lines, string delimiter)
    {
        var parts = new List<Part>();
        var starts = new List<int>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimEnd().StartsWith(delimiter, StringComparison.Ordinal))
            {
                starts.Add(i);
            }
        }

        for (var s = 0; s < starts.Count; s++)
        {
            var end = s + 1 < starts.Count ? starts[s + 1] : lines.Length;
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var at = starts[s] + 1;
            string? name = null;
            for (; at < end && lines[at].TrimEnd().Length > 0; at++)
            {
                var line = lines[at];
                if (char.IsWhiteSpace(line[0]) && name is not null)
                {
                    headers[name] += " " + line.Trim();
                }
                else if (line.IndexOf(':', StringComparison.Ordinal) is var colon and > 0)
                {
                    name = line[..colon].Trim();
                    headers[name] = line[(colon + 1)..].Trim();
                }
            }

            if (at < end)
            {
                parts.Add(new Part(headers, at + 2, Math.Max(at + 2, end)));
            }
        }

        return parts;
    }

    /// <summary>A MIME part: its headers and the 1-based first and last lines of its body.</summary>
    private sealed record Part(Dictionary<string, string> Headers, int FirstLine, int LastLine)
    {
        public string? Header(string name) => Headers.GetValueOrDefault(name);
    }

    [GeneratedRegex(@"^(?:\[图片(?:（未随导出保存）)?\]\s*)+$")]
    private static partial Regex PicturesOnly();

    [GeneratedRegex(@"boundary\s*=\s*""([^""]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex Boundary();
}
