using System.Text;

namespace ExamNetWatch.Dashboard.Cli;

/// <summary>
/// Crawled text made safe to print on a terminal: control characters (C0, DEL, C1 — among them ESC, which starts the
/// escape sequences that recolour, move the cursor, retitle the window or write to the clipboard), line and paragraph
/// separators and bidirectional overrides are shown as <c>\xNN</c>/<c>\uNNNN</c>; line breaks and tabs become spaces
/// so a field stays on its line.
/// </summary>
public static class TerminalText
{
    /// <summary>Returns <paramref name="text"/> with nothing a terminal would act on.</summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        var first = text.AsSpan().IndexOfAny(Unsafe);
        if (first < 0)
        {
            return text;
        }

        var clean = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\n' or '\r' or '\t')
            {
                clean.Append(' ');
            }
            else if (!Unsafe.Contains(c))
            {
                clean.Append(c);
            }
            else if (c <= '\u00FF')
            {
                clean.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
            else
            {
                clean.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
        }

        return clean.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> Unsafe = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(c => (char)c), '\u007F', .. Enumerable.Range(0x80, 0x20).Select(c => (char)c),
         '\u2028', '\u2029', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u061C', '\u200E', '\u200F']);
}
