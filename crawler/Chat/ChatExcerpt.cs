using System.Security.Cryptography;

namespace ExamNetWatch.Crawler.Chat;

/// <summary>
/// The exact cut of an export file that holds one message: its lines, from the message's first line up to the line
/// before the next message (blank lines at its end left out), as the file's own bytes — so a reader can check the
/// cut against the kept file byte for byte — and as text.
/// </summary>
/// <param name="FirstLine">The 1-based first line of the cut.</param>
/// <param name="LastLine">The 1-based last line of the cut.</param>
/// <param name="Offset">Where the cut starts in the file, in bytes.</param>
/// <param name="Bytes">The cut, byte for byte as in the file (without the last line's end).</param>
/// <param name="Text">The cut decoded in the file's encoding.</param>
public sealed record ChatExcerpt(int FirstLine, int LastLine, long Offset, byte[] Bytes, string Text)
{
    /// <summary>Gets the SHA-256 of <see cref="Bytes"/>.</summary>
    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Bytes));

    /// <summary>Cuts <paramref name="message"/> of <paramref name="export"/> (read from <paramref name="file"/>) out of the file.</summary>
    /// <exception cref="ArgumentException">The message is not one of the export's.</exception>
    public static ChatExcerpt Of(ReadOnlySpan<byte> file, ChatExport export, ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(export);
        ArgumentNullException.ThrowIfNull(message);
        var index = -1;
        for (var i = 0; i < export.Messages.Count && index < 0; i++)
        {
            index = export.Messages[i] == message ? i : -1;
        }

        if (index < 0)
        {
            throw new ArgumentException("the message is not one of the export's", nameof(message));
        }

        var unit = export.Encoding is "utf-16" or "utf-16BE" or "unicodeFFFE" ? 2 : 1;
        var bigEndian = export.Encoding is "utf-16BE" or "unicodeFFFE";
        var starts = LineStarts(file, unit, bigEndian);
        var first = message.Line;
        var last = message.LastLine > 0 ? message.LastLine
            : index + 1 < export.Messages.Count ? export.Messages[index + 1].Line - 1
            : starts.Count;
        last = Math.Clamp(last, first, starts.Count);
        var encoding = System.Text.Encoding.GetEncoding(export.Encoding);
        while (last > first && IsBlank(file, starts, last, unit, bigEndian, encoding))
        {
            last--;
        }

        if (message.Span is { } span)
        {
            return Spanned(file, encoding, first, last, span);
        }

        var start = starts[first - 1];
        var end = EndOfLine(file, starts, last, unit, bigEndian);
        var bytes = file[start..end].ToArray();
        var text = encoding.GetString(bytes).TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        return new ChatExcerpt(first, last, start, bytes, text);
    }

    /// <summary>
    /// The cut of a message that shares its line with others (a record of a page's script): its characters, found in the
    /// file's own text (where a line end may be \r\n, counted as one character by the reader), as the file's bytes.
    /// </summary>
    private static ChatExcerpt Spanned(ReadOnlySpan<byte> file, System.Text.Encoding encoding, int first, int last, (int Start, int Length) span)
    {
        var preamble = encoding.GetPreamble();
        var skip = preamble.Length > 0 && file.StartsWith(preamble) ? preamble.Length : 0;
        var raw = encoding.GetString(file[skip..]);
        int Raw(int normalised)
        {
            var count = 0;
            for (var i = 0; i < raw.Length; i++)
            {
                if (count == normalised)
                {
                    return i;
                }

                count += raw[i] == '\r' && i + 1 < raw.Length && raw[i + 1] == '\n' ? 0 : 1;
            }

            return raw.Length;
        }

        // The reader's text lost a leading byte-order mark of its own (U+FEFF): it is skipped the same way here.
        var lead = raw.Length > 0 && raw[0] == '\uFEFF' ? 1 : 0;
        var from = Raw(span.Start + lead);
        var to = Raw(span.Start + lead + span.Length);
        var offset = skip + encoding.GetByteCount(raw.AsSpan(0, from));
        var bytes = file.Slice(offset, encoding.GetByteCount(raw.AsSpan(from, to - from))).ToArray();
        return new ChatExcerpt(first, last, offset, bytes, raw[from..to].Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    /// <summary>The byte offset of each line's start; a line ends at \n, \r\n or a lone \r, as the readers count lines.</summary>
    private static List<int> LineStarts(ReadOnlySpan<byte> file, int unit, bool bigEndian)
    {
        var starts = new List<int> { 0 };
        for (var at = 0; at + unit <= file.Length; at += unit)
        {
            var c = Unit(file, at, unit, bigEndian);
            if (c == '\n' || (c == '\r' && !(at + (2 * unit) <= file.Length && Unit(file, at + unit, unit, bigEndian) == '\n')))
            {
                starts.Add(at + unit);
            }
        }

        return starts;
    }

    /// <summary>Where line <paramref name="line"/> (1-based) ends, before its line break.</summary>
    private static int EndOfLine(ReadOnlySpan<byte> file, List<int> starts, int line, int unit, bool bigEndian)
    {
        var end = line < starts.Count ? starts[line] : file.Length;
        while (end - unit >= starts[line - 1] && Unit(file, end - unit, unit, bigEndian) is '\n' or '\r')
        {
            end -= unit;
        }

        return end;
    }

    private static bool IsBlank(ReadOnlySpan<byte> file, List<int> starts, int line, int unit, bool bigEndian, System.Text.Encoding encoding)
    {
        var start = starts[line - 1];
        var end = EndOfLine(file, starts, line, unit, bigEndian);
        return string.IsNullOrWhiteSpace(encoding.GetString(file[start..Math.Max(start, end)]));
    }

    private static int Unit(ReadOnlySpan<byte> file, int at, int unit, bool bigEndian) =>
        unit == 1 ? file[at] : bigEndian ? (file[at] << 8) | file[at + 1] : file[at] | (file[at + 1] << 8);
}
