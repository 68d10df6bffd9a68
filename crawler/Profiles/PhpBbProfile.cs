using System.Globalization;
using System.Text.RegularExpressions;
using AngleSharp.Dom;

namespace ExamNetWatch.Crawler.Profiles;

/// <summary>
/// Reads phpBB 3 (prosilver): boards <c>viewforum.php?f=N</c> with <c>a.topictitle</c> and reply counts in
/// <c>dd.posts</c>; topics <c>viewtopic.php?t=N</c> with posts <c>div.post#pNNN</c>, text in <c>div.content</c>,
/// author <c>.username</c>, time <c>time[datetime]</c>; pagination <c>li.next a</c> / <c>a[rel=next]</c>. The board index
/// (<c>index.php</c>) and a board's sub-forums are read as links to boards (<c>a.forumtitle</c>, <c>a.subforum</c>).
/// </summary>
public sealed partial class PhpBbProfile : IForumProfile
{
    /// <summary>Gets the shared instance.</summary>
    public static PhpBbProfile Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "phpbb";

    /// <inheritdoc />
    public PageKind Classify(IDocument document, Uri url)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.QuerySelector("div.post[id^='p'] div.content") is not null)
        {
            return PageKind.Thread;
        }

        return document.QuerySelector("a.topictitle, a.forumtitle") is not null ? PageKind.Board : PageKind.Unknown;
    }

    /// <inheritdoc />
    public BoardPage ParseBoard(IDocument document, Uri url)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(url);
        var links = ProfileText.BaseOf(document, url);
        var threads = new List<ThreadLink>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var anchor in document.QuerySelectorAll("a.topictitle"))
        {
            if (ProfileText.Resolve(links, anchor.GetAttribute("href")) is not { } link || ThreadIdOf(link) is not { } tid || !seen.Add(tid))
            {
                continue;
            }

            // Session ids in links would make every crawl look new.
            var clean = new Uri(SessionId().Replace(link.AbsoluteUri, string.Empty));
            var row = anchor.Closest("li.row, dl");
            var replies = row?.QuerySelector("dd.posts")?.TextContent;
            var last = row?.QuerySelector("dd.lastpost time[datetime]")?.GetAttribute("datetime") ?? row?.QuerySelector(".topic-poster time[datetime]")?.GetAttribute("datetime");
            threads.Add(new ThreadLink(clean, tid, ProfileText.Clean(anchor.TextContent), ProfileText.Number(replies))
            {
                LastActive = ProfileText.IsoTime(last) ?? ProfileText.BeijingTime(row?.QuerySelector("dd.lastpost")?.TextContent),
            });
        }

        // The forums of the index, or this forum's sub-forums; the jump box and breadcrumbs are other classes.
        var boards = new List<Uri>();
        foreach (var anchor in document.QuerySelectorAll("a.forumtitle, a.subforum"))
        {
            if (ProfileText.Resolve(links, anchor.GetAttribute("href")) is { } link
                && link.AbsolutePath.EndsWith("viewforum.php", StringComparison.OrdinalIgnoreCase)
                && ForumId().Match(link.Query) is { Success: true } forum)
            {
                var board = new Uri(link, "viewforum.php?f=" + forum.Groups["f"].Value);
                if (!boards.Contains(board))
                {
                    boards.Add(board);
                }
            }
        }

        return new BoardPage(threads, Next(document, links)) { Boards = boards, PageCount = ProfileText.PageCount(document.QuerySelectorAll(".pagination li a, .pagination li.active span")) };
    }

    /// <inheritdoc />
    public ThreadPage ParseThread(IDocument document, Uri url)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(url);
        var links = ProfileText.BaseOf(document, url);
        var tid = ThreadIdOf(url)
            ?? (ProfileText.Resolve(links, document.QuerySelector("h2.topic-title a, h3.first a")?.GetAttribute("href")) is { } topic ? ThreadIdOf(topic) : null)
            ?? throw new FormatException($"{url} carries no phpBB topic id.");
        var start = StartParameter().Match(url.Query) is { Success: true } m ? int.Parse(m.Groups["start"].Value, CultureInfo.InvariantCulture) : 0;
        var posts = new List<ExtractedPost>();
        foreach (var post in document.QuerySelectorAll("div.post[id^='p']"))
        {
            if (post.QuerySelector("div.content") is not { } content || !PostId().IsMatch(post.Id!))
            {
                continue;
            }

            var author = post.QuerySelector(".author .username, .author .username-coloured, a.username, span.username");
            var time = post.QuerySelector(".author time[datetime]")?.GetAttribute("datetime");
            posts.Add(new ExtractedPost(
                post.Id![1..],
                author is null ? null : ProfileText.Clean(author.TextContent),
                start + posts.Count + 1,
                ProfileText.IsoTime(time) ?? ProfileText.BeijingTime(post.QuerySelector(".author")?.TextContent),
                ProfileText.OwnText(content, "blockquote, div.quotecontent"),
                content.InnerHtml) { AuthorId = ProfileText.AuthorId(author?.GetAttribute("href")) });
        }

        if (posts.Count == 0)
        {
            throw new FormatException($"{url} has no phpBB posts (div.post#pN div.content).");
        }

        var title = ProfileText.Clean(document.QuerySelector("h2.topic-title, h2, h3.first")?.TextContent ?? document.Title ?? string.Empty);
        return new ThreadPage(tid, title, posts, Next(document, links));
    }

    /// <inheritdoc />
    public string? ThreadIdOf(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var match = TopicId().Match(url.Query);
        return url.AbsolutePath.EndsWith("viewtopic.php", StringComparison.OrdinalIgnoreCase) && match.Success ? match.Groups["t"].Value : null;
    }

    /// <inheritdoc />
    public Uri ThreadUrlOf(Uri pageUrl)
    {
        ArgumentNullException.ThrowIfNull(pageUrl);
        return ThreadIdOf(pageUrl) is { } tid ? new Uri(pageUrl, "viewtopic.php?t=" + tid) : new Uri(pageUrl.GetLeftPart(UriPartial.Query));
    }

    private static Uri? Next(IDocument document, Uri links) =>
        ProfileText.Resolve(links, document.QuerySelector("li.next a, li.arrow.next a, a[rel='next']")?.GetAttribute("href")) is { } next
            ? new Uri(SessionId().Replace(next.AbsoluteUri, string.Empty))
            : null;

    [GeneratedRegex(@"[?&]t=(?<t>\d+)")]
    private static partial Regex TopicId();

    [GeneratedRegex(@"[?&]f=(?<f>\d+)")]
    private static partial Regex ForumId();

    [GeneratedRegex(@"[?&]start=(?<start>\d+)")]
    private static partial Regex StartParameter();

    [GeneratedRegex(@"^p\d+$")]
    private static partial Regex PostId();

    [GeneratedRegex(@"&sid=[0-9a-f]+|sid=[0-9a-f]+&?")]
    private static partial Regex SessionId();
}
