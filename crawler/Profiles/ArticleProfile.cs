using System.Security.Cryptography;
using System.Text;
using AngleSharp.Dom;

namespace ExamNetWatch.Crawler.Profiles;

/// <summary>
/// The fallback for news and article pages: one "post" per page — the title (og:title, h1, title), the body
/// (<c>article</c>, <c>[itemprop=articleBody]</c>, or the element holding most paragraph text) and the publication
/// time (<c>article:published_time</c>, <c>time[datetime]</c>, or a date in the page). Its thread id is derived from the URL.
/// </summary>
public sealed class ArticleProfile : IForumProfile
{
    private const int MinimumBodyLength = 20;

    /// <summary>Gets the shared instance.</summary>
    public static ArticleProfile Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "article";

    /// <inheritdoc />
    public PageKind Classify(IDocument document, Uri url) =>
        Body(document) is { } body && ProfileText.Clean(body.TextContent).Length >= MinimumBodyLength ? PageKind.Thread : PageKind.Unknown;

    /// <inheritdoc />
    public BoardPage ParseBoard(IDocument document, Uri url) => new([], null);

    /// <inheritdoc />
    public ThreadPage ParseThread(IDocument document, Uri url)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(url);
        var body = Body(document) ?? throw new FormatException($"{url} has no article body.");
        var text = ProfileText.OwnText(body, "blockquote.quote, nav, aside, footer, form");
        if (text.Length < MinimumBodyLength)
        {
            throw new FormatException($"{url} has no article body (under {MinimumBodyLength} characters of text).");
        }

        var title = document.QuerySelector("meta[property='og:title']")?.GetAttribute("content")
            ?? document.QuerySelector("h1")?.TextContent
            ?? document.Title
            ?? url.AbsolutePath;
        var published = ProfileText.IsoTime(document.QuerySelector("meta[property='article:published_time']")?.GetAttribute("content"))
            ?? ProfileText.IsoTime(document.QuerySelector("time[datetime]")?.GetAttribute("datetime"))
            ?? ProfileText.BeijingTime(document.QuerySelector(".time, .date, .pubtime, .info")?.TextContent);
        var author = document.QuerySelector("meta[name='author']")?.GetAttribute("content");
        return new ThreadPage(ThreadIdOf(url)!, ProfileText.Clean(title), [new ExtractedPost("1", author, 1, published, text, body.InnerHtml)], null);
    }

    /// <inheritdoc />
    public Uri ThreadUrlOf(Uri pageUrl)
    {
        ArgumentNullException.ThrowIfNull(pageUrl);
        return new Uri(pageUrl.GetLeftPart(UriPartial.Query));
    }

    /// <inheritdoc />
    public string? ThreadIdOf(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var canonical = url.GetLeftPart(UriPartial.Query);
        return "a" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..16];
    }

    private static IElement? Body(IDocument document) =>
        document.QuerySelector("[itemprop='articleBody'], article")
        ?? document.QuerySelectorAll("p").Select(p => p.ParentElement).OfType<IElement>().Distinct()
            .OrderByDescending(e => e.Children.Where(c => c.LocalName == "p").Sum(c => c.TextContent.Length))
            .FirstOrDefault();
}
