using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Dom;

namespace ExamNetWatch.Crawler.Profiles;

/// <summary>
/// Reads Baidu Tieba-like boards: lists <c>/f?kw=…</c> with thread links <c>a.j_th_tit</c> to <c>/p/&lt;id&gt;</c> and
/// reply counts <c>.threadlist_rep_num</c>; threads <c>/p/&lt;id&gt;?pn=N</c> with posts <c>div.l_post</c> whose
/// <c>data-field</c> JSON carries post id, floor, author and date, text in <c>.d_post_content</c>. A directory of boards
/// (<c>#ba_list a.ba_href</c>, as on the forum park) is read as links to the boards <c>/f?kw=…</c>.
/// </summary>
public sealed partial class TiebaProfile : IForumProfile
{
    /// <summary>Gets the shared instance.</summary>
    public static TiebaProfile Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "tieba";

    /// <inheritdoc />
    public PageKind Classify(IDocument document, Uri url)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.QuerySelector("div.l_post .d_post_content, div.l_post [id^='post_content_']") is not null)
        {
            return PageKind.Thread;
        }

        return document.QuerySelector("a.j_th_tit, #ba_list a.ba_href") is not null ? PageKind.Board : PageKind.Unknown;
    }

    /// <inheritdoc />
    public BoardPage ParseBoard(IDocument document, Uri url)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(url);
        var links = ProfileText.BaseOf(document, url);
        var threads = new List<ThreadLink>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var anchor in document.QuerySelectorAll("a.j_th_tit"))
        {
            if (ProfileText.Resolve(links, anchor.GetAttribute("href")) is not { } link || ThreadIdOf(link) is not { } tid || !seen.Add(tid))
            {
                continue;
            }

            var replies = anchor.Closest("li")?.QuerySelector(".threadlist_rep_num")?.TextContent;
            threads.Add(new ThreadLink(new Uri(link.GetLeftPart(UriPartial.Path)), tid, ProfileText.Clean(anchor.GetAttribute("title") ?? anchor.TextContent), ProfileText.Number(replies)));
        }

        var boards = new List<Uri>();
        foreach (var anchor in document.QuerySelectorAll("#ba_list a.ba_href"))
        {
            // A board is /f?kw=NAME: other parameters (ie=, fr=) are dropped so each board is named once.
            if (ProfileText.Resolve(links, anchor.GetAttribute("href")) is { } link && link.AbsolutePath == "/f"
                && System.Web.HttpUtility.ParseQueryString(link.Query)["kw"] is { Length: > 0 } kw)
            {
                var board = new Uri(link, "/f?kw=" + Uri.EscapeDataString(kw));
                if (!boards.Contains(board))
                {
                    boards.Add(board);
                }
            }
        }

        return new BoardPage(threads, Next(document, links)) { Boards = boards };
    }

    /// <inheritdoc />
    public ThreadPage ParseThread(IDocument document, Uri url)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(url);
        var tid = ThreadIdOf(url) ?? throw new FormatException($"{url} carries no Tieba thread id (/p/<id>).");
        var posts = new List<ExtractedPost>();
        foreach (var post in document.QuerySelectorAll("div.l_post"))
        {
            var content = post.QuerySelector(".d_post_content, [id^='post_content_']");
            if (content is null)
            {
                continue;
            }

            var (pid, floor, author, date, authorId) = Field(post.GetAttribute("data-field"));
            pid ??= content.Id is { } id && id.StartsWith("post_content_", StringComparison.Ordinal) ? id["post_content_".Length..] : null;
            if (pid is null)
            {
                continue;
            }

            author ??= post.QuerySelector(".d_name a, a.p_author_name")?.TextContent;
            date ??= post.QuerySelector(".post-tail-wrap .tail-info:last-child, .p_tail")?.TextContent;
            posts.Add(new ExtractedPost(pid, author is null ? null : ProfileText.Clean(author), floor, ProfileText.BeijingTime(date), ProfileText.OwnText(content, "blockquote"), content.InnerHtml) { AuthorId = authorId });
        }

        if (posts.Count == 0)
        {
            throw new FormatException($"{url} has no Tieba posts (div.l_post .d_post_content).");
        }

        var title = ProfileText.Clean(document.QuerySelector(".core_title_txt, h1, h3")?.TextContent ?? document.Title ?? string.Empty);
        return new ThreadPage(tid, title, posts, Next(document, ProfileText.BaseOf(document, url)));
    }

    /// <inheritdoc />
    public string? ThreadIdOf(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var match = ThreadPath().Match(url.AbsolutePath);
        return match.Success ? match.Groups["id"].Value : null;
    }

    /// <inheritdoc />
    public Uri ThreadUrlOf(Uri pageUrl)
    {
        ArgumentNullException.ThrowIfNull(pageUrl);
        return ThreadIdOf(pageUrl) is { } tid ? new Uri(pageUrl, "/p/" + tid) : new Uri(pageUrl.GetLeftPart(UriPartial.Query));
    }

    private static (string? Pid, int? Floor, string? Author, string? Date, string? AuthorId) Field(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return default;
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var content = root.TryGetProperty("content", out var c) ? c : default;
            string? Text(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
                ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()
                : null;
            var author = root.TryGetProperty("author", out var a) ? Text(a, "user_name") ?? Text(a, "name") : null;
            var authorId = root.TryGetProperty("author", out var who) ? Text(who, "user_id") ?? Text(who, "id") : null;
            return (Text(content, "post_id"), ProfileText.Number(Text(content, "post_no")), author, Text(content, "date"), authorId);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static Uri? Next(IDocument document, Uri links) =>
        ProfileText.Resolve(links, document.QuerySelectorAll("a.next, .l_pager a, #frs_list_pager a, #forumpark .pagination a").FirstOrDefault(a => a.TextContent.Contains("下一页", StringComparison.Ordinal))?.GetAttribute("href"));

    [GeneratedRegex(@"^/p/(?<id>\d+)")]
    private static partial Regex ThreadPath();
}
