using System.Globalization;
using System.Text.RegularExpressions;
using AngleSharp.Dom;

namespace ExamNetWatch.Crawler.Profiles;

/// <summary>Text helpers shared by the profiles: whitespace, a post's own text, links and Beijing-time dates.</summary>
internal static partial class ProfileText
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public static string Clean(string text) => Whitespace().Replace(text, " ").Trim();

    /// <summary>The element's text without quoted replies, scripts and edit notices; line breaks kept.</summary>
    public static string OwnText(IElement body, string quoteSelector)
    {
        var copy = (IElement)body.Clone(deep: true);
        foreach (var quoted in copy.QuerySelectorAll(quoteSelector + ", script, style, i.pstatus, .jammer"))
        {
            quoted.Remove();
        }

        foreach (var br in copy.QuerySelectorAll("br"))
        {
            br.Replace(copy.Owner!.CreateTextNode("\n"));
        }

        foreach (var block in copy.QuerySelectorAll("p, div, li"))
        {
            block.Append(copy.Owner!.CreateTextNode("\n"));
        }

        return string.Join('\n', copy.TextContent.Split('\n').Select(Clean).Where(l => l.Length > 0));
    }

    /// <summary>
    /// Returns what the page's links are relative to: its first <c>&lt;base href&gt;</c> (itself resolved against the
    /// page's address; http and https only), else the page's address. Discuz! X3 pages carry one, and on a mirror or
    /// behind a proxy it differs from the address the page was fetched from. Where it points does not widen what is
    /// fetched: every link found is still checked against the source's scope.
    /// </summary>
    public static Uri BaseOf(IDocument document, Uri pageUrl) =>
        Resolve(pageUrl, document.QuerySelector("base[href]")?.GetAttribute("href")) is { } declared ? declared : pageUrl;

    public static Uri? Resolve(Uri baseUrl, string? href) =>
        string.IsNullOrWhiteSpace(href) || href.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase) || href.StartsWith('#')
            ? null
            : Uri.TryCreate(baseUrl, href.Trim(), out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) ? url : null;

    /// <summary>Finds a date like 2019-2-20 22:50 (or 2019年2月20日 22:50) and reads it as Beijing time.</summary>
    public static DateTimeOffset? BeijingTime(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var match = DateTimePattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var g = match.Groups;
        int Part(string name, int fallback = 0) => g[name].Success ? int.Parse(g[name].Value, CultureInfo.InvariantCulture) : fallback;
        try
        {
            return new DateTimeOffset(Part("y"), Part("mo"), Part("d"), Part("h"), Part("mi"), Part("s"), Beijing);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Reads an ISO 8601 timestamp (e.g. a time element's datetime).</summary>
    public static DateTimeOffset? IsoTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    /// <summary>The page count a pager shows: the largest page number among its links (… 40, 共 40 页), if any.</summary>
    public static int? PageCount(IEnumerable<IElement> pager)
    {
        int? most = null;
        foreach (var element in pager)
        {
            foreach (var text in new[] { element.TextContent, element.GetAttribute("title") })
            {
                if (text is not null && !text.Contains('下', StringComparison.Ordinal) && Number(text) is { } n && n < 1_000_000)
                {
                    most = Math.Max(most ?? 0, n);
                }
            }
        }

        return most;
    }

    public static int? Number(string? text)
    {
        var match = text is null ? Match.Empty : Digits().Match(text.Replace(",", string.Empty, StringComparison.Ordinal));
        return match.Success && int.TryParse(match.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    [GeneratedRegex(@"[\s\u00A0\u3000]+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();

    [GeneratedRegex(@"(?<y>\d{4})[-/年](?<mo>\d{1,2})[-/月](?<d>\d{1,2})日?(?:\s+(?<h>\d{1,2}):(?<mi>\d{1,2})(?::(?<s>\d{1,2}))?)?")]
    private static partial Regex DateTimePattern();

    /// <summary>Reads an author id from a profile link: <c>uid=123</c>, <c>space-uid-123.html</c> (Discuz!), <c>u=123</c> (phpBB).</summary>
    public static string? AuthorId(string? href)
    {
        var match = href is null ? null : AuthorLink().Match(href);
        return match is { Success: true } ? match.Groups["id"].Value : null;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?:[?&]uid=|space-uid-|[?&]u=)(?<id>\d+)")]
    private static partial System.Text.RegularExpressions.Regex AuthorLink();
}
