using System.Text.RegularExpressions;
using AngleSharp.Dom;

namespace ExamNetWatch.Crawler.Profiles;

/// <summary>
/// Reads Discuz! X3.x: the desktop board (<c>forum.php?mod=forumdisplay</c>, thread links <c>a.xst</c>, reply counts
/// <c>td.num a.xi2</c>) and thread pages (<c>forum.php?mod=viewthread</c>, posts in <c>td.t_f#postmessage_&lt;pid&gt;</c>
/// with author, floor and time), the touch/mobile pages (<c>mobile=2</c>, posts in <c>div#pid&lt;pid&gt; .message</c>)
/// and the archiver (<c>/archiver/tid-N.html</c>, posts after each <c>.author</c> line). Pagination: <c>div.pg a.nxt</c>.
/// The home page (<c>forum.php</c>) and a board's sub-forums list boards in <c>table.fl_tb</c>; the archiver's index
/// lists them as <c>fid-N.html</c>. Links resolve against the page's <c>&lt;base href&gt;</c>.
/// </summary>
public sealed partial class DiscuzProfile : IForumProfile
{
    private const string Quotes = "div.quote, blockquote";

    /// <summary>Gets the shared instance.</summary>
    public static DiscuzProfile Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "discuz";

    /// <inheritdoc />
    public PageKind Classify(IDocument document, Uri url)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(url);
        if (document.QuerySelector("td.t_f[id^='postmessage_']") is not null || MobilePosts(document).Any())
        {
            return PageKind.Thread;
        }

        if (IsArchiver(url))
        {
            return ThreadIdOf(url) is not null ? PageKind.Thread : PageKind.Board;
        }

        if (document.QuerySelector("a.xst") is not null || BoardAnchors(document).Any())
        {
            return PageKind.Board;
        }

        var generator = document.QuerySelector("meta[name='generator']")?.GetAttribute("content") ?? string.Empty;
        return generator.Contains("Discuz", StringComparison.OrdinalIgnoreCase) && document.QuerySelector("a[href*='mod=viewthread']") is not null
            ? PageKind.Board
            : PageKind.Unknown;
    }

    /// <inheritdoc />
    public BoardPage ParseBoard(IDocument document, Uri url)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(url);
        var links = ProfileText.BaseOf(document, url);
        var boards = new List<Uri>();
        foreach (var anchor in BoardAnchors(document))
        {
            if (ProfileText.Resolve(links, anchor.GetAttribute("href")) is { } link && BoardUrlOf(link) is { } board && !boards.Contains(board))
            {
                boards.Add(board);
            }
        }

        var anchors = document.QuerySelectorAll("a.xst").ToList();
        if (anchors.Count == 0)
        {
            // Mobile and archiver boards: any link naming a thread — but not a board list's "last post" links
            // (mod=redirect…goto=lastpost), which lead into the last page of a thread, not to the thread.
            anchors = [.. document.QuerySelectorAll("a[href]").Where(a => a.Closest("table.fl_tb") is null
                && ProfileText.Resolve(links, a.GetAttribute("href")) is { } u && ThreadIdOf(u) is not null && !u.Query.Contains("mod=redirect", StringComparison.Ordinal))];
        }

        var threads = new List<ThreadLink>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var anchor in anchors)
        {
            if (ProfileText.Resolve(links, anchor.GetAttribute("href")) is not { } link || ThreadIdOf(link) is not { } tid || !seen.Add(tid))
            {
                continue;
            }

            var row = anchor.Closest("tbody");
            var replies = row?.QuerySelector("td.num a.xi2")?.TextContent ?? anchor.Closest("li")?.QuerySelector(".num")?.TextContent;
            // The last td.by is the last reply ("2026-6-10 11:40", or "1 小时前" with the time in a title), the first the start.
            var dates = row?.QuerySelectorAll("td.by em");
            var by = dates is { Length: > 0 } ? dates[dates.Length - 1] : null;
            var active = ProfileText.BeijingTime(by?.QuerySelector("span[title]")?.GetAttribute("title") ?? by?.TextContent);
            threads.Add(new ThreadLink(link, tid, ProfileText.Clean(anchor.TextContent), ProfileText.Number(replies)) { LastActive = active });
        }

        return new BoardPage(threads, NextPage(document, links)) { Boards = boards, PageCount = ProfileText.PageCount(document.QuerySelectorAll("div.pg a, div.pg label span[title]")) };
    }

    /// <inheritdoc />
    public ThreadPage ParseThread(IDocument document, Uri url)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(url);
        var threadId = ThreadIdOf(url) ?? ThreadIdFromPage(document) ?? throw new FormatException($"{url} carries no thread id.");
        var title = ProfileText.Clean(document.QuerySelector("#thread_subject")?.TextContent ?? document.QuerySelector("h1, h3")?.TextContent ?? document.Title ?? string.Empty);
        var posts = Desktop(document);
        if (posts.Count == 0)
        {
            posts = Mobile(document);
        }

        if (posts.Count == 0 && IsArchiver(url))
        {
            posts = Archiver(document, url);
        }

        if (posts.Count == 0)
        {
            throw new FormatException($"{url} has no Discuz! posts (td.t_f#postmessage_*, mobile .message or archiver .author).");
        }

        return new ThreadPage(threadId, title, posts, NextPage(document, ProfileText.BaseOf(document, url)));
    }

    /// <inheritdoc />
    public string? ThreadIdOf(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var match = ThreadIdPattern().Match(url.PathAndQuery);
        return match.Success ? match.Groups["tid"].Value : null;
    }

    /// <inheritdoc />
    public Uri ThreadUrlOf(Uri pageUrl)
    {
        ArgumentNullException.ThrowIfNull(pageUrl);
        if (ThreadIdOf(pageUrl) is not { } tid)
        {
            return new Uri(pageUrl.GetLeftPart(UriPartial.Query));
        }

        // thread-N-P-B.html (rewritten), the archiver's tid-N.html (or ?tid-N.html), forum.php?mod=viewthread&tid=N with
        // page and extra dropped; the touch view keeps mobile=2, so its first page is a page of the same kind.
        var name = pageUrl.Segments[^1];
        var relative = RewrittenThread().IsMatch(name) ? FormattableString.Invariant($"thread-{tid}-1-1.html")
            : IsArchiver(pageUrl) ? (pageUrl.Query.StartsWith("?tid-", StringComparison.Ordinal) ? "?" : string.Empty) + FormattableString.Invariant($"tid-{tid}.html")
            : FormattableString.Invariant($"{(name.EndsWith(".php", StringComparison.OrdinalIgnoreCase) ? name : "forum.php")}?mod=viewthread&tid={tid}")
              + (MobileView().IsMatch(pageUrl.Query) ? "&mobile=2" : string.Empty);
        return new Uri(pageUrl, relative);
    }

    /// <summary>The links of a board list: the home page's forums, a board's sub-forums, the archiver's index.</summary>
    private static IEnumerable<IElement> BoardAnchors(IDocument document) =>
        document.QuerySelectorAll("table.fl_tb h2 a[href], table.fl_tb td.fl_g dt a[href], a[href*='fid-']")
            .Where(a => BoardHref().IsMatch(a.GetAttribute("href")!));

    /// <summary>A board's first page: forumdisplay by fid (sorting and filters dropped), forum-N-1.html, the archiver's fid-N.html.</summary>
    private static Uri? BoardUrlOf(Uri link)
    {
        var name = link.Segments[^1];
        if (RewrittenBoard().Match(name) is { Success: true } rewritten)
        {
            return new Uri(link, FormattableString.Invariant($"forum-{rewritten.Groups["fid"].Value}-1.html"));
        }

        if (ArchiverBoard().Match(link.PathAndQuery) is { Success: true } archived)
        {
            var form = link.Query.StartsWith("?fid-", StringComparison.Ordinal) ? "?" : string.Empty;
            return new Uri(link, FormattableString.Invariant($"{form}fid-{archived.Groups["fid"].Value}.html"));
        }

        return name.EndsWith(".php", StringComparison.OrdinalIgnoreCase) && link.Query.Contains("mod=forumdisplay", StringComparison.Ordinal)
            && ForumIdParameter().Match(link.Query) is { Success: true } fid
            ? new Uri(link, FormattableString.Invariant($"{name}?mod=forumdisplay&fid={fid.Groups["fid"].Value}") + (MobileView().IsMatch(link.Query) ? "&mobile=2" : string.Empty))
            : null;
    }

    private static List<ExtractedPost> Desktop(IDocument document)
    {
        var posts = new List<ExtractedPost>();
        foreach (var body in document.QuerySelectorAll("td.t_f[id^='postmessage_']"))
        {
            // Author, time and floor are looked up inside the post's own block (div#post_PID around the body), not by id
            // over the whole page: a page of ten posts would walk its whole tree thirty times.
            var pid = body.Id!["postmessage_".Length..];
            var container = PostBlock(body, pid) ?? document.GetElementById("post_" + pid) ?? body.ParentElement!;
            var author = container.QuerySelector(".authi a.xw1, .authi a");
            var time = Within(container, document, "authorposton" + pid);
            posts.Add(new ExtractedPost(
                pid,
                author is null ? null : ProfileText.Clean(author.TextContent),
                Floor(Within(container, document, "postnum" + pid)?.TextContent),
                ProfileText.BeijingTime(time?.QuerySelector("span[title]")?.GetAttribute("title") ?? time?.TextContent),
                ProfileText.OwnText(body, Quotes),
                body.InnerHtml) { AuthorId = ProfileText.AuthorId(author?.GetAttribute("href")) });
        }

        return posts;
    }

    /// <summary>The post's block: the nearest ancestor div#post_PID of its body.</summary>
    private static IElement? PostBlock(IElement body, string pid)
    {
        var id = "post_" + pid;
        for (var e = body.ParentElement; e is not null; e = e.ParentElement)
        {
            if (e.Id == id)
            {
                return e;
            }
        }

        return null;
    }

    /// <summary>The element with <paramref name="id"/> inside the post's block, else anywhere in the page.</summary>
    private static IElement? Within(IElement block, IDocument document, string id)
    {
        foreach (var e in block.QuerySelectorAll("[id]"))
        {
            if (e.Id == id)
            {
                return e;
            }
        }

        return document.GetElementById(id);
    }

    private static IEnumerable<IElement> MobilePosts(IDocument document) =>
        document.QuerySelectorAll("div[id^='pid']").Where(d => d.QuerySelector(".message") is not null && MobilePid().IsMatch(d.Id!));

    private static List<ExtractedPost> Mobile(IDocument document) =>
        [.. MobilePosts(document).Select(post =>
        {
            var message = post.QuerySelector(".message")!;
            var author = post.QuerySelector(".authi a, li.grey a, b a");
            return new ExtractedPost(
                post.Id!["pid".Length..],
                author is null ? null : ProfileText.Clean(author.TextContent),
                Floor(post.QuerySelector(".authi em, li.grey em")?.TextContent),
                ProfileText.BeijingTime(post.QuerySelector(".authi, ul.authi")?.TextContent),
                ProfileText.OwnText(message, Quotes),
                message.InnerHtml) { AuthorId = ProfileText.AuthorId(author?.GetAttribute("href")) };
        })];

    private static List<ExtractedPost> Archiver(IDocument document, Uri url)
    {
        // The archiver has no post ids: a post is "the n-th floor of the thread", counted across pages.
        var markers = document.QuerySelectorAll(".author").ToList();
        var page = ProfileText.Number(PageParameter().Match(url.Query).Groups["page"].Value) ?? 1;
        var posts = new List<ExtractedPost>();
        for (var i = 0; i < markers.Count; i++)
        {
            var html = new System.Text.StringBuilder();
            var text = new List<string>();
            for (var node = markers[i].NextSibling; node is not null && node != (i + 1 < markers.Count ? markers[i + 1] : null); node = node.NextSibling)
            {
                if (node is IElement { ClassName: "page" } or IElement { Id: "end" })
                {
                    break;
                }

                html.Append(node is IElement e ? e.OuterHtml : node.TextContent);
                text.Add(node is IElement element ? ProfileText.OwnText(element, Quotes) : ProfileText.Clean(node.TextContent));
            }

            var floor = ((page - 1) * 50) + i + 1;
            posts.Add(new ExtractedPost(
                FormattableString.Invariant($"f{floor}"),
                markers[i].QuerySelector("strong")?.TextContent is { } name ? ProfileText.Clean(name) : null,
                floor,
                ProfileText.BeijingTime(markers[i].TextContent),
                string.Join('\n', text.Where(t => t.Length > 0)),
                html.ToString()));
        }

        return posts;
    }

    private static string? ThreadIdFromPage(IDocument document) =>
        document.QuerySelector("a[href*='tid=']")?.GetAttribute("href") is { } href && ThreadIdPattern().Match(href) is { Success: true } m ? m.Groups["tid"].Value : null;

    private static Uri? NextPage(IDocument document, Uri links) =>
        ProfileText.Resolve(links, document.QuerySelector("div.pg a.nxt, a.nxt, div.page a.next")?.GetAttribute("href"));

    private static bool IsArchiver(Uri url) => url.AbsolutePath.Contains("/archiver/", StringComparison.OrdinalIgnoreCase);

    private static int? Floor(string? label)
    {
        var text = label is null ? string.Empty : ProfileText.Clean(label);
        return ProfileText.Number(text) ?? text switch
        {
            "楼主" => 1,
            "沙发" => 2,
            "板凳" => 3,
            "地板" => 4,
            _ => null,
        };
    }

    [GeneratedRegex(@"(?:[?&]tid=|/thread-|tid-)(?<tid>\d+)")]
    private static partial Regex ThreadIdPattern();

    [GeneratedRegex(@"^thread-\d+-\d+-\d+\.html$", RegexOptions.IgnoreCase)]
    private static partial Regex RewrittenThread();

    [GeneratedRegex(@"[?&]mobile=(?:2|yes)")]
    private static partial Regex MobileView();

    [GeneratedRegex(@"mod=forumdisplay|forum-\d+-\d+\.html|fid-\d+\.html")]
    private static partial Regex BoardHref();

    [GeneratedRegex(@"^forum-(?<fid>\d+)-\d+\.html$", RegexOptions.IgnoreCase)]
    private static partial Regex RewrittenBoard();

    [GeneratedRegex(@"/archiver/(?:\?)?fid-(?<fid>\d+)\.html")]
    private static partial Regex ArchiverBoard();

    [GeneratedRegex(@"[?&]fid=(?<fid>\d+)")]
    private static partial Regex ForumIdParameter();

    [GeneratedRegex(@"^pid\d+$")]
    private static partial Regex MobilePid();

    [GeneratedRegex(@"page=(?<page>\d+)")]
    private static partial Regex PageParameter();
}
