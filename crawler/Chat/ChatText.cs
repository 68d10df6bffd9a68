using System.Text;

namespace ExamNetWatch.Crawler.Chat;

/// <summary>
/// The text of an export file: a byte-order mark says UTF-8 or UTF-16; without one, bytes that are valid UTF-8 are
/// UTF-8 and anything else is read as GB18030 (what Chinese Windows writes as "ANSI"). Line ends become \n.
/// </summary>
public static class ChatText
{
    static ChatText() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Decodes <paramref name="bytes"/>; returns the text and the encoding's name.</summary>
    public static (string Text, string Encoding) Decode(ReadOnlySpan<byte> bytes)
    {
        var (encoding, skip) = bytes switch
        {
            [0xEF, 0xBB, 0xBF, ..] => (Encoding.UTF8, 3),
            [0xFF, 0xFE, ..] => (Encoding.Unicode, 2),
            [0xFE, 0xFF, ..] => (Encoding.BigEndianUnicode, 2),
            _ when LooksUtf16(bytes, odd: true) => (Encoding.Unicode, 0),
            _ when LooksUtf16(bytes, odd: false) => (Encoding.BigEndianUnicode, 0),
            _ when System.Text.Unicode.Utf8.IsValid(bytes) => (Encoding.UTF8, 0),
            _ => (Encoding.GetEncoding("GB18030"), 0),
        };
        var text = encoding.GetString(bytes[skip..]);
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new ChatImportException(0, "the file holds NUL characters: it is not a text export (a database or an encrypted .bak backup cannot be imported)");
        }

        return (text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n'), encoding.WebName);
    }

    /// <summary>UTF-16 without a mark: Chinese and ASCII text has a zero in most high bytes of its first characters (ASCII ones).</summary>
    private static bool LooksUtf16(ReadOnlySpan<byte> bytes, bool odd)
    {
        var sample = bytes[..(Math.Min(bytes.Length, 4096) & ~1)];
        if (sample.Length < 8)
        {
            return false;
        }

        var zeros = 0;
        for (var i = odd ? 1 : 0; i < sample.Length; i += 2)
        {
            zeros += sample[i] == 0 ? 1 : 0;
        }

        return zeros * 4 > sample.Length / 2;
    }
}
