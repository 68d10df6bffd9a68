using System.Globalization;
using System.Text.RegularExpressions;
using AngleSharp.Dom;

namespace ExamNetWatch.Crawler.Profiles;

/// <summary>
/// Reads Discuz! X3.x pages: board pages (<c>forum.php?mod=forumdisplay</c>) with thread links
/// <c>a.xst</c>, and thread pages (<c>forum.php?mod=viewthread</c>) with posts in
/// <c>td.t_f#postmessage_&lt;pid&gt;</c>, author, floor and post time, and pagination <c>div.pg a.nxt</c>.
/// </summary>
public static partial class DiscuzProfile
{
    private static readonly TimeSpan BeijingOffset = TimeSpan.FromHours(8);

    /// <summary>Returns whether the document looks like a Discuz! board or thread page.</summary>
    public static bool Recognises(IDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.QuerySelector("td.t_f[id^='postmessage_']") is not null
            || document.QuerySelector("a.xst") is not null;
    }

    /// <summary>Extracts the thread links and the next board page.</summary>
    public static BoardPage ParseBoard(IDocument document, Uri pageUrl)
    {
        ArgumentNullException.ThrowIfNull(document);
        var threads = new List<ThreadLink>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var anchor in document.QuerySelectorAll("a.xst"))
        {
            if (Resolve(pageUrl, anchor.GetAttribute("href")) is not { } url || ThreadIdOf(url) is not { } tid)
            {
                continue;
            }

            if (seen.Add(tid))
            {
                var replies = anchor.Closest("tbody")?.QuerySelector("td.num a.xi2")?.TextContent;
                threads.Add(new ThreadLink(url, tid, Clean(anchor.TextContent), int.TryParse(replies, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null));
            }
        }

        return new BoardPage(threads, NextPage(document, pageUrl));
    }

    /// <summary>Extracts the posts of one thread page and the next page of the thread.</summary>
    /// <exception cref="FormatException">The page has no Discuz! post bodies.</exception>
    public static ThreadPage ParseThread(IDocument document, Uri pageUrl)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(pageUrl);
        var bodies = document.QuerySelectorAll("td.t_f[id^='postmessage_']");
        if (bodies.Length == 0)
        {
            throw new FormatException($"{pageUrl} has no Discuz! post bodies (td.t_f#postmessage_*).");
        }

        var threadId = ThreadIdOf(pageUrl) ?? throw new FormatException($"{pageUrl} carries no thread id.");
        var title = Clean(document.QuerySelector("#thread_subject")?.TextContent ?? document.Title ?? string.Empty);
        var posts = new List<ExtractedPost>(bodies.Length);
        foreach (var body in bodies)
        {
            var pid = body.Id!["postmessage_".Length..];
            var container = document.GetElementById("post_" + pid) ?? body.ParentElement!;
            var author = container.QuerySelector(".authi a.xw1, .authi a")?.TextContent;
            posts.Add(new ExtractedPost(
                pid,
                author is null ? null : Clean(author),
                FloorOf(document.GetElementById("postnum" + pid)?.TextContent),
                TimeOf(document.GetElementById("authorposton" + pid)),
                OwnText(body),
                body.InnerHtml));
        }

        return new ThreadPage(threadId, title, posts, NextPage(document, pageUrl));
    }

    /// <summary>Reads the thread id from <c>tid=N</c> or the rewritten <c>thread-N-P-B.html</c> form.</summary>
    public static string? ThreadIdOf(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var match = ThreadIdPattern().Match(url.PathAndQuery);
        return match.Success ? match.Groups["tid"].Value : null;
    }

    private static Uri? NextPage(IDocument document, Uri pageUrl) =>
        Resolve(pageUrl, document.QuerySelector("div.pg a.nxt")?.GetAttribute("href"));

    private static Uri? Resolve(Uri baseUrl, string? href) =>
        string.IsNullOrWhiteSpace(href) || href.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase)
            ? null
            : Uri.TryCreate(baseUrl, href.Trim(), out var url) ? url : null;

    private static string OwnText(IElement body)
    {
        // Work on a copy: quoted replies and "edited by" notices are not the poster's own words.
        var copy = (IElement)body.Clone(deep: true);
        foreach (var quoted in copy.QuerySelectorAll("div.quote, blockquote, i.pstatus, .jammer, script, style"))
        {
            quoted.Remove();
        }

        foreach (var br in copy.QuerySelectorAll("br"))
        {
            br.Replace(copy.Owner!.CreateTextNode("\n"));
        }

        var lines = copy.TextContent.Split('\n').Select(Clean).Where(l => l.Length > 0);
        return string.Join('\n', lines);
    }

    private static int? FloorOf(string? label)
    {
        var text = label is null ? string.Empty : Clean(label);
        var digits = DigitsPattern().Match(text);
        if (digits.Success)
        {
            return int.Parse(digits.Value, CultureInfo.InvariantCulture);
        }

        return text switch
        {
            "楼主" => 1,
            "沙发" => 2,
            "板凳" => 3,
            "地板" => 4,
            _ => null,
        };
    }

    private static DateTimeOffset? TimeOf(IElement? element)
    {
        if (element is null)
        {
            return null;
        }

        // Recent posts show "3 天前" with the exact time in a span's title.
        var text = element.QuerySelector("span[title]")?.GetAttribute("title") ?? element.TextContent;
        var match = TimePattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var formats = new[] { "yyyy-M-d H:m:s", "yyyy-M-d H:m" };
        return DateTime.TryParseExact(match.Value, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? new DateTimeOffset(local, BeijingOffset)
            : null;
    }

    private static string Clean(string text) => WhitespacePattern().Replace(text, " ").Trim();

    [GeneratedRegex(@"(?:[?&]tid=|/thread-)(?<tid>\d+)")]
    private static partial Regex ThreadIdPattern();

    [GeneratedRegex(@"\d+")]
    private static partial Regex DigitsPattern();

    [GeneratedRegex(@"\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{1,2}(?::\d{1,2})?")]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"[\s\u00A0\u3000]+")]
    private static partial Regex WhitespacePattern();
}
