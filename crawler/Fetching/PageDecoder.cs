using System.Text;
using System.Text.RegularExpressions;

namespace ExamNetWatch.Crawler.Fetching;

/// <summary>
/// Turns a raw body into text: the HTTP header's charset first, then a byte-order mark, then a
/// <c>&lt;meta&gt;</c> declaration in the first 2 KB, then detection (UTF.Unknown) for bytes that are not UTF-8. Chinese legacy code pages (GBK, GB18030,
/// Big5) are available through <see cref="CodePagesEncodingProvider"/>.
/// </summary>
public static partial class PageDecoder
{
    static PageDecoder() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Decodes <paramref name="body"/> using the first charset that can be found.</summary>
    public static string Decode(ReadOnlySpan<byte> body, string? headerCharset)
    {
        var encoding = FromName(headerCharset) ?? FromBom(body) ?? FromMeta(body) ?? Detect(body) ?? Encoding.UTF8;
        var preamble = encoding.Preamble;
        if (preamble.Length > 0 && body.StartsWith(preamble))
        {
            body = body[preamble.Length..];
        }

        return encoding.GetString(body);
    }

    private static Encoding? FromBom(ReadOnlySpan<byte> body) => body switch
    {
        [0xEF, 0xBB, 0xBF, ..] => Encoding.UTF8,
        [0xFF, 0xFE, ..] => Encoding.Unicode,
        [0xFE, 0xFF, ..] => Encoding.BigEndianUnicode,
        _ => null,
    };

    private static Encoding? FromMeta(ReadOnlySpan<byte> body)
    {
        // Only ASCII matters for the declaration, so Latin-1 reads it whatever the real charset is.
        var head = Encoding.Latin1.GetString(body[..Math.Min(body.Length, 2048)]);
        var match = MetaCharset().Match(head);
        return match.Success ? FromName(match.Groups["cs"].Value) : null;
    }

    private static Encoding? Detect(ReadOnlySpan<byte> body)
    {
        // Undeclared pages: valid UTF-8 is UTF-8; otherwise ask the detector (GBK/GB18030/Big5 pages are common).
        if (IsValidUtf8(body))
        {
            return null;
        }

        var sample = body[..Math.Min(body.Length, 64 * 1024)].ToArray();
        var detected = UtfUnknown.CharsetDetector.DetectFromBytes(sample).Detected;
        return detected is { Confidence: > 0.3f } ? FromName(detected.EncodingName) : null;
    }

    private static bool IsValidUtf8(ReadOnlySpan<byte> body) => System.Text.Unicode.Utf8.IsValid(body);

    private static Encoding? FromName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var trimmed = name.Trim().Trim('"', '\'');
        // GB2312 and GBK pages routinely use GB18030 characters; GB18030 is their superset.
        if (trimmed.Equals("gb2312", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("gbk", StringComparison.OrdinalIgnoreCase))
        {
            trimmed = "GB18030";
        }

        try
        {
            return Encoding.GetEncoding(trimmed);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    [GeneratedRegex("""<meta[^>]+charset\s*=\s*["']?(?<cs>[A-Za-z0-9_\-]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex MetaCharset();
}
